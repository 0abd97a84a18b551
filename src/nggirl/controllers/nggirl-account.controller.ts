import { Controller } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { normaliseClientDigest } from '#src/auth/password-digest.js';
import { PasswordResetService } from '#src/auth/password-reset.service.js';
import { PhoneCodesService, type PhoneCodeFormat } from '#src/auth/phone-codes.service.js';
import { RegistrationService } from '#src/auth/registration.service.js';
import { SignInService, type SignInContext } from '#src/auth/sign-in.service.js';
import { LimitedPerAddress } from '#src/common/counters/address-limiter.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { Public } from '#src/common/dialect/public.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { Client, Params, type ClientInfo } from '#src/common/http/params.decorator.js';
import { nggirl } from '#src/dialects/nggirl.dialect.js';
import {
  NggirlAuthorizationDto,
  NggirlCodeDto,
  NggirlCreateDto,
  NggirlLogonDto,
  NggirlTokensDto,
  NggirlUpdatePasswordForgotDto,
} from '#src/nggirl/dto/nggirl-account.dto.js';
import { NggirlPhoneDto } from '#src/nggirl/dto/nggirl-signed.dto.js';
import { NggirlCredentialsService } from '#src/nggirl/nggirl-credentials.service.js';
import type { NggirlTokens } from '#src/nggirl/nggirl-tokens.mapper.js';
import { VerificationCodesService } from '#src/verification/verification-codes.service.js';

/** nggirl's codes: six digits, as the document's examples show. */
const NGGIRL_SMS: PhoneCodeFormat = {
  digits: 6,
  sms: (code, minutes) => `您的验证码是${code}，${minutes}分钟内有效，请勿泄露给他人。`,
};

const CODE_DATA = {
  type: 'object',
  description: '{code} only where VERIFICATION_ECHO_CODE is on (development); otherwise {}',
  properties: { code: { type: 'string', example: '123456' } },
};

function signInContext(client: ClientInfo): SignInContext {
  return { dialect: 'nggirl', userAgent: client.userAgent, ip: client.ip };
}

/**
 * nggirl's phone accounts: codes, registration, sign-in, token refresh and password reset. Passwords arrive as md5
 * hex, the credential every dialect shares; a sign-in answers an access token, a refresh token and the IM
 * credentials (NggirlCredentialsService). Every route answers GET and POST (the document's examples are query
 * strings) and is signed (NggirlSignatureGuard, through @Dialect).
 */
@Dialect('nggirl')
@Controller('nggirl/app/bus/phoneUser')
export class NggirlAccountController {
  constructor(
    private readonly phoneCodes: PhoneCodesService,
    private readonly codes: VerificationCodesService,
    private readonly registration: RegistrationService,
    private readonly signIn: SignInService,
    private readonly passwords: PasswordResetService,
    private readonly credentials: NggirlCredentialsService,
  ) {}

  @GetOrPost('logon')
  @Public()
  @ApiOperation({
    summary: '用户登录 — a saved accessToken of the same user ends that older session',
  })
  @ApiParams(NggirlLogonDto)
  @Reply(nggirl, {
    data: NggirlTokensDto,
    errors: ['INVALID_PARAMS', 'BAD_CREDENTIALS', 'ACCOUNT_LOCKED', 'ACCOUNT_DISABLED', 'RATE_LIMITED'],
  })
  async logon(@Params() params: NggirlLogonDto, @Client() client: ClientInfo): Promise<NggirlTokens> {
    const signedIn = await this.signIn.loginWithPhone(
      { phone: params.phoneNum, passwordDigest: normaliseClientDigest(params.password) },
      signInContext(client),
    );
    await this.credentials.endPreviousSession(params.accessToken, signedIn.user.id);
    return this.credentials.afterSignIn(signedIn);
  }

  @GetOrPost('create')
  @Public()
  @ApiOperation({ summary: '创建账户 — with the code getCode sent' })
  @ApiParams(NggirlCreateDto)
  @LimitedPerAddress('account')
  @Reply(nggirl, {
    data: NggirlTokensDto,
    errors: [
      'INVALID_PARAMS',
      'ACCOUNT_EXISTS',
      'CODE_INVALID',
      'CODE_EXPIRED',
      'CODE_ATTEMPTS_EXCEEDED',
      'RATE_LIMITED',
    ],
  })
  async create(@Params() params: NggirlCreateDto, @Client() client: ClientInfo): Promise<NggirlTokens> {
    const signedIn = await this.registration.registerWithPhone(
      { phone: params.phoneNum, code: params.code, passwordDigest: normaliseClientDigest(params.password) },
      signInContext(client),
    );
    return this.credentials.afterSignIn(signedIn);
  }

  @GetOrPost('getCode')
  @Public()
  @ApiOperation({ summary: '获取注册验证码 — code 4 for a registered number' })
  @ApiParams(NggirlPhoneDto)
  @LimitedPerAddress('account')
  @Reply(nggirl, { data: CODE_DATA, errors: ['INVALID_PARAMS', 'ACCOUNT_EXISTS', 'RATE_LIMITED'] })
  async getCode(@Params() params: NggirlPhoneDto, @Client() client: ClientInfo): Promise<{ code?: string }> {
    const sent = await this.phoneCodes.sendRevealing({
      phone: params.phoneNum,
      purpose: 'register',
      ip: client.ip,
      format: NGGIRL_SMS,
    });
    return sent.echo ? { code: sent.echo } : {};
  }

  @GetOrPost('getCodeForgot')
  @Public()
  @ApiOperation({ summary: '获取注册验证码(忘记密码) — code 1 for a number that is not registered' })
  @ApiParams(NggirlPhoneDto)
  @LimitedPerAddress('account')
  @Reply(nggirl, { data: CODE_DATA, errors: ['INVALID_PARAMS', 'USER_NOT_FOUND', 'RATE_LIMITED'] })
  async getCodeForgot(
    @Params() params: NggirlPhoneDto,
    @Client() client: ClientInfo,
  ): Promise<{ code?: string }> {
    const sent = await this.phoneCodes.sendRevealing({
      phone: params.phoneNum,
      purpose: 'reset',
      ip: client.ip,
      format: NGGIRL_SMS,
    });
    return sent.echo ? { code: sent.echo } : {};
  }

  @GetOrPost('checkRegisterCode')
  @Public()
  @ApiOperation({
    summary: '验证注册验证码 — checks without using it up (create needs it); a wrong try counts towards 5',
  })
  @ApiParams(NggirlCodeDto)
  @Reply(nggirl, {
    data: { type: 'null' },
    errors: ['INVALID_PARAMS', 'CODE_INVALID', 'CODE_EXPIRED', 'CODE_ATTEMPTS_EXCEEDED', 'RATE_LIMITED'],
  })
  async checkRegisterCode(@Params() params: NggirlCodeDto, @Client() client: ClientInfo): Promise<null> {
    await this.codes.check({
      recipient: params.phoneNum,
      purpose: 'register',
      code: params.code,
      ip: client.ip,
    });
    return null;
  }

  @GetOrPost('authorization')
  @Public()
  @ApiOperation({
    summary:
      '更新授权令牌 — both tokens of the last pair; a refresh token is single use, and a spent one presented again revokes its family',
  })
  @ApiParams(NggirlAuthorizationDto)
  @Reply(nggirl, {
    data: NggirlTokensDto,
    errors: ['INVALID_PARAMS', 'UNAUTHENTICATED', 'USER_NOT_FOUND', 'ACCOUNT_DISABLED'],
  })
  authorization(
    @Params() params: NggirlAuthorizationDto,
    @Client() client: ClientInfo,
  ): Promise<NggirlTokens> {
    return this.credentials.refresh(
      { accessToken: params.accessToken, refreshToken: params.refreshToken },
      { userAgent: client.userAgent, ip: client.ip },
    );
  }

  @GetOrPost('updatePasswordForgot')
  @Public()
  @ApiOperation({
    summary:
      '修改密码（忘记密码时） — every session of the account ends, in every dialect; answers a new pair',
  })
  @ApiParams(NggirlUpdatePasswordForgotDto)
  @Reply(nggirl, {
    data: NggirlTokensDto,
    errors: ['INVALID_PARAMS', 'CODE_INVALID', 'CODE_EXPIRED', 'CODE_ATTEMPTS_EXCEEDED', 'RATE_LIMITED'],
  })
  async updatePasswordForgot(
    @Params() params: NggirlUpdatePasswordForgotDto,
    @Client() client: ClientInfo,
  ): Promise<NggirlTokens> {
    const userId = await this.passwords.resetPasswordWithCode({
      phone: params.phoneNum,
      code: params.code,
      newDigest: normaliseClientDigest(params.newPassword),
      ip: client.ip,
    });
    return this.credentials.signInAfterPasswordReset(userId, { userAgent: client.userAgent, ip: client.ip });
  }
}
