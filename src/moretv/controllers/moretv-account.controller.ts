import { Controller, Get, Inject, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { LimitedPerAddress } from '#src/common/counters/address-limiter.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { Operation } from '#src/common/dialect/operation.decorator.js';
import { Public } from '#src/common/dialect/public.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { ReplyOutcome } from '#src/common/dialect/reply-outcome.js';
import { Client, Params, type ClientInfo } from '#src/common/http/params.decorator.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { moretv } from '#src/dialects/moretv.dialect.js';
import { Browser, sessionCookie, type BrowserSession } from '#src/moretv/browser/browser-session.js';
import {
  MoretvCallbackDto,
  MoretvForgotDto,
  MoretvLoginDto,
  MoretvLoginFormDto,
  MoretvRegisterDto,
  MoretvResetDto,
  MoretvResetQueryDto,
} from '#src/moretv/dto/moretv.dto.js';
import { MoretvAccountsService } from '#src/moretv/moretv-accounts.service.js';
import { MoretvPages } from '#src/moretv/pages/moretv-pages.service.js';
import { MoretvPage, PageRequest, type PageLocale } from '#src/moretv/pages/page-context.js';

const LOGIN_CODES = {
  INVALID_PARAMS: { code: -2, message: 'email或password为空' },
  BAD_CREDENTIALS: { code: -1, message: 'email或密码错误' },
  ACCOUNT_LOCKED: { code: -1, message: '密码错误次数过多,请稍后再试' },
  ACCOUNT_DISABLED: { code: -1, message: '账号已被冻结' },
  RATE_LIMITED: { code: -1, message: '登录太频繁,请稍后再试' },
} as const;

/**
 * The pages before sign-in — register, login, forgot and reset password — each served by GET on the path its form
 * posts to, and moretv's JSON login. A page form carries the `_csrf` token; that is how a POST to `/user/login`
 * from the page (answered with a page) is told from the document's JSON client (answered `{status, err_msg}`).
 */
@Dialect('moretv')
@Controller()
export class MoretvAccountController {
  constructor(
    private readonly pages: MoretvPages,
    private readonly accounts: MoretvAccountsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('user/register')
  @Public()
  @MoretvPage()
  @ApiOperation({ summary: '注册页面 — the registration form (email, nickname, password, captcha)' })
  @Reply(moretv, { html: true })
  registerForm(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @Params() params: MoretvCallbackDto,
  ): ReplyOutcome<string> {
    return this.pages.registerForm(page, browser, params.callback);
  }

  @Post('user/register')
  @Public()
  @MoretvPage()
  @LimitedPerAddress('account')
  @ApiOperation({
    summary:
      'Register — text/html: signs in and redirects (303) to `callback` when it is on an allowed origin, else to the account page; a refused form comes back with the reason by its field',
  })
  @ApiParams(MoretvRegisterDto)
  @Reply(moretv, {
    html: true,
    errors: ['RATE_LIMITED'],
    transportErrors: ['ORIGIN_REFUSED'],
    overrides: { RATE_LIMITED: { message: '操作太频繁,请稍后再试' } },
  })
  register(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @Params() params: MoretvRegisterDto,
    @Client() client: ClientInfo,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.register(page, browser, params, client);
  }

  @Get('user/login')
  @Public()
  @MoretvPage()
  @ApiOperation({ summary: '登录页面 — the sign-in form, with the configured SNS sign-ins' })
  @Reply(moretv, { html: true })
  loginForm(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @Params() params: MoretvCallbackDto,
  ): ReplyOutcome<string> {
    return this.pages.loginForm(page, browser, params.callback, params.notice);
  }

  @Operation('user/login', { present: ['_csrf'] })
  @Public()
  @MoretvPage()
  @ApiOperation({
    summary:
      'Login from the page (the form carries `_csrf`) — text/html: sets the session cookie and redirects (303) to `callback` or the account page',
  })
  @ApiParams(MoretvLoginFormDto)
  @Reply(moretv, { html: true, transportErrors: ['ORIGIN_REFUSED'] })
  loginFromPage(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @Params() params: MoretvLoginFormDto,
    @Client() client: ClientInfo,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.login(page, browser, params, client);
  }

  @Operation('user/login', {})
  @Public()
  @ApiOperation({
    summary:
      'Login — `{status, err_msg}`; sets the `moretv_session` cookie (auto_login: kept for the session lifetime, else until the browser closes)',
  })
  @ApiParams(MoretvLoginDto)
  @Reply(moretv, {
    variant: 'login',
    errors: ['INVALID_PARAMS', 'BAD_CREDENTIALS', 'ACCOUNT_LOCKED', 'ACCOUNT_DISABLED', 'RATE_LIMITED'],
    transportErrors: ['ORIGIN_REFUSED'],
    overrides: LOGIN_CODES,
  })
  async login(
    @Params() params: MoretvLoginDto,
    @Client() client: ClientInfo,
  ): Promise<ReplyOutcome<undefined>> {
    const { accessToken } = await this.accounts.login(params, client);
    const persistent = ['1', 'true', 'on', 'yes'].includes((params.auto_login ?? '').toLowerCase());
    return new ReplyOutcome(undefined, { setCookies: [sessionCookie(accessToken, persistent, this.config)] });
  }

  @Get('user/forgetPassword')
  @Public()
  @MoretvPage()
  @ApiOperation({ summary: '找回密码页面' })
  @Reply(moretv, { html: true })
  forgotForm(@PageRequest() page: PageLocale, @Browser() browser: BrowserSession): ReplyOutcome<string> {
    return this.pages.forgotForm(page, browser);
  }

  @Post('user/forgetPassword')
  @Public()
  @MoretvPage()
  @ApiOperation({
    summary:
      'Find password — text/html: mails a link to `/user/resetPassword` when the address has an account, and says the same either way',
  })
  @ApiParams(MoretvForgotDto)
  @Reply(moretv, { html: true, transportErrors: ['ORIGIN_REFUSED'] })
  forgot(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @Params() params: MoretvForgotDto,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.forgot(page, browser, params.email);
  }

  @Get('user/resetPassword')
  @Public()
  @MoretvPage()
  @ApiOperation({ summary: '重置密码页面 — opened from the mailed link (`?token=`)' })
  @Reply(moretv, { html: true })
  resetForm(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @Params() params: MoretvResetQueryDto,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.resetForm(page, browser, params.token);
  }

  @Post('user/resetPassword')
  @Public()
  @MoretvPage()
  @ApiOperation({
    summary:
      'Reset password — text/html: sets the password (every session of the account ends) and redirects to the sign-in page',
  })
  @ApiParams(MoretvResetDto)
  @Reply(moretv, { html: true, transportErrors: ['ORIGIN_REFUSED'] })
  reset(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @Params() params: MoretvResetDto,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.reset(page, browser, params);
  }
}
