import { Controller, Get } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentSession, type Principal } from '#src/auth/principal.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { LimitedPerAddress } from '#src/common/counters/address-limiter.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { Public } from '#src/common/dialect/public.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { Client, Params, type ClientInfo } from '#src/common/http/params.decorator.js';
import { moretv } from '#src/dialects/moretv.dialect.js';
import { MoretvCheckCodeDto, MoretvEmailPathDto, MoretvSendCodeDto } from '#src/moretv/dto/moretv.dto.js';
import { emailFromSegment } from '#src/moretv/email-address.js';
import { MoretvAccountsService } from '#src/moretv/moretv-accounts.service.js';

/** The document's email endpoints. `{EMAIL}` is `urlencode(base64_encode(email))`; the typo `/eamil/` is the contract. */
@Dialect('moretv')
@Controller()
export class MoretvEmailController {
  constructor(private readonly accounts: MoretvAccountsService) {}

  @Get('email/check/:email')
  @Public()
  @LimitedPerAddress('account')
  @ApiOperation({
    summary: 'Email check (path not in the document) — 1 usable, -4 malformed, -5 not allowed, -6 registered',
  })
  @ApiParams(MoretvEmailPathDto)
  @Reply(moretv, {
    success: { code: 1, message: 'Email可以使用' },
    errors: ['INVALID_PARAMS', 'FORBIDDEN', 'ACCOUNT_EXISTS', 'RATE_LIMITED'],
    overrides: {
      INVALID_PARAMS: { code: -4, message: 'Email格式有误' },
      FORBIDDEN: { code: -5, message: 'Email不允许注册' },
      ACCOUNT_EXISTS: { code: -6, message: '该Email已经被注册' },
      RATE_LIMITED: { code: -1, message: '操作太频繁,请稍后再试' },
    },
  })
  async check(@Params() params: MoretvEmailPathDto): Promise<void> {
    await this.accounts.checkEmail(emailFromSegment(params.email));
  }

  @Get('email/sendCode/:email')
  @Authenticated()
  @LimitedPerAddress('account')
  @ApiOperation({
    summary:
      'Send email code — mails a 6-digit code to the new address for `/userInfo/changeEmail` (type bind|change: the purpose follows the account)',
  })
  @ApiParams(MoretvSendCodeDto)
  @Reply(moretv, {
    success: { code: 1, message: '发送成功' },
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'FORBIDDEN', 'ACCOUNT_EXISTS', 'RATE_LIMITED'],
    overrides: {
      INVALID_PARAMS: { code: -4, message: 'Email格式有误' },
      FORBIDDEN: { code: -5, message: 'Email不允许注册' },
      ACCOUNT_EXISTS: { code: -6, message: '该Email已经被注册' },
      RATE_LIMITED: { code: -1, message: '发送太频繁,请稍后再试' },
    },
  })
  async sendCode(
    @Params() params: MoretvSendCodeDto,
    @CurrentSession() session: Principal,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.accounts.sendEmailCode(session, emailFromSegment(params.email), client.ip);
  }

  @Get('email/checkCode/:email')
  @Authenticated()
  @ApiOperation({
    summary:
      'Email code check (path not in the document) — 0 match, -1 expired, -2 mismatch; the code stays usable',
  })
  @ApiParams(MoretvCheckCodeDto)
  @Reply(moretv, {
    success: { code: 0, message: '匹配' },
    errors: [
      'UNAUTHENTICATED',
      'INVALID_PARAMS',
      'CODE_INVALID',
      'CODE_EXPIRED',
      'CODE_ATTEMPTS_EXCEEDED',
      'RATE_LIMITED',
    ],
    overrides: {
      INVALID_PARAMS: { code: -2, message: '不匹配' },
      CODE_INVALID: { code: -2, message: '不匹配' },
      CODE_EXPIRED: { code: -1, message: '验证码已失效' },
      CODE_ATTEMPTS_EXCEEDED: { code: -1, message: '验证码已失效' },
      RATE_LIMITED: { code: -1, message: '操作太频繁,请稍后再试' },
    },
  })
  async checkCode(
    @Params() params: MoretvCheckCodeDto,
    @CurrentSession() session: Principal,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.accounts.checkEmailCode(session, emailFromSegment(params.email), params.code, client.ip);
  }

  @Get('eamil/resetpasword/:email')
  @Public()
  @ApiOperation({
    summary:
      'Find password email — mails a link to the reset page when the address has an account; answers 1 either way (-4 malformed)',
  })
  @ApiParams(MoretvEmailPathDto)
  @Reply(moretv, {
    success: { code: 1, message: '邮件已发送' },
    errors: ['INVALID_PARAMS'],
    overrides: { INVALID_PARAMS: { code: -4, message: 'Email格式有误' } },
  })
  async findPassword(@Params() params: MoretvEmailPathDto): Promise<void> {
    await this.accounts.requestPasswordReset(emailFromSegment(params.email));
  }
}
