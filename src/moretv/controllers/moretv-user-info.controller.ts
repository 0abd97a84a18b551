import { Controller, Get, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation } from '@nestjs/swagger';
import { CurrentSession, type Principal } from '#src/auth/principal.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { LimitedPerAddress } from '#src/common/counters/address-limiter.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { Operation } from '#src/common/dialect/operation.decorator.js';
import { Public } from '#src/common/dialect/public.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { ReplyOutcome } from '#src/common/dialect/reply-outcome.js';
import { Client, Params, UploadedField, type ClientInfo } from '#src/common/http/params.decorator.js';
import { moretv } from '#src/dialects/moretv.dialect.js';
import { Browser, type BrowserSession } from '#src/moretv/browser/browser-session.js';
import {
  MoretvAccountQueryDto,
  MoretvChangeEmailDto,
  MoretvChangePasswordDto,
  MoretvProfileDto,
} from '#src/moretv/dto/moretv.dto.js';
import { MoretvAccountsService } from '#src/moretv/moretv-accounts.service.js';
import { ReadsSession, SessionIfAny } from '#src/moretv/optional-session.guard.js';
import { MoretvPages } from '#src/moretv/pages/moretv-pages.service.js';
import { MoretvPage, PageRequest, type PageLocale } from '#src/moretv/pages/page-context.js';

const AVATAR_BODY = {
  schema: {
    type: 'object',
    required: ['avatar'],
    properties: { avatar: { type: 'string', format: 'binary' } },
  },
};

/**
 * The account page and the document's `/userInfo/*` endpoints. Each form of the page posts to the documented path
 * with its `_csrf` token and is answered with the page; the document's clients, without it, get JSON.
 */
@Dialect('moretv')
@Controller('userInfo')
export class MoretvUserInfoController {
  constructor(
    private readonly pages: MoretvPages,
    private readonly accounts: MoretvAccountsService,
  ) {}

  @Get()
  @Public()
  @ReadsSession()
  @MoretvPage()
  @ApiOperation({
    summary:
      '账号设置页面 — password, email, avatar, profile, SNS bindings, sign-out; without a session, a redirect to the sign-in page',
  })
  @Reply(moretv, { html: true })
  account(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @SessionIfAny() session: Principal | undefined,
    @Params() params: MoretvAccountQueryDto,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.account(page, browser, session, params.notice);
  }

  // ---- change password

  @Operation('changePassword', { present: ['_csrf'] })
  @Authenticated()
  @MoretvPage()
  @ApiOperation({ summary: 'Change password from the account page (text/html)' })
  @ApiParams(MoretvChangePasswordDto)
  @Reply(moretv, { html: true, errors: ['UNAUTHENTICATED'], transportErrors: ['ORIGIN_REFUSED'] })
  changePasswordFromPage(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @CurrentSession() session: Principal,
    @Params() params: MoretvChangePasswordDto,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.changePassword(page, browser, session, params);
  }

  @Operation('changePassword', {})
  @Authenticated()
  @ApiOperation({
    summary:
      'Change password — 1 changed (other sessions end), 0 the new one is the old one, -1 wrong old password or the new ones differ, -3 not signed in',
  })
  @ApiParams(MoretvChangePasswordDto)
  @Reply(moretv, {
    success: { code: 1, message: '成功更改密码' },
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'BAD_CREDENTIALS'],
    transportErrors: ['ORIGIN_REFUSED'],
    overrides: {
      UNAUTHENTICATED: { code: -3, message: '您还未登陆,请登陆' },
      INVALID_PARAMS: { code: -1, message: '修改密码失败' },
      BAD_CREDENTIALS: { code: -1, message: '修改密码失败' },
    },
  })
  async changePassword(
    @CurrentSession() session: Principal,
    @Params() params: MoretvChangePasswordDto,
  ): Promise<ReplyOutcome<undefined> | undefined> {
    const outcome = await this.accounts.changePassword(session, params);
    return outcome === 'unchanged'
      ? new ReplyOutcome(undefined, { code: 0, message: '没有做任何修改' })
      : undefined;
  }

  // ---- change email

  @Operation('changeEmail', { marker: 'send_code' })
  @Authenticated()
  @MoretvPage()
  @LimitedPerAddress('account')
  @ApiOperation({
    summary: "The account page's “send a code” button (text/html): mails a code to the new address",
  })
  @ApiParams(MoretvChangeEmailDto)
  @Reply(moretv, {
    html: true,
    errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
    transportErrors: ['ORIGIN_REFUSED'],
    overrides: { RATE_LIMITED: { message: '操作太频繁,请稍后再试' } },
  })
  sendEmailCodeFromPage(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @CurrentSession() session: Principal,
    @Params() params: MoretvChangeEmailDto,
    @Client() client: ClientInfo,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.sendEmailCode(page, browser, session, params.email, client.ip);
  }

  @Operation('changeEmail', { present: ['_csrf'] })
  @Authenticated()
  @MoretvPage()
  @LimitedPerAddress('account')
  @ApiOperation({ summary: 'Change email from the account page (text/html)' })
  @ApiParams(MoretvChangeEmailDto)
  @Reply(moretv, {
    html: true,
    errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
    transportErrors: ['ORIGIN_REFUSED'],
    overrides: { RATE_LIMITED: { message: '操作太频繁,请稍后再试' } },
  })
  changeEmailFromPage(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @CurrentSession() session: Principal,
    @Params() params: MoretvChangeEmailDto,
    @Client() client: ClientInfo,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.changeEmail(page, browser, session, params, client.ip);
  }

  @Operation('changeEmail', {})
  @Authenticated()
  @LimitedPerAddress('account')
  @ApiOperation({
    summary:
      'Change email — with the code mailed to the new address (`/email/sendCode`): 1 changed, 0 the same address, -3, -4, -5, -6, -9 wrong code',
  })
  @ApiParams(MoretvChangeEmailDto)
  @Reply(moretv, {
    success: { code: 1, message: '更新成功' },
    errors: [
      'UNAUTHENTICATED',
      'INVALID_PARAMS',
      'FORBIDDEN',
      'ACCOUNT_EXISTS',
      'CODE_INVALID',
      'CODE_EXPIRED',
      'CODE_ATTEMPTS_EXCEEDED',
      'RATE_LIMITED',
    ],
    transportErrors: ['ORIGIN_REFUSED'],
    overrides: {
      UNAUTHENTICATED: { code: -3, message: '您还未登陆,请登陆' },
      INVALID_PARAMS: { code: -4, message: 'Email格式有误' },
      FORBIDDEN: { code: -5, message: 'Email不允许注册' },
      ACCOUNT_EXISTS: { code: -6, message: '该Email已经被注册' },
      CODE_INVALID: { code: -9, message: '验证码不匹配' },
      CODE_EXPIRED: { code: -9, message: '验证码不匹配' },
      CODE_ATTEMPTS_EXCEEDED: { code: -9, message: '验证码不匹配' },
      RATE_LIMITED: { code: -1, message: '操作太频繁,请稍后再试' },
    },
  })
  async changeEmail(
    @CurrentSession() session: Principal,
    @Params() params: MoretvChangeEmailDto,
    @Client() client: ClientInfo,
  ): Promise<ReplyOutcome<undefined> | undefined> {
    const outcome = await this.accounts.changeEmail(session, params, client.ip);
    return outcome === 'unchanged'
      ? new ReplyOutcome(undefined, { code: 0, message: '没有做任何修改' })
      : undefined;
  }

  // ---- avatar

  @Operation('uploadAvatar', { present: ['_csrf'] })
  @Authenticated()
  @MoretvPage()
  @ApiOperation({ summary: 'Upload avatar from the account page (multipart, text/html)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(AVATAR_BODY)
  @Reply(moretv, {
    html: true,
    errors: ['UNAUTHENTICATED'],
    transportErrors: ['ORIGIN_REFUSED'],
  })
  uploadAvatarFromPage(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @CurrentSession() session: Principal,
    @UploadedField('avatar') file: Buffer | undefined,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.uploadAvatar(page, browser, session, file);
  }

  @Operation('uploadAvatar', {})
  @Authenticated()
  @ApiOperation({
    summary:
      'Upload avatar (path not in the document) — multipart `avatar`: 0 uploaded, -1 too large, -2 not a JPEG/PNG/GIF/WebP, -3 not signed in',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody(AVATAR_BODY)
  @Reply(moretv, {
    success: { code: 0, message: '上传成功' },
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'UNSUPPORTED_MEDIA', 'FILE_TOO_LARGE'],
    transportErrors: ['ORIGIN_REFUSED'],
    overrides: {
      UNAUTHENTICATED: { code: -3, message: '您还未登陆,请先登陆' },
      INVALID_PARAMS: { code: -2, message: '格式不匹配' },
      UNSUPPORTED_MEDIA: { code: -2, message: '格式不匹配' },
      FILE_TOO_LARGE: { code: -1, message: '文件过大' },
    },
  })
  async uploadAvatar(
    @CurrentSession() session: Principal,
    @UploadedField('avatar') file: Buffer | undefined,
  ): Promise<void> {
    await this.accounts.uploadAvatar(session, file);
  }

  @Get('avatar')
  @Authenticated()
  @ApiOperation({
    summary:
      'Avatar URL (path not in the document) — 0 with the address as `message` ("" when none), -2 not signed in',
  })
  @Reply(moretv, {
    success: { code: 0 },
    data: { type: 'string', format: 'uri' },
    errors: ['UNAUTHENTICATED'],
    overrides: { UNAUTHENTICATED: { code: -2, message: '您还未登陆,请先登陆' } },
  })
  avatar(@CurrentSession() session: Principal): string {
    return session.user.avatarUrl;
  }

  // ---- profile

  @Operation('update', { present: ['_csrf'] })
  @Authenticated()
  @MoretvPage()
  @ApiOperation({ summary: 'Change the profile from the account page (text/html)' })
  @ApiParams(MoretvProfileDto)
  @Reply(moretv, { html: true, errors: ['UNAUTHENTICATED'], transportErrors: ['ORIGIN_REFUSED'] })
  updateFromPage(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @CurrentSession() session: Principal,
    @Params() params: MoretvProfileDto,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.updateProfile(page, browser, session, params);
  }

  @Operation('update', {})
  @Authenticated()
  @ApiOperation({
    summary:
      'User info change (path not in the document) — nickname, gender (0/1/2), signature, birthday (YYYY-MM-DD), at least one: 1 done, -1 refused, -2 not signed in',
  })
  @ApiParams(MoretvProfileDto)
  @Reply(moretv, {
    success: { code: 1, message: '已成功修改用户信息' },
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'NICKNAME_INVALID'],
    transportErrors: ['ORIGIN_REFUSED'],
    overrides: {
      UNAUTHENTICATED: { code: -2, message: '您还未登陆,请登陆' },
      INVALID_PARAMS: { code: -1, message: '修改失败' },
      NICKNAME_INVALID: { code: -1, message: '修改失败' },
    },
  })
  async update(@CurrentSession() session: Principal, @Params() params: MoretvProfileDto): Promise<void> {
    await this.accounts.updateProfile(session, params);
  }

  // ---- sign out

  @Post('logout')
  @Public()
  @ReadsSession()
  @MoretvPage()
  @ApiOperation({
    summary:
      'Sign out (not in the document) — ends the session, clears its cookie, redirects to the sign-in page',
  })
  @Reply(moretv, { html: true, transportErrors: ['ORIGIN_REFUSED'] })
  logout(
    @PageRequest() page: PageLocale,
    @Browser() browser: BrowserSession,
    @SessionIfAny() session: Principal | undefined,
  ): Promise<ReplyOutcome<string>> {
    return this.pages.logout(page, browser, session);
  }
}
