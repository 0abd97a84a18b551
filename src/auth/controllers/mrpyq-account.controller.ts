import { Controller, Inject, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import {
  MrpyqLoginDto,
  MrpyqRegisterDto,
  MrpyqSendCodeDto,
  MrpyqVerifyCodeDto,
} from '#src/auth/controllers/mrpyq-account.dto.js';
import { md5Hex } from '#src/auth/password-digest.js';
import { PhoneCodesService, type PhoneCodeFormat } from '#src/auth/phone-codes.service.js';
import { RegistrationService } from '#src/auth/registration.service.js';
import { SessionService } from '#src/auth/session.service.js';
import { SignInService } from '#src/auth/sign-in.service.js';
import { LimitedPerAddress } from '#src/common/counters/address-limiter.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { Operation } from '#src/common/dialect/operation.decorator.js';
import { Public } from '#src/common/dialect/public.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Client, Params, type ClientInfo } from '#src/common/http/params.decorator.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { mrpyq } from '#src/dialects/mrpyq.dialect.js';
import { genderFromMrpyq } from '#src/friends/controllers/mrpyq-user.mapper.js';
import { toE164 } from '#src/users/phone.js';
import { PhoneVerificationsService } from '#src/verification/phone-verifications.service.js';

/** mrpyq's codes: four digits, as its document says. */
const MRPYQ_SMS: PhoneCodeFormat = {
  digits: 4,
  sms: (code, minutes) => `您的注册验证码是${code}，${minutes}分钟内有效，请勿泄露给他人。`,
};

const NULL_MESSAGE = { type: 'string', nullable: true, enum: [null] };

/**
 * mrpyq's accounts: the registration in three requests on `/register` (send a code, check it, then the account) and
 * sign-in on `/log`. Its client sends plain passwords: they are md5-ed here into the credential every dialect
 * shares, so a number registered through any client signs in here with the same password.
 */
@Dialect('mrpyq')
@Controller()
export class MrpyqAccountController {
  constructor(
    private readonly phoneCodes: PhoneCodesService,
    private readonly verifications: PhoneVerificationsService,
    private readonly registration: RegistrationService,
    private readonly signIn: SignInService,
    private readonly sessions: SessionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Operation('register', {})
  @Public()
  @ApiOperation({
    summary:
      '验证码发送 — the phone in `token` (or `userId`, `phone`); the 4-digit code goes by SMS, and `message` is an opaque ticket to send back as `code_v`',
  })
  @ApiParams(MrpyqSendCodeDto)
  @LimitedPerAddress('account')
  @Reply(mrpyq, {
    data: { type: 'string', description: 'the verification ticket (code_v), never the code' },
    errors: ['INVALID_PARAMS', 'ACCOUNT_EXISTS', 'RATE_LIMITED'],
    overrides: { INVALID_PARAMS: { message: '手机号格式不正确' } },
  })
  async sendCode(@Params() params: MrpyqSendCodeDto, @Client() client: ClientInfo): Promise<string> {
    const phone = toE164(params.token ?? params.userId ?? params.phone ?? '');
    if (!phone) throw new DomainError('INVALID_PARAMS', 'not a phone number', { fields: ['token'] });
    const sent = await this.phoneCodes.sendRevealing({
      phone,
      purpose: 'register',
      ip: client.ip,
      format: MRPYQ_SMS,
    });
    return this.verifications.issueTicket(phone, sent.expiresAt);
  }

  @Operation('register', { present: ['code'] })
  @Public()
  @ApiOperation({
    summary:
      '验证码校验 — `code_v` is the send step’s ticket, `code` what the user typed; a right code lets the number register for MRPYQ_VERIFIED_PHONE_TTL',
  })
  @ApiParams(MrpyqVerifyCodeDto)
  @Reply(mrpyq, {
    data: NULL_MESSAGE,
    errors: ['INVALID_PARAMS', 'CODE_INVALID', 'CODE_EXPIRED', 'CODE_ATTEMPTS_EXCEEDED', 'RATE_LIMITED'],
    overrides: { CODE_EXPIRED: { message: '验证码已失效,请重新获取' } },
  })
  async verifyCode(@Params() params: MrpyqVerifyCodeDto, @Client() client: ClientInfo): Promise<null> {
    await this.verifications.verifyWithTicket({ ticket: params.code_v, code: params.code, ip: client.ip });
    return null;
  }

  @Operation('register', { marker: 'register' })
  @Public()
  @ApiOperation({
    summary:
      '注册step2 — the number must have passed the code check; password of 8+ characters with letters and digits; headImage an address /upload answered',
  })
  @ApiParams(MrpyqRegisterDto)
  @LimitedPerAddress('account')
  @Reply(mrpyq, {
    data: NULL_MESSAGE,
    errors: ['INVALID_PARAMS', 'CODE_INVALID', 'ACCOUNT_EXISTS', 'NICKNAME_INVALID', 'RATE_LIMITED'],
    overrides: {
      CODE_INVALID: { message: '手机号未通过验证码校验' },
      NICKNAME_INVALID: { message: '昵称不可用' },
    },
  })
  async register(@Params() params: MrpyqRegisterDto): Promise<null> {
    await this.registration.registerVerifiedPhone({
      phone: params.userId,
      passwordDigest: md5Hex(params.password),
      nickname: params.nickname,
      gender: genderFromMrpyq(params.gender),
      avatarUrl: params.headImage,
    });
    return null;
  }

  @Post('log')
  @Public()
  @ApiOperation({
    summary:
      '登录 — answers the token in `message`; `expire_in` seconds, capped by MRPYQ_MAX_TOKEN_TTL. An unknown number and a wrong password answer alike (0008)',
  })
  @ApiParams(MrpyqLoginDto)
  @Reply(mrpyq, {
    data: { type: 'string', description: 'the token, sent as `token` on every other route' },
    errors: ['INVALID_PARAMS', 'BAD_CREDENTIALS', 'ACCOUNT_LOCKED', 'ACCOUNT_DISABLED', 'RATE_LIMITED'],
    overrides: {
      BAD_CREDENTIALS: { message: '用户名或密码错误' },
      ACCOUNT_LOCKED: { message: '密码错误次数过多,请稍后再试' },
      ACCOUNT_DISABLED: { message: '账号已被冻结' },
    },
  })
  async login(@Params() params: MrpyqLoginDto, @Client() client: ClientInfo): Promise<string> {
    const cap = this.config.mrpyq.maxTokenTtlMs;
    const ttlMs = params.expire_in === undefined ? cap : Math.min(Number(params.expire_in) * 1000, cap);
    if (ttlMs < 1000)
      throw new DomainError('INVALID_PARAMS', 'expire_in must be at least 1', { fields: ['expire_in'] });
    const { user, sessionId } = await this.signIn.loginWithPhone(
      { phone: params.userId, passwordDigest: md5Hex(params.password) },
      { dialect: 'mrpyq', ip: client.ip, userAgent: client.userAgent },
    );
    // The session is the same as any dialect's (revocable, checked on every request); only its token is issued to
    // end when the client asked it to.
    return this.sessions.tokenFor(user.id, sessionId, 'mrpyq', ttlMs);
  }
}
