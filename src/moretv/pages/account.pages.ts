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

/** The account page (`/userInfo`) and the SNS fill-userinfo page. */

export interface AccountOverview {
  email: string | null;
  nickname: string;
  avatarUrl: string;
  gender: number | null;
  signature: string;
  birthday: string | null;
  /** Every configured provider, bound or not. */
  providers: Array<{ type: string; boundAs?: string }>;
}

/** Which form of the page a refused submission belongs to, with what was typed and why it was refused. */
export interface AccountFormState {
  form: 'avatar' | 'profile' | 'email' | 'password';
  values: FormValues;
  errors: FieldErrors;
  /** A success that keeps the form open (a code was mailed). */
  info?: LocalizedText;
}

export interface AccountMessage {
  kind: 'ok' | 'bad';
  text: LocalizedText;
  /** The SNS section's own messages show there; the others on top. */
  section?: 'sns';
}

export function accountPage(
  view: PageView,
  account: AccountOverview,
  message?: AccountMessage,
  state?: AccountFormState,
): string {
  const of = (form: AccountFormState['form']) =>
    state?.form === form ? state : { values: {} as FormValues, errors: {} as FieldErrors, info: undefined };
  const top = message && message.section !== 'sns' ? notice(view, message.text, message.kind) : '';
  const snsMessage = message?.section === 'sns' ? notice(view, message.text, message.kind) : '';
  return layout(
    view,
    { title: T.accountTitle, path: '/userInfo', wide: true },
    `<h1>${say(view, T.accountTitle)}</h1>
${top}
${avatarSection(view, account, of('avatar'))}
${profileSection(view, account, of('profile'))}
${emailSection(view, account, of('email'))}
${passwordSection(view, of('password'))}
${snsSection(view, account, snsMessage)}
<div class="card"><form method="post" action="${href(view, '/userInfo/logout')}">
${formFields(view)}
<button type="submit" class="secondary">${say(view, T.logout)}</button>
</form></div>`,
  );
}

type SectionState = Pick<AccountFormState, 'values' | 'errors' | 'info'>;

function avatarSection(view: PageView, account: AccountOverview, state: SectionState): string {
  const error = state.errors.avatar;
  const image = account.avatarUrl
    ? `<img class="avatar" src="${escapeHtml(account.avatarUrl)}" alt="${say(view, T.avatarSection)}">`
    : `<span class="avatar" role="img" aria-label="${say(view, T.avatarSection)}"></span>`;
  return `<section class="card" aria-labelledby="avatar-heading">
<h2 id="avatar-heading">${say(view, T.avatarSection)}</h2>
<div class="profile">${image}<div><strong>${escapeHtml(account.nickname)}</strong><br><span class="muted">${escapeHtml(account.email ?? '')}</span></div></div>
<form method="post" action="${href(view, '/userInfo/uploadAvatar')}" enctype="multipart/form-data">
${formFields(view)}
<label for="avatar">${say(view, T.avatarFile)}</label>
<input id="avatar" name="avatar" type="file" accept="image/jpeg,image/png,image/gif,image/webp"${error ? ' aria-invalid="true" aria-describedby="avatar-error"' : ''}>
${fieldError(view, 'avatar', error)}
<div class="actions"><button type="submit">${say(view, T.uploadAvatar)}</button></div>
</form>
</section>`;
}

function profileSection(view: PageView, account: AccountOverview, state: SectionState): string {
  const values = {
    nickname: state.values.nickname ?? account.nickname,
    gender: state.values.gender ?? String(account.gender ?? 0),
    signature: state.values.signature ?? account.signature,
    birthday: state.values.birthday ?? account.birthday ?? '',
  };
  const errors = state.errors;
  const genders: Array<[string, LocalizedText]> = [
    ['0', T.genderUnknown],
    ['1', T.genderMale],
    ['2', T.genderFemale],
  ];
  const options = genders
    .map(
      ([value, text]) =>
        `<option value="${value}"${values.gender === value ? ' selected' : ''}>${say(view, text)}</option>`,
    )
    .join('');
  return `<section class="card" aria-labelledby="profile-heading">
<h2 id="profile-heading">${say(view, T.profileSection)}</h2>
${fieldError(view, 'profile-form', errors.form)}
<form method="post" action="${href(view, '/userInfo/update')}" novalidate>
${formFields(view)}
${field(view, { name: 'nickname', id: 'profile-nickname', label: T.nickname, value: values.nickname, autocomplete: 'nickname', maxlength: 30 }, errors)}
<label for="profile-gender">${say(view, T.gender)}</label>
<select id="profile-gender" name="gender"${errors.gender ? ' aria-invalid="true" aria-describedby="profile-gender-error"' : ''}>${options}</select>
${fieldError(view, 'profile-gender', errors.gender)}
${field(view, { name: 'signature', id: 'profile-signature', label: T.signature, value: values.signature, maxlength: 100 }, errors)}
${field(view, { name: 'birthday', id: 'profile-birthday', label: T.birthday, type: 'date', value: values.birthday, autocomplete: 'bday' }, errors)}
<div class="actions"><button type="submit">${say(view, T.saveProfile)}</button></div>
</form>
</section>`;
}

function emailSection(view: PageView, account: AccountOverview, state: SectionState): string {
  const errors = state.errors;
  return `<section class="card" aria-labelledby="email-heading">
<h2 id="email-heading">${say(view, T.emailSection)}</h2>
<p>${say(view, T.currentEmail)}: <strong>${account.email ? escapeHtml(account.email) : say(view, T.noEmail)}</strong></p>
${state.info ? notice(view, state.info, 'ok') : ''}
<form method="post" action="${href(view, '/userInfo/changeEmail')}" novalidate>
${formFields(view)}
${field(view, { name: 'email', id: 'email-new', label: T.newEmail, type: 'email', value: state.values.email, autocomplete: 'email', maxlength: 254 }, errors)}
${field(view, { name: 'code', id: 'email-code', label: T.emailCode, value: state.values.code, autocomplete: 'one-time-code', maxlength: 6 }, errors)}
<div class="actions"><button type="submit" name="send_code" value="1" class="secondary">${say(view, T.sendCode)}</button>
<button type="submit">${say(view, T.changeEmail)}</button></div>
</form>
</section>`;
}

function passwordSection(view: PageView, state: SectionState): string {
  const errors = state.errors;
  return `<section class="card" aria-labelledby="password-heading">
<h2 id="password-heading">${say(view, T.passwordSection)}</h2>
<form method="post" action="${href(view, '/userInfo/changePassword')}" novalidate>
${formFields(view)}
${field(view, { name: 'oldpwd', id: 'password-old', label: T.oldPassword, type: 'password', autocomplete: 'current-password', maxlength: 128 }, errors)}
${field(view, { name: 'newpwd', id: 'password-new', label: T.newPassword, type: 'password', autocomplete: 'new-password', minlength: 6, maxlength: 64, hint: T.passwordHint }, errors)}
${field(view, { name: 'confirmpwd', id: 'password-confirm', label: T.confirmPassword, type: 'password', autocomplete: 'new-password', minlength: 6, maxlength: 64 }, errors)}
<div class="actions"><button type="submit">${say(view, T.changePassword)}</button></div>
</form>
</section>`;
}

function snsSection(view: PageView, account: AccountOverview, message: string): string {
  if (account.providers.length === 0 && !message) return '';
  const rows = account.providers
    .map(({ type, boundAs }) => {
      const name = say(view, PROVIDER_NAMES[type]);
      const action =
        boundAs !== undefined
          ? `<form method="post" action="${href(view, '/sns/login/unbind')}">${formFields(view, { type })}<button type="submit" class="secondary" aria-label="${say(view, T.unbind)} ${name}">${say(view, T.unbind)}</button></form>`
          : `<a href="${escapeHtml(href(view, '/sns/login/preauth', { type, action: 'bind' }))}" aria-label="${say(view, T.bind)} ${name}">${say(view, T.bind)}</a>`;
      const status =
        boundAs !== undefined
          ? `${say(view, T.bound)}${boundAs ? ` (${escapeHtml(boundAs)})` : ''}`
          : say(view, T.notBound);
      return `<tr><th scope="row">${name}</th><td>${status}</td><td>${action}</td></tr>`;
    })
    .join('\n');
  return `<section class="card" aria-labelledby="sns-heading">
<h2 id="sns-heading">${say(view, T.snsSection)}</h2>
${message}
<table>${rows}</table>
</section>`;
}

export interface FillState {
  openid: string;
  redirectUrl?: string;
  providerName: LocalizedText;
  avatarUrl: string;
  values: FormValues;
  errors: FieldErrors;
}

export function fillPage(view: PageView, state: FillState): string {
  const { values, errors } = state;
  const avatar = state.avatarUrl
    ? `<img class="avatar" src="${escapeHtml(state.avatarUrl)}" alt="" referrerpolicy="no-referrer">`
    : '';
  return layout(
    view,
    {
      title: T.fillTitle,
      path: '/sns/login/fill',
      query: { openid: state.openid, redirect_url: state.redirectUrl },
    },
    `<div class="card">
<h1>${say(view, T.fillTitle)}</h1>
<div class="profile">${avatar}<p class="muted">${say(view, T.fillIntro)} (${say(view, state.providerName)})</p></div>
<form method="post" action="${href(view, '/sns/login/fill')}" novalidate>
${formFields(view, { openid: state.openid, redirect_url: state.redirectUrl })}
${field(view, { name: 'nickname', label: T.nickname, value: values.nickname, autocomplete: 'nickname', required: true, maxlength: 30 }, errors)}
${field(view, { name: 'email', label: T.email, type: 'email', value: values.email, autocomplete: 'email', maxlength: 254, hint: T.optionalEmailHint }, errors)}
${field(view, { name: 'password', label: T.password, type: 'password', autocomplete: 'new-password', minlength: 6, maxlength: 64, hint: T.passwordHint }, errors)}
<div class="actions"><button type="submit">${say(view, T.fillButton)}</button></div>
</form>
</div>`,
  );
}
