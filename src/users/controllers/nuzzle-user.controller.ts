import { Controller } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import type { Principal } from '#src/auth/principal.js';
import { Params } from '#src/common/http/params.decorator.js';
import { CurrentSession } from '#src/auth/principal.js';
import { nuzzle } from '#src/dialects/nuzzle.dialect.js';
import { toNuzzleUser } from '#src/users/controllers/nuzzle-user.mapper.js';
import {
  NuzzleModifyProfileDto,
  NuzzleModifySignatureDto,
  NuzzleProfileQueryDto,
  NuzzleUser,
} from '#src/users/dto/nuzzle-user.dto.js';
import { UsersService } from '#src/users/users.service.js';

@Dialect('nuzzle')
@Controller('user')
export class NuzzleUserController {
  constructor(private readonly users: UsersService) {}

  @GetOrPost('profile')
  @ApiOperation({ summary: '获得个人信息 — own profile, or userId’s' })
  @ApiParams(NuzzleProfileQueryDto)
  @Authenticated()
  @Reply(nuzzle, {
    data: NuzzleUser,
    errors: ['INVALID_PARAMS', 'UNAUTHENTICATED', 'USER_NOT_FOUND', 'ACCOUNT_DISABLED'],
  })
  async profile(
    @Params() params: NuzzleProfileQueryDto,
    @CurrentSession() session: Principal,
  ): Promise<NuzzleUser> {
    const user = await this.users.getProfile(params.userId || session.userId, session);
    return toNuzzleUser(user, user.id === session.userId);
  }

  @GetOrPost('modify/signature')
  @ApiOperation({ summary: '修改签名 — up to 100 characters; answers the caller’s profile' })
  @ApiParams(NuzzleModifySignatureDto)
  @Authenticated()
  @Reply(nuzzle, {
    data: NuzzleUser,
    errors: ['INVALID_PARAMS', 'UNAUTHENTICATED', 'USER_NOT_FOUND', 'ACCOUNT_DISABLED'],
  })
  async modifySignature(
    @Params() params: NuzzleModifySignatureDto,
    @CurrentSession() session: Principal,
  ): Promise<NuzzleUser> {
    return toNuzzleUser(await this.users.modifySignature(session, params.signature), true);
  }

  @GetOrPost('modify/profile')
  @ApiOperation({
    summary:
      '修改个人信息 — nickname and/or avatar (the caller’s own image upload); answers the caller’s profile',
  })
  @ApiParams(NuzzleModifyProfileDto)
  @Authenticated()
  @Reply(nuzzle, {
    data: NuzzleUser,
    errors: [
      'INVALID_PARAMS',
      'UNAUTHENTICATED',
      'USER_NOT_FOUND',
      'ACCOUNT_DISABLED',
      'NICKNAME_INVALID',
      'FORBIDDEN',
      'UNSUPPORTED_MEDIA',
      'FILE_TOO_LARGE',
    ],
  })
  async modifyProfile(
    @Params() params: NuzzleModifyProfileDto,
    @CurrentSession() session: Principal,
  ): Promise<NuzzleUser> {
    return toNuzzleUser(
      await this.users.modifyProfile(session, { nickname: params.nickname, avatar: params.avatar }),
      true,
    );
  }
}
