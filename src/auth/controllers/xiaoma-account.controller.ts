import { Controller } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { PasswordResetService } from '#src/auth/password-reset.service.js';
import { PhoneCodesService, type PhoneCodeFormat } from '#src/auth/phone-codes.service.js';
import { RegistrationService } from '#src/auth/registration.service.js';
import { SignInService, type SignInContext } from '#src/auth/sign-in.service.js';
import {
  XiaomaLoginDto,
  XiaomaRegisterDto,
  XiaomaRetrievePasswordDto,
  XiaomaSendCodeDto,
  XiaomaTokenDto,
} from '#src/auth/dto/xiaoma-account.dto.js';
import { md5Hex } from '#src/auth/password-digest.js';
import { IdentityService } from '#src/identity/identity.service.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { LimitedPerAddress } from '#src/common/counters/address-limiter.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import type { Principal } from '#src/auth/principal.js';
import { Client, Params, type ClientInfo } from '#src/common/http/params.decorator.js';
import { CurrentSession } from '#src/auth/principal.js';
import { xiaoma } from '#src/dialects/xiaoma.dialect.js';
import { Public } from '#src/common/dialect/public.decorator.js';

function signInContext(registrationId: string | undefined, client: ClientInfo): SignInContext {
  return {
    dialect: 'xiaoma',
    userAgent: client.userAgent,
    ip: client.ip,
    push: registrationId ? { provider: 'jpush', token: registrationId } : undefined,
  };
}

/** xiaoma's codes: six digits, in its own wording. */
const XIAOMA_SMS: PhoneCodeFormat = {
  digits: 6,
  sms: (code, minutes) => `您的验证码是${code}，${minutes}分钟内有效，请勿泄露给他人。`,
};

const TOKEN_SCHEMA = { type: 'object', properties: { token: { type: 'string' } }, required: ['token'] };

/**
 * xiaoma's account endpoints. The document's clients send plain passwords: they are md5-ed here into the
 * credential every dialect shares. Every route answers GET and POST (the PHP server did not care).
 */
@Dialect('xiaoma')
@Controller('Api/User')
export class XiaomaAccountController {
  constructor(
    private readonly phoneCodes: PhoneCodesService,
    private readonly registration: RegistrationService,
    private readonly signIn: SignInService,
    private readonly passwords: PasswordResetService,
    private readonly identity: IdentityService,
  ) {}

  @GetOrPost('send_code')
  @Public()
  @ApiOperation({
    summary:
      '发送验证码 (not in the document: its flows need one) — answers alike whether or not the number has an account',
  })
  @ApiParams(XiaomaSendCodeDto)
  @Reply(xiaoma, {
    success: { message: '发送成功' },
    data: {
      oneOf: [
        { type: 'string', enum: [''] },
        { type: 'object', properties: { code: { type: 'string' } } },
      ],
    },
    errors: ['INVALID_PARAMS', 'RATE_LIMITED'],
    overrides: { RATE_LIMITED: { code: 998, message: '发送太频繁,请稍后再试' } },
  })
  async sendCode(
    @Params() params: XiaomaSendCodeDto,
    @Client() client: ClientInfo,
  ): Promise<{ code: string } | ''> {
    const sent = await this.phoneCodes.send({
      phone: params.phone,
      purpose: params.type === 'retrieve' ? 'reset' : 'register',
      ip: client.ip,
      format: XIAOMA_SMS,
    });
    return sent.echo ? { code: sent.echo } : '';
  }

  @GetOrPost('register')
  @Public()
  @ApiOperation({ summary: '用户注册' })
  @ApiParams(XiaomaRegisterDto)
  @LimitedPerAddress('account')
  @Reply(xiaoma, {
    success: { message: '注册成功' },
    data: TOKEN_SCHEMA,
    errors: [
      'INVALID_PARAMS',
      'ACCOUNT_EXISTS',
      'CODE_INVALID',
      'CODE_EXPIRED',
      'CODE_ATTEMPTS_EXCEEDED',
      'RATE_LIMITED',
      'INTERNAL',
    ],
    overrides: {
      RATE_LIMITED: { code: 998, message: '操作太频繁,请稍后再试' },
      INVALID_PARAMS: { message: '输入的信息不符合' },
      CODE_EXPIRED: { message: '验证码已失效,请重新获取' },
      CODE_ATTEMPTS_EXCEEDED: { message: '验证码错误次数过多,请重新获取' },
      INTERNAL: { code: 1009, message: '注册失败' },
    },
  })
  async register(
    @Params() params: XiaomaRegisterDto,
    @Client() client: ClientInfo,
  ): Promise<{ token: string }> {
    const { accessToken } = await this.registration.registerWithPhone(
      { phone: params.phone, code: params.code, passwordDigest: md5Hex(params.password) },
      signInContext(params.RegistrationID, client),
    );
    return { token: accessToken };
  }

  @GetOrPost('login')
  @Public()
  @ApiOperation({ summary: '用户登录' })
  @ApiParams(XiaomaLoginDto)
  @Reply(xiaoma, {
    success: { message: '登录成功' },
    data: {
      type: 'object',
      properties: { authenticationState: { type: 'integer', enum: [0, 1] }, token: { type: 'string' } },
    },
    errors: ['INVALID_PARAMS', 'BAD_CREDENTIALS', 'ACCOUNT_LOCKED', 'ACCOUNT_DISABLED', 'RATE_LIMITED'],
    overrides: {
      INVALID_PARAMS: { message: '账号密码格式不正确' },
      ACCOUNT_LOCKED: { code: 1010, message: '密码错误次数过多,请稍后再试' },
      ACCOUNT_DISABLED: { code: 1010, message: '账号已被冻结' },
      RATE_LIMITED: { code: 1010, message: '登录太频繁,请稍后再试' },
    },
  })
  async login(
    @Params() params: XiaomaLoginDto,
    @Client() client: ClientInfo,
  ): Promise<{ authenticationState: 0 | 1; token: string }> {
    const { user, accessToken } = await this.signIn.loginWithPhone(
      { phone: params.phone, passwordDigest: md5Hex(params.password) },
      signInContext(params.RegistrationID, client),
    );
    const verified = (await this.identity.realNameState(user.id)) === 'verified';
    return { authenticationState: verified ? 1 : 0, token: accessToken };
  }

  @GetOrPost('retrieve_password')
  @Public()
  @ApiOperation({ summary: '找回密码(修改密码相同) — ends every session of the account' })
  @ApiParams(XiaomaRetrievePasswordDto)
  @Reply(xiaoma, {
    success: { message: '密码设置成功' },
    data: { type: 'string', enum: [''] },
    errors: ['INVALID_PARAMS', 'CODE_INVALID', 'CODE_EXPIRED', 'CODE_ATTEMPTS_EXCEEDED'],
    overrides: {
      INVALID_PARAMS: { message: '输入的信息不符合' },
      CODE_INVALID: { code: 1013, message: '验证码有误' },
      CODE_EXPIRED: { code: 1013, message: '验证码有误。数据未找到符合的验证码或验证码超出有效期' },
      CODE_ATTEMPTS_EXCEEDED: { code: 1013, message: '验证码错误次数过多,请重新获取' },
    },
  })
  async retrievePassword(
    @Params() params: XiaomaRetrievePasswordDto,
    @Client() client: ClientInfo,
  ): Promise<''> {
    await this.passwords.resetPasswordWithCode({
      phone: params.account,
      code: params.phone_code,
      newDigest: md5Hex(params.new_password),
      ip: client.ip,
    });
    return '';
  }

  @GetOrPost(['exit_login', 'exit_login/token/:token'])
  @ApiOperation({ summary: '退出登录 — the token stops working at once; the app must sign in again' })
  @ApiParams(XiaomaTokenDto)
  @Authenticated()
  @Reply(xiaoma, {
    success: { message: '退出成功' },
    data: { type: 'string', enum: [''] },
    errors: ['UNAUTHENTICATED', 'USER_NOT_FOUND'],
  })
  async exitLogin(@CurrentSession() session: Principal): Promise<''> {
    await this.signIn.logout(session);
    return '';
  }
}
