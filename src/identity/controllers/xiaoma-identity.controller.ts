import { Controller } from '@nestjs/common';
import { ApiOperation, ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { XiaomaTokenDto } from '#src/auth/dto/xiaoma-account.dto.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { ReplyOutcome } from '#src/common/dialect/reply-outcome.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Principal } from '#src/auth/principal.js';
import { Params } from '#src/common/http/params.decorator.js';
import { CurrentSession } from '#src/auth/principal.js';
import { xiaoma } from '#src/dialects/xiaoma.dialect.js';
import { IdentityService, type RealNameRecord } from '#src/identity/identity.service.js';

export class XiaomaRealNameDto extends XiaomaTokenDto {
  @ApiProperty({ description: '姓名', example: '张三' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  name: string;

  @ApiProperty({ description: '身份证 (18 位)', example: '11010519491231002X' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  cardno: string;
}

export class XiaomaQualificationDto extends XiaomaTokenDto {
  @ApiProperty({ description: '从业资格证 (an address answered by upload_image)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  picture: string;
}

@Dialect('xiaoma')
@Controller('Api/User')
export class XiaomaIdentityController {
  constructor(private readonly identity: IdentityService) {}

  @GetOrPost(['verification', 'verification/token/:token'])
  @ApiOperation({ summary: '认证身份证 — checked at once; a doubtful claim goes to manual review' })
  @ApiParams(XiaomaRealNameDto)
  @Authenticated()
  @Reply(xiaoma, {
    success: { message: '认证成功' },
    data: { type: 'string', enum: [''] },
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'IDENTITY_REJECTED', 'IDENTITY_INVALID'],
    overrides: {
      INVALID_PARAMS: { code: 1001, message: '输入的信息有误' },
      IDENTITY_INVALID: { message: '认证失败,请填写正确的身份信息' },
      IDENTITY_REJECTED: { message: '认证失败' },
    },
  })
  async verify(@Params() params: XiaomaRealNameDto, @CurrentSession() session: Principal) {
    const verdict = await this.identity.verifyRealName(session.userId, {
      name: params.name,
      idNumber: params.cardno,
    });
    return verdict === 'review' ? new ReplyOutcome('', { message: '信息已提交,等待人工审核' }) : '';
  }

  @GetOrPost(['getVerification', 'getVerification/token/:token'])
  @ApiOperation({ summary: '获取用户认证信息 — masked name and number, and the state' })
  @ApiParams(XiaomaTokenDto)
  @Authenticated()
  @Reply(xiaoma, {
    success: { message: '获取成功' },
    data: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['verified', 'review'] },
        name: { type: 'string', example: '张*' },
        cardno: { type: 'string', example: '110105********002X' },
      },
    },
    errors: ['UNAUTHENTICATED', 'USER_NOT_FOUND', 'IDENTITY_REJECTED'],
    overrides: {
      USER_NOT_FOUND: { code: 996, message: '获取失败' },
      IDENTITY_REJECTED: { message: '认证失败' },
    },
  })
  async get(@CurrentSession() session: Principal): Promise<{ status: string; name: string; cardno: string }> {
    const record: RealNameRecord | undefined = await this.identity.latestRealName(session.userId);
    if (!record) throw new DomainError('USER_NOT_FOUND', 'no real-name verification yet');
    if (record.status === 'rejected') throw new DomainError('IDENTITY_REJECTED');
    return { status: record.status, name: record.name, cardno: record.idNumber };
  }

  @GetOrPost(['authenticationQualifications', 'authenticationQualifications/token/:token'])
  @ApiOperation({ summary: '资质认证 — the certificate waits for a person; status 4 until decided' })
  @ApiParams(XiaomaQualificationDto)
  @Authenticated()
  @Reply(xiaoma, {
    success: { message: '从业资格证上传成功,等待客服认证' },
    data: { type: 'string', enum: [''] },
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'FORBIDDEN'],
    overrides: {
      INVALID_PARAMS: { code: 997, message: '图片名称地址不能空' },
      FORBIDDEN: { code: 998, message: '资格证上传失败,请联系客服' },
    },
  })
  async qualify(@Params() params: XiaomaQualificationDto, @CurrentSession() session: Principal): Promise<''> {
    await this.identity.submitQualification(session.userId, params.picture);
    return '';
  }
}
