import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '#src/auth/principal.js';
import { ReplyOutcome, type ReplyCookie } from '#src/common/dialect/reply-outcome.js';
import { DomainError, type DomainErrorCode } from '#src/common/errors/domain-error.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import type { LocalizedText } from '#src/dialects/dialect.js';
import { MORETV_SESSION_COOKIE } from '#src/dialects/moretv.dialect.js';
import {
  MORETV_LOCALE_COOKIE,
  sessionCookie,
  type BrowserSession,
} from '#src/moretv/browser/browser-session.js';
import { CsrfTokens } from '#src/moretv/browser/csrf-tokens.js';
import {
  MoretvAccountsService,
  type MoretvClient,
  type PasswordChangeInput,
  type ProfileInput,
  type RegisterInput,
} from '#src/moretv/moretv-accounts.service.js';
import {
  accountPage,
  fillPage,
  type AccountFormState,
  type AccountMessage,
  type AccountOverview,
} from '#src/moretv/pages/account.pages.js';
import type { PageLocale } from '#src/moretv/pages/page-context.js';
import { href, type FieldErrors, type PageView } from '#src/moretv/pages/page-kit.js';
import {
  continuePage,
  forgotPage,
  loginPage,
  registerPage,
  resetInvalidPage,
  resetPage,
} from '#src/moretv/pages/sign-in.pages.js';
import { noticeOf, PROVIDER_NAMES, T, type NoticeKey } from '#src/moretv/pages/texts.js';
import { allowedRedirectUrl } from '#src/sns/allowed-origins.js';
import { SnsAccountsService } from '#src/sns/sns-accounts.service.js';
import { SnsLoginService } from '#src/sns/sns-login.service.js';
import { isSnsProviderName } from '#src/sns/sns-provider.js';

/** What a page does with a refused submission: the texts to show by its fields, or undefined for the error page. */
type Explain = (error: DomainError) => FieldErrors | undefined;

type Explanations = Partial<Record<DomainErrorCode, (field: string | undefined) => FieldErrors | undefined>>;

function explainWith(table: Explanations): Explain {
  return (error) => {
    const fields = error.detail?.fields;
    const field = Array.isArray(fields) && typeof fields[0] === 'string' ? fields[0] : undefined;
    return table[error.code]?.(field);
  };
}

/** Runs a submission; a refusal the form can explain becomes its field errors, anything else goes on. */
async function attempt<T>(
  work: () => Promise<T>,
  explain: Explain,
): Promise<{ ok: T } | { errors: FieldErrors }> {
  try {
    return { ok: await work() };
  } catch (error) {
    const errors = error instanceof DomainError ? explain(error) : undefined;
    if (!errors) throw error;
    return { errors };
  }
}

const on = (name: string, text: LocalizedText) => () => ({ [name]: text });

const EMAIL_ERRORS: Explanations = {
  INVALID_PARAMS: on('email', T.emailMalformed),
  FORBIDDEN: on('email', T.emailNotAllowed),
  ACCOUNT_EXISTS: on('email', T.emailTaken),
};

const REGISTER = explainWith({
  ...EMAIL_ERRORS,
  INVALID_PARAMS: (field) =>
    field === 'password' ? { password: T.passwordLength } : { email: T.emailMalformed },
  NICKNAME_INVALID: on('nickname', T.nicknameInvalid),
  CODE_INVALID: on('captcha', T.captchaMismatch),
  CODE_EXPIRED: on('captcha', T.captchaExpired),
  CODE_ATTEMPTS_EXCEEDED: on('captcha', T.captchaExpired),
});

const LOGIN = explainWith({
  INVALID_PARAMS: (field) => ({ [field ?? 'email']: T.emailOrPasswordEmpty }),
  BAD_CREDENTIALS: on('password', T.wrongCredentials),
  ACCOUNT_LOCKED: on('password', T.accountLocked),
  ACCOUNT_DISABLED: on('email', T.accountDisabled),
  RATE_LIMITED: on('password', T.tooFrequent),
});

const FORGOT = explainWith({ INVALID_PARAMS: on('email', T.emailMalformed) });

const RESET = explainWith({
  INVALID_PARAMS: (field) =>
    field === 'confirm' ? { confirm: T.passwordsDiffer } : { password: T.passwordLength },
  CODE_EXPIRED: on('token', T.resetInvalid),
});

const PASSWORD = explainWith({
  INVALID_PARAMS: (field) =>
    field === 'confirmpwd'
      ? { confirmpwd: T.newPasswordsDiffer }
      : field === 'newpwd'
        ? { newpwd: T.newPasswordLength }
        : { oldpwd: T.passwordChangeFailed },
  BAD_CREDENTIALS: on('oldpwd', T.oldPasswordWrong),
});

const SEND_CODE = explainWith({ ...EMAIL_ERRORS, RATE_LIMITED: on('email', T.sendTooFrequent) });

const CHANGE_EMAIL = explainWith({
  ...EMAIL_ERRORS,
  CODE_INVALID: on('code', T.codeMismatch),
  CODE_EXPIRED: on('code', T.codeMismatch),
  CODE_ATTEMPTS_EXCEEDED: on('code', T.codeMismatch),
  RATE_LIMITED: on('code', T.tooFrequent),
});

const AVATAR = explainWith({
  INVALID_PARAMS: on('avatar', T.badFormat),
  UNSUPPORTED_MEDIA: on('avatar', T.badFormat),
  FILE_TOO_LARGE: on('avatar', T.fileTooLarge),
});

const PROFILE = explainWith({
  INVALID_PARAMS: (field) => ({ [field ?? 'form']: T.profileFailed }),
  NICKNAME_INVALID: on('nickname', T.nicknameInvalid),
});

const FILL = explainWith({
  ...EMAIL_ERRORS,
  INVALID_PARAMS: (field) =>
    field === 'password' ? { password: T.passwordLength } : { email: T.emailMalformed },
  NICKNAME_INVALID: on('nickname', T.nicknameInvalid),
});

const SNS_NOTICES = new Set<NoticeKey>(['bound', 'unbound', 'unbind-last', 'bind-taken', 'bind-exists']);

/**
 * moretv's pages and what their forms do: each form posts to the documented path, a refusal shows again the form
 * with the reason next to its field (in the document's words), a success redirects (303) where the flow goes. The
 * domain work is MoretvAccountsService's and the SNS services'; this layer only chooses pages, fields and
 * redirects, so it catches the refusals each form explains and lets every other failure reach the error page.
 */
@Injectable()
export class MoretvPages {
  constructor(
    private readonly accounts: MoretvAccountsService,
    private readonly snsLogin: SnsLoginService,
    private readonly snsAccounts: SnsAccountsService,
    private readonly csrf: CsrfTokens,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  view(page: PageLocale, browser: BrowserSession): PageView {
    return {
      locale: page.locale,
      csrf: this.csrf.tokenFor(browser.id),
      prefix: this.config.dialects.prefixes.moretv,
    };
  }

  // ---- register, login, forgot, reset

  registerForm(page: PageLocale, browser: BrowserSession, callback?: string): ReplyOutcome<string> {
    const view = this.view(page, browser);
    return this.show(page, registerPage(view, { callback }, {}, this.captchaSrc(view)));
  }

  async register(
    page: PageLocale,
    browser: BrowserSession,
    input: RegisterInput & { callback?: string },
    client: MoretvClient,
  ): Promise<ReplyOutcome<string>> {
    const view = this.view(page, browser);
    const result = await attempt(() => this.accounts.register(input, browser.id, client), REGISTER);
    if ('errors' in result) {
      const values = { email: input.email, nickname: input.nickname, callback: input.callback };
      return this.show(page, registerPage(view, values, result.errors, this.captchaSrc(view)));
    }
    return this.afterForm(view, this.allowed(input.callback) ?? this.accountPath('registered'), [
      sessionCookie(result.ok.accessToken, false, this.config),
    ]);
  }

  loginForm(
    page: PageLocale,
    browser: BrowserSession,
    callback?: string,
    notice?: string,
  ): ReplyOutcome<string> {
    const view = this.view(page, browser);
    const message = noticeOf(notice);
    return this.show(page, loginPage(view, { callback }, {}, this.snsLogin.enabledProviders, message));
  }

  async login(
    page: PageLocale,
    browser: BrowserSession,
    input: { email?: string; password?: string; auto_login?: string; callback?: string },
    client: MoretvClient,
  ): Promise<ReplyOutcome<string>> {
    const view = this.view(page, browser);
    const result = await attempt(() => this.accounts.login(input, client), LOGIN);
    if ('errors' in result) {
      const values = { email: input.email, auto_login: input.auto_login, callback: input.callback };
      return this.show(page, loginPage(view, values, result.errors, this.snsLogin.enabledProviders));
    }
    return this.afterForm(view, this.allowed(input.callback) ?? this.accountPath(), [
      sessionCookie(result.ok.accessToken, isChecked(input.auto_login), this.config),
    ]);
  }

  forgotForm(page: PageLocale, browser: BrowserSession): ReplyOutcome<string> {
    return this.show(page, forgotPage(this.view(page, browser), {}, {}, false));
  }

  async forgot(page: PageLocale, browser: BrowserSession, email?: string): Promise<ReplyOutcome<string>> {
    const view = this.view(page, browser);
    const result = await attempt(() => this.accounts.requestPasswordReset(email), FORGOT);
    if ('errors' in result) return this.show(page, forgotPage(view, { email }, result.errors, false));
    return this.show(page, forgotPage(view, {}, {}, true));
  }

  async resetForm(page: PageLocale, browser: BrowserSession, token?: string): Promise<ReplyOutcome<string>> {
    const view = this.view(page, browser);
    if (!token || !(await this.accounts.isResetLinkValid(token)))
      return this.show(page, resetInvalidPage(view));
    return this.show(page, resetPage(view, token, {}));
  }

  async reset(
    page: PageLocale,
    browser: BrowserSession,
    input: { token?: string; password?: string; confirm?: string },
  ): Promise<ReplyOutcome<string>> {
    const view = this.view(page, browser);
    const result = await attempt(() => this.accounts.resetPassword(input), RESET);
    if ('errors' in result) {
      if (result.errors.token || !input.token) return this.show(page, resetInvalidPage(view));
      return this.show(page, resetPage(view, input.token, result.errors));
    }
    return this.redirect(href(view, '/user/login', { notice: 'password-reset' }));
  }

  // ---- the account page

  async account(
    page: PageLocale,
    browser: BrowserSession,
    principal: Principal | undefined,
    notice?: string,
  ): Promise<ReplyOutcome<string>> {
    const view = this.view(page, browser);
    if (!principal) return this.redirect(href(view, '/user/login', { callback: this.accountPath() }));
    const message = this.accountMessage(notice);
    return this.show(page, accountPage(view, await this.overview(principal), message));
  }

  async changePassword(
    page: PageLocale,
    browser: BrowserSession,
    principal: Principal,
    input: PasswordChangeInput,
  ): Promise<ReplyOutcome<string>> {
    const result = await attempt(() => this.accounts.changePassword(principal, input), PASSWORD);
    if ('errors' in result)
      return this.accountForm(page, browser, principal, {
        form: 'password',
        values: {},
        errors: result.errors,
      });
    return this.redirect(this.accountPath(result.ok === 'changed' ? 'password-changed' : 'unchanged'));
  }

  async sendEmailCode(
    page: PageLocale,
    browser: BrowserSession,
    principal: Principal,
    email: string | undefined,
    ip: string,
  ): Promise<ReplyOutcome<string>> {
    const result = await attempt(() => this.accounts.sendEmailCode(principal, email ?? '', ip), SEND_CODE);
    const values = { email };
    if ('errors' in result)
      return this.accountForm(page, browser, principal, { form: 'email', values, errors: result.errors });
    const info = { zh: `验证码已发送至 ${email ?? ''}`, en: `A code was sent to ${email ?? ''}` };
    return this.accountForm(page, browser, principal, { form: 'email', values, errors: {}, info });
  }

  async changeEmail(
    page: PageLocale,
    browser: BrowserSession,
    principal: Principal,
    input: { email?: string; code?: string },
    ip: string,
  ): Promise<ReplyOutcome<string>> {
    const result = await attempt(() => this.accounts.changeEmail(principal, input, ip), CHANGE_EMAIL);
    if ('errors' in result) {
      const values = { email: input.email, code: input.code };
      return this.accountForm(page, browser, principal, { form: 'email', values, errors: result.errors });
    }
    return this.redirect(this.accountPath(result.ok === 'changed' ? 'email-changed' : 'unchanged'));
  }

  async uploadAvatar(
    page: PageLocale,
    browser: BrowserSession,
    principal: Principal,
    file: Buffer | undefined,
  ): Promise<ReplyOutcome<string>> {
    const result = await attempt(() => this.accounts.uploadAvatar(principal, file), AVATAR);
    if ('errors' in result)
      return this.accountForm(page, browser, principal, {
        form: 'avatar',
        values: {},
        errors: result.errors,
      });
    return this.redirect(this.accountPath('avatar-uploaded'));
  }

  async updateProfile(
    page: PageLocale,
    browser: BrowserSession,
    principal: Principal,
    input: ProfileInput,
  ): Promise<ReplyOutcome<string>> {
    const result = await attempt(() => this.accounts.updateProfile(principal, input), PROFILE);
    if ('errors' in result) {
      return this.accountForm(page, browser, principal, {
        form: 'profile',
        values: { ...input },
        errors: result.errors,
      });
    }
    return this.redirect(this.accountPath('profile-updated'));
  }

  async logout(
    page: PageLocale,
    browser: BrowserSession,
    principal: Principal | undefined,
  ): Promise<ReplyOutcome<string>> {
    if (principal) await this.accounts.logout(principal);
    const view = this.view(page, browser);
    return new ReplyOutcome('', {
      redirectTo: href(view, '/user/login', { notice: 'signed-out' }),
      clearCookies: [MORETV_SESSION_COOKIE],
    });
  }

  // ---- SNS

  /** To the provider's authorize page; `bind` needs a signed-in account (UNAUTHENTICATED). */
  async preauth(
    browser: BrowserSession,
    principal: Principal | undefined,
    input: { type?: string; redirect_url?: string; action?: string },
  ): Promise<ReplyOutcome<string>> {
    const { authorizeUrl } = await this.snsLogin.preauth({
      browserSessionId: browser.id,
      type: input.type,
      action: input.action === 'bind' ? 'bind' : 'login',
      redirectUrl: input.redirect_url,
      userId: principal?.userId,
    });
    return this.redirect(authorizeUrl);
  }

  /**
   * Where the provider sends the browser back. Signs in the bound account, sends a new person to the fill page,
   * finishes a bind (a refused bind is told on the account page), or, declined, goes back. The state, code and
   * provider failures reach the error page.
   */
  async callback(
    page: PageLocale,
    browser: BrowserSession,
    principal: Principal | undefined,
    type: string,
    input: { code?: string; state?: string },
    client: MoretvClient,
  ): Promise<ReplyOutcome<string>> {
    const view = this.view(page, browser);
    let outcome;
    try {
      outcome = await this.snsLogin.callback({
        browserSessionId: browser.id,
        type,
        code: input.code,
        state: input.state,
        currentUserId: principal?.userId,
      });
    } catch (error) {
      // A bind the account cannot take is the account page's message, not an error page.
      if (error instanceof DomainError && error.code === 'ACCOUNT_EXISTS')
        return this.redirect(this.accountPath('bind-taken'));
      if (error instanceof DomainError && error.code === 'CONFLICT')
        return this.redirect(this.accountPath('bind-exists'));
      throw error;
    }
    switch (outcome.kind) {
      case 'signed-in': {
        const token = await this.accounts.openSession(outcome.user, client);
        return this.redirect(outcome.redirectUrl ?? this.accountPath(), [
          sessionCookie(token, false, this.config),
        ]);
      }
      case 'needs-signup': {
        const [path, query] = outcome.pending.fillPath.split('?');
        const redirect = outcome.redirectUrl
          ? `&redirect_url=${encodeURIComponent(outcome.redirectUrl)}`
          : '';
        return this.redirect(`${view.prefix}${path}?${query}${redirect}`);
      }
      case 'bound':
        return this.redirect(outcome.redirectUrl ?? this.accountPath('bound'));
      case 'cancelled':
        return this.redirect(
          outcome.redirectUrl ?? (principal ? this.accountPath() : href(view, '/user/login')),
        );
    }
  }

  /** NOT_FOUND (the error page) for a link that is unknown, used, expired or from another browser. */
  async fillForm(
    page: PageLocale,
    browser: BrowserSession,
    input: { openid?: string; redirect_url?: string },
  ): Promise<ReplyOutcome<string>> {
    const pending = await this.snsAccounts.findPendingSignup(browser.id, input.openid);
    const view = this.view(page, browser);
    return this.show(
      page,
      fillPage(view, {
        openid: pending.fillOpenid,
        redirectUrl: this.allowed(input.redirect_url) ?? undefined,
        providerName: PROVIDER_NAMES[pending.provider],
        avatarUrl: pending.avatarUrl,
        values: { nickname: pending.nickname },
        errors: {},
      }),
    );
  }

  async fill(
    page: PageLocale,
    browser: BrowserSession,
    input: { openid?: string; redirect_url?: string; nickname?: string; email?: string; password?: string },
    client: MoretvClient,
  ): Promise<ReplyOutcome<string>> {
    const view = this.view(page, browser);
    const result = await attempt(
      () => this.accounts.completeSnsSignup(browser.id, input.openid, input, client),
      FILL,
    );
    if ('errors' in result) {
      const pending = await this.snsAccounts.findPendingSignup(browser.id, input.openid);
      return this.show(
        page,
        fillPage(view, {
          openid: pending.fillOpenid,
          redirectUrl: this.allowed(input.redirect_url) ?? undefined,
          providerName: PROVIDER_NAMES[pending.provider],
          avatarUrl: pending.avatarUrl,
          values: { nickname: input.nickname, email: input.email },
          errors: result.errors,
        }),
      );
    }
    return this.afterForm(view, this.allowed(input.redirect_url) ?? this.accountPath(), [
      sessionCookie(result.ok, false, this.config),
    ]);
  }

  /** Back to the account page, which tells whether it was removed or refused as the last way to sign in. */
  async unbind(principal: Principal, type: string | undefined): Promise<ReplyOutcome<string>> {
    if (!isSnsProviderName(type)) throw new DomainError('INVALID_PARAMS', 'unknown type', { reason: 'type' });
    try {
      await this.snsAccounts.unbind(principal.userId, type);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'CONFLICT')
        return this.redirect(this.accountPath('unbind-last'));
      throw error;
    }
    return this.redirect(this.accountPath('unbound'));
  }

  // ---- helpers

  private async accountForm(
    page: PageLocale,
    browser: BrowserSession,
    principal: Principal,
    state: AccountFormState,
  ): Promise<ReplyOutcome<string>> {
    const view = this.view(page, browser);
    return this.show(page, accountPage(view, await this.overview(principal), undefined, state));
  }

  private async overview(principal: Principal): Promise<AccountOverview> {
    const [birthday, bindings] = await Promise.all([
      this.accounts.birthdayOf(principal.userId),
      this.snsAccounts.listBindings(principal.userId),
    ]);
    const user = principal.user;
    const bound = new Map(bindings.map((b) => [b.provider as string, b.nickname]));
    const types = [...new Set([...this.snsLogin.enabledProviders, ...bound.keys()])].filter(
      (t) => t in PROVIDER_NAMES,
    );
    return {
      email: user.email,
      nickname: user.nickname,
      avatarUrl: user.avatarUrl,
      gender: user.gender,
      signature: user.signature,
      birthday,
      providers: types.map((type) => ({ type, boundAs: bound.get(type) })),
    };
  }

  private accountMessage(notice: string | undefined): AccountMessage | undefined {
    const found = noticeOf(notice);
    if (!found) return undefined;
    return { ...found, section: SNS_NOTICES.has(notice as NoticeKey) ? 'sns' : undefined };
  }

  private accountPath(notice?: NoticeKey): string {
    return `${this.config.dialects.prefixes.moretv}/userInfo${notice ? `?notice=${notice}` : ''}`;
  }

  /** A redirect target the configuration allows (see allowedRedirectUrl), or null. */
  private allowed(url: string | undefined): string | null {
    return allowedRedirectUrl(url, this.config.moretv.allowedOrigins, this.config.http.publicBaseUrl);
  }

  private captchaSrc(view: PageView): string {
    return href(view, '/captcha/generate', { v: randomBytes(6).toString('hex') });
  }

  private show(page: PageLocale, html: string): ReplyOutcome<string> {
    return new ReplyOutcome(html, {
      setCookies: page.switched ? [{ name: MORETV_LOCALE_COOKIE, value: page.locale }] : [],
    });
  }

  private redirect(target: string, setCookies: ReplyCookie[] = []): ReplyOutcome<string> {
    return new ReplyOutcome('', { redirectTo: target, setCookies });
  }

  /**
   * The end of a successful form: a 303 on our own origin; to an allowed other origin, the continue page (a form's
   * `form-action 'self'` also covers the redirects after it).
   */
  private afterForm(view: PageView, target: string, setCookies: ReplyCookie[]): ReplyOutcome<string> {
    const own = new URL(this.config.http.publicBaseUrl).origin;
    const url = new URL(target, own);
    if (url.origin === own) return this.redirect(`${url.pathname}${url.search}${url.hash}`, setCookies);
    return new ReplyOutcome(continuePage(view, url.href), { setCookies });
  }
}

function isChecked(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'on', 'yes'].includes(value.toLowerCase());
}
