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
import { NuzzleProfileQueryDto, NuzzleUser } from '#src/users/dto/nuzzle-user.dto.js';
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
}
