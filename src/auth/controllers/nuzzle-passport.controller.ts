import { Controller, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { FacebookAuthenticated, FacebookIdentity } from '#src/auth/facebook-auth.guard.js';
import { NuzzleFacebookAccount, NuzzleFacebookLoginDto } from '#src/auth/dto/nuzzle-facebook-login.dto.js';
import { PasswordResetService } from '#src/auth/password-reset.service.js';
import { RegistrationService } from '#src/auth/registration.service.js';
import { SignInService, type SignInContext } from '#src/auth/sign-in.service.js';
import {
  NuzzleEmailLoginDto,
  NuzzleEmailRegisterDto,
  NuzzleForgotPasswordDto,
  NuzzleModifyPasswordDto,
} from '#src/auth/dto/nuzzle-passport.dto.js';
import { normaliseClientDigest } from '#src/auth/password-digest.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { LimitedPerAddress } from '#src/common/counters/address-limiter.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import type { Principal } from '#src/auth/principal.js';
import { Client, Params, type ClientInfo } from '#src/common/http/params.decorator.js';
import { CurrentSession } from '#src/auth/principal.js';
import { nuzzle } from '#src/dialects/nuzzle.dialect.js';
import { toNuzzleAccount } from '#src/users/controllers/nuzzle-user.mapper.js';
import { NuzzleAccount } from '#src/users/dto/nuzzle-user.dto.js';
import { Public } from '#src/common/dialect/public.decorator.js';
import type { FacebookProfile } from '#src/sns/facebook-graph.client.js';
import { FacebookLoginService } from '#src/sns/facebook-login.service.js';

function signInContext(params: { pf?: string; pushToken?: string }, client: ClientInfo): SignInContext {
  return {
    dialect: 'nuzzle',
    platform: params.pf?.toLowerCase(),
    userAgent: client.userAgent,
    ip: client.ip,
    push: params.pushToken ? { provider: 'nuzzle', token: params.pushToken } : undefined,
  };
}

@Dialect('nuzzle')
@Controller('passport')
export class NuzzlePassportController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly signIn: SignInService,
    private readonly passwords: PasswordResetService,
    private readonly facebook: FacebookLoginService,
  ) {}

  @Post('email/register')
  @Public()
  @ApiOperation({ summary: '邮箱注册接口' })
  @ApiParams(NuzzleEmailRegisterDto)
  @LimitedPerAddress('account')
  @Reply(nuzzle, {
    data: NuzzleAccount,
    errors: ['INVALID_PARAMS', 'ACCOUNT_EXISTS', 'NICKNAME_INVALID', 'RATE_LIMITED'],
  })
  async register(
    @Params() params: NuzzleEmailRegisterDto,
    @Client() client: ClientInfo,
  ): Promise<NuzzleAccount> {
    const { user, accessToken } = await this.registration.registerWithEmail(
      {
        email: params.email,
        passwordDigest: normaliseClientDigest(params.password),
        nickname: params.nickname,
      },
      signInContext(params, client),
    );
    return toNuzzleAccount(user, accessToken);
  }

  @Post('email/login')
  @Public()
  @ApiOperation({ summary: '邮箱登录接口' })
  @ApiParams(NuzzleEmailLoginDto)
  @Reply(nuzzle, {
    data: NuzzleAccount,
    errors: ['INVALID_PARAMS', 'BAD_CREDENTIALS', 'ACCOUNT_DISABLED', 'ACCOUNT_LOCKED', 'RATE_LIMITED'],
  })
  async login(@Params() params: NuzzleEmailLoginDto, @Client() client: ClientInfo): Promise<NuzzleAccount> {
    const { user, accessToken } = await this.signIn.loginWithEmail(
      { email: params.email, passwordDigest: normaliseClientDigest(params.password) },
      signInContext(params, client),
    );
    return toNuzzleAccount(user, accessToken);
  }

  @Post('facebook/login')
  @Public()
  @ApiOperation({
    summary:
      'facebook第三方登录接口 — the account of the Facebook id Graph gives for accessToken (created on first use)',
  })
  @ApiParams(NuzzleFacebookLoginDto)
  // Guards run bottom-up here: the address budget is spent before Graph is asked.
  @FacebookAuthenticated()
  @LimitedPerAddress('account')
  @Reply(nuzzle, {
    data: NuzzleFacebookAccount,
    errors: ['INVALID_PARAMS', 'BAD_CREDENTIALS', 'ACCOUNT_DISABLED', 'UPSTREAM_FAILED', 'RATE_LIMITED'],
  })
  async facebookLogin(
    @Params() params: NuzzleFacebookLoginDto,
    @FacebookIdentity() profile: FacebookProfile,
    @Client() client: ClientInfo,
  ): Promise<NuzzleFacebookAccount> {
    const { user, accessToken, isFirstTime } = await this.facebook.signIn(
      profile,
      { nickname: params.nickname, avatar: params.avatar },
      signInContext(params, client),
    );
    return { ...toNuzzleAccount(user, accessToken), isFirstTime };
  }

  @GetOrPost('forgot/passwd')
  @Public()
  @ApiOperation({
    summary: '邮箱找回密码接口 — mails a single-use reset link; answers true whether or not the email exists',
  })
  @ApiParams(NuzzleForgotPasswordDto)
  @Reply(nuzzle, { data: { type: 'boolean', enum: [true] }, errors: ['INVALID_PARAMS'] })
  async forgotPassword(@Params() params: NuzzleForgotPasswordDto): Promise<true> {
    await this.passwords.requestPasswordReset(params.email);
    return true;
  }

  @GetOrPost('modify/passwd')
  @ApiOperation({ summary: '修改密码接口 — ends the account’s other sessions' })
  @ApiParams(NuzzleModifyPasswordDto)
  @Authenticated()
  @Reply(nuzzle, {
    data: { type: 'boolean', enum: [true] },
    errors: ['INVALID_PARAMS', 'UNAUTHENTICATED', 'BAD_CREDENTIALS', 'USER_NOT_FOUND', 'ACCOUNT_DISABLED'],
  })
  async modifyPassword(
    @Params() params: NuzzleModifyPasswordDto,
    @CurrentSession() session: Principal,
  ): Promise<true> {
    await this.passwords.changePassword(
      session,
      normaliseClientDigest(params.oldPasswd),
      normaliseClientDigest(params.newPasswd),
    );
    return true;
  }

  @GetOrPost('logout')
  @ApiOperation({ summary: '退出接口 — the token stops working at once' })
  @Authenticated()
  @Reply(nuzzle, {
    data: { type: 'boolean', enum: [true] },
    errors: ['UNAUTHENTICATED', 'USER_NOT_FOUND', 'ACCOUNT_DISABLED'],
  })
  async logout(@CurrentSession() session: Principal): Promise<true> {
    await this.signIn.logout(session);
    return true;
  }
}
