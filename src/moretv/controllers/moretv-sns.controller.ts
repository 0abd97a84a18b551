import { Controller, Get, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentSession, type Principal } from '#src/auth/principal.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { Public } from '#src/common/dialect/public.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import type { ReplyOutcome } from '#src/common/dialect/reply-outcome.js';
import { Client, Params, type ClientInfo } from '#src/common/http/params.decorator.js';
import { moretv } from '#src/dialects/moretv.dialect.js';
import { Browser, type BrowserSession } from '#src/moretv/browser/browser-session.js';
import {
  MoretvFillDto,
  MoretvFillQueryDto,
  MoretvPreauthDto,
  MoretvSnsCallbackDto,
  MoretvUnbindDto,
} from '#src/moretv/dto/moretv.dto.js';
import { StateChangingGet } from '#src/moretv/moretv-request.guard.js';
import { ReadsSession, SessionIfAny } from '#src/moretv/optional-session.guard.js';
import { MoretvPages } from '#src/moretv/pages/moretv-pages.service.js';
import { MoretvPage, PageRequest, type PageLocale } from '#src/moretv/pages/page-context.js';

/**
 * SNS sign-in (`qq`, `wb`, `db`, `wx`) and bindings, over src/sns: the state is bound to the browser id cookie, the
 * provider calls back to `/sns/login/callback/{TYPE}`, a new person completes the fill-userinfo page.
 */
@Dialect('moretv')
@Controller('sns/login')
export class MoretvSnsController {
  constructor(private readonly pages: MoretvPages) {}

  @Get('preauth')
  @Public()
  @ReadsSession()
  @MoretvPage()
  @ApiOperation({
    summary:
      'SNS login or bind (`action=bind`, signed in) — redirects (303) to the provider; `redirect_url` is kept only on an allowed origin',
  })
  @ApiParams(MoretvPreauthDto)
  @Reply(moretv, {
    html: true,
    errors: ['INVALID_PARAMS', 'UNAUTHENTICATED'],
    overrides: { INVALID_PARAMS: { message: '不支持的登录方式' } },
  })
  preauth(
    @Browser() browser: BrowserSession,
    @SessionIfAny() session: Principal | undefined,
    @Params() params: MoretvPreauthDto,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.preauth(browser, session, params);
  }

  @Get('callback/:type')
  @Public()
  @ReadsSession()
  @MoretvPage()
  @ApiOperation({
    summary:
      'The providers’ redirect (not in the document) — signs in, sends a new person to the fill page, or finishes a bind; redirects (303)',
  })
  @ApiParams(MoretvSnsCallbackDto)
  @Reply(moretv, {
    html: true,
    errors: ['INVALID_PARAMS', 'UPSTREAM_FAILED', 'ACCOUNT_DISABLED', 'UNAUTHENTICATED', 'FORBIDDEN'],
    overrides: {
      INVALID_PARAMS: { message: '登录已失效,请重新登录' },
      UPSTREAM_FAILED: { message: '第三方登录暂时不可用,请稍后再试' },
      ACCOUNT_DISABLED: { message: '账号已被冻结' },
      UNAUTHENTICATED: { message: '您还未登陆,请登陆' },
      FORBIDDEN: { message: '绑定失败：请使用发起绑定的账号登录' },
    },
  })
  callback(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @SessionIfAny() session: Principal | undefined,
    @Params() params: MoretvSnsCallbackDto,
    @Client() client: ClientInfo,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.callback(page, browser, session, params.type ?? '', params, client);
  }

  @Get('fill')
  @Public()
  @MoretvPage()
  @ApiOperation({
    summary: 'Fill userinfo — the form of a new person back from the provider, in the browser that came back',
  })
  @ApiParams(MoretvFillQueryDto)
  @Reply(moretv, {
    html: true,
    errors: ['NOT_FOUND'],
    overrides: { NOT_FOUND: { message: '链接已失效,请重新登录' } },
  })
  fillForm(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @Params() params: MoretvFillQueryDto,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.fillForm(page, browser, params);
  }

  @Post('fill')
  @Public()
  @MoretvPage()
  @ApiOperation({
    summary: 'Fill userinfo — creates the account, binds the identity, signs in and redirects (303)',
  })
  @ApiParams(MoretvFillDto)
  @Reply(moretv, {
    html: true,
    errors: ['NOT_FOUND'],
    transportErrors: ['ORIGIN_REFUSED'],
    overrides: { NOT_FOUND: { message: '链接已失效,请重新登录' } },
  })
  fill(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @Params() params: MoretvFillDto,
    @Client() client: ClientInfo,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.fill(page, browser, params, client);
  }

  @GetOrPost('unbind')
  @Authenticated()
  @StateChangingGet()
  @MoretvPage()
  @ApiOperation({
    summary:
      'Unbind — GET as documented (the account page posts its form); refuses the last way to sign in; redirects (303) to the account page, which tells the outcome',
  })
  @ApiParams(MoretvUnbindDto)
  @Reply(moretv, {
    html: true,
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS'],
    transportErrors: ['ORIGIN_REFUSED'],
    overrides: { INVALID_PARAMS: { message: '不支持的登录方式' } },
  })
  unbind(
    @CurrentSession() session: Principal,
    @Params() params: MoretvUnbindDto,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.unbind(session, params.type);
  }
}
