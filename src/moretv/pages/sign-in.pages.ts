import { escapeHtml, type LocalizedText } from '#src/dialects/dialect.js';
import {
  field,
  fieldError,
  formFields,
  href,
  layout,
  notice,
  say,
  type FieldErrors,
  type FormValues,
  type PageView,
} from '#src/moretv/pages/page-kit.js';
import { PROVIDER_NAMES, T } from '#src/moretv/pages/texts.js';

/** The pages before sign-in: register, login, forgot password, reset password, and the hop to another origin. */

export function registerPage(
  view: PageView,
  values: FormValues,
  errors: FieldErrors,
  captchaSrc: string,
): string {
  const callback = values.callback;
  return layout(
    view,
    { title: T.registerTitle, path: '/user/register', query: { callback } },
    `<div class="card">
<h1>${say(view, T.registerTitle)}</h1>
${fieldError(view, 'register', errors.form)}
<form method="post" action="${href(view, '/user/register')}" novalidate>
${formFields(view, { callback })}
${field(view, { name: 'email', label: T.email, type: 'email', value: values.email, autocomplete: 'email', required: true, maxlength: 254 }, errors)}
${field(view, { name: 'nickname', label: T.nickname, value: values.nickname, autocomplete: 'nickname', required: true, maxlength: 30 }, errors)}
${field(view, { name: 'password', label: T.password, type: 'password', autocomplete: 'new-password', required: true, minlength: 6, maxlength: 64, hint: T.passwordHint }, errors)}
${captchaField(view, errors, captchaSrc)}
<div class="actions"><button type="submit">${say(view, T.registerButton)}</button></div>
</form>
<div class="links"><a href="${escapeHtml(href(view, '/user/login', { callback }))}">${say(view, T.toLogin)}</a></div>
</div>`,
  );
}

function captchaField(view: PageView, errors: FieldErrors, captchaSrc: string): string {
  const error = errors.captcha;
  const described = ['captcha-hint', error ? 'captcha-error' : ''].filter(Boolean).join(' ');
  return `<label for="captcha">${say(view, T.captcha)}</label>
<div class="captcha">
<img src="${escapeHtml(captchaSrc)}" alt="${say(view, T.captchaImage)}" width="150" height="50">
<input id="captcha" name="captcha" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" required maxlength="10" aria-describedby="${described}"${error ? ' aria-invalid="true"' : ''}>
</div>
<p class="muted hint" id="captcha-hint">${say(view, T.captchaHint)}</p>
${fieldError(view, 'captcha', error)}`;
}

export function loginPage(
  view: PageView,
  values: FormValues,
  errors: FieldErrors,
  providers: readonly string[],
  message?: { kind: 'ok' | 'bad'; text: LocalizedText },
): string {
  const callback = values.callback;
  const sns = providers
    .map((type) => {
      const link = href(view, '/sns/login/preauth', { type, redirect_url: callback });
      return `<li><a href="${escapeHtml(link)}">${say(view, PROVIDER_NAMES[type])}</a></li>`;
    })
    .join('\n');
  return layout(
    view,
    { title: T.loginTitle, path: '/user/login', query: { callback } },
    `<div class="card">
<h1>${say(view, T.loginTitle)}</h1>
${message ? notice(view, message.text, message.kind) : ''}
<form method="post" action="${href(view, '/user/login')}" novalidate>
${formFields(view, { callback })}
${field(view, { name: 'email', label: T.email, type: 'email', value: values.email, autocomplete: 'username', required: true, maxlength: 254 }, errors)}
${field(view, { name: 'password', label: T.password, type: 'password', autocomplete: 'current-password', required: true, maxlength: 128 }, errors)}
<label class="check"><input type="checkbox" name="auto_login" value="1"${values.auto_login ? ' checked' : ''}> ${say(view, T.autoLogin)}</label>
<div class="actions"><button type="submit">${say(view, T.loginButton)}</button></div>
</form>
<div class="links"><a href="${escapeHtml(href(view, '/user/forgetPassword'))}">${say(view, T.toForgot)}</a>
<a href="${escapeHtml(href(view, '/user/register', { callback }))}">${say(view, T.toRegister)}</a></div>
</div>
${sns ? `<div class="card"><h2>${say(view, T.snsHeading)}</h2><ul class="sns">${sns}</ul></div>` : ''}`,
  );
}

export function forgotPage(view: PageView, values: FormValues, errors: FieldErrors, sent: boolean): string {
  return layout(
    view,
    { title: T.forgotTitle, path: '/user/forgetPassword' },
    `<div class="card">
<h1>${say(view, T.forgotTitle)}</h1>
${sent ? notice(view, T.forgotSent, 'ok') : `<p class="muted">${say(view, T.forgotIntro)}</p>`}
<form method="post" action="${href(view, '/user/forgetPassword')}" novalidate>
${formFields(view)}
${field(view, { name: 'email', label: T.email, type: 'email', value: values.email, autocomplete: 'email', required: true, maxlength: 254 }, errors)}
<div class="actions"><button type="submit">${say(view, T.forgotButton)}</button></div>
</form>
<div class="links"><a href="${escapeHtml(href(view, '/user/login'))}">${say(view, T.backToLogin)}</a></div>
</div>`,
  );
}

export function resetPage(view: PageView, token: string, errors: FieldErrors): string {
  return layout(
    view,
    { title: T.resetTitle, path: '/user/resetPassword', query: { token } },
    `<div class="card">
<h1>${say(view, T.resetTitle)}</h1>
<p class="muted">${say(view, T.resetIntro)}</p>
<form method="post" action="${href(view, '/user/resetPassword')}" novalidate>
${formFields(view, { token })}
${field(view, { name: 'password', label: T.newPassword, type: 'password', autocomplete: 'new-password', required: true, minlength: 6, maxlength: 64 }, errors)}
${field(view, { name: 'confirm', label: T.confirmPassword, type: 'password', autocomplete: 'new-password', required: true, minlength: 6, maxlength: 64 }, errors)}
<div class="actions"><button type="submit">${say(view, T.resetButton)}</button></div>
</form>
</div>`,
  );
}

export function resetInvalidPage(view: PageView): string {
  return layout(
    view,
    { title: T.resetInvalidTitle, path: '/user/forgetPassword' },
    `<div class="card">
<h1>${say(view, T.resetInvalidTitle)}</h1>
<p role="alert">${say(view, T.resetInvalid)}</p>
<div class="links"><a href="${escapeHtml(href(view, '/user/forgetPassword'))}">${say(view, T.forgotTitle)}</a>
<a href="${escapeHtml(href(view, '/user/login'))}">${say(view, T.backToLogin)}</a></div>
</div>`,
  );
}

/**
 * After a form, on to an allowed page of another origin: browsers apply the form page's `form-action 'self'` to
 * the redirects that follow a submission, so the hop to another origin is this page's link (and its refresh).
 */
export function continuePage(view: PageView, url: string): string {
  return layout(
    view,
    { title: T.continueTitle, path: '/userInfo' },
    `<div class="card">
<h1>${say(view, T.continueTitle)}</h1>
<p>${say(view, T.continueText)} <a href="${escapeHtml(url)}">${say(view, T.continue)}</a></p>
</div>`,
  ).replace(
    '<meta name="robots"',
    `<meta http-equiv="refresh" content="0;url=${escapeHtml(url)}">\n<meta name="robots"`,
  );
}
