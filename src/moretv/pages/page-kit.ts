import { escapeHtml, type Locale, type LocalizedText } from '#src/dialects/dialect.js';

/**
 * The building blocks of moretv's pages: server-rendered, no script, one inline stylesheet, every text escaped.
 * Accessible by construction: each input has a <label>, an error is tied to its input (aria-describedby,
 * aria-invalid) and announced (role=alert), the DOM order is the focus order, focus is always visible, and colours
 * keep a contrast of at least 4.5:1. Chinese by default, English through the `locale` switch.
 */

/** What every page needs to know about the request it answers. */
export interface PageView {
  locale: Locale;
  /** This browser's CSRF token, carried by every form. */
  csrf: string;
  /** The moretv path prefix (DIALECT_PREFIX_MORETV), before every link and form action. */
  prefix: string;
}

/** Errors of one form, by field name (`form` for the form as a whole). */
export type FieldErrors = Partial<Record<string, LocalizedText>>;

/** What a form shows again after a refused submission (never a password). */
export type FormValues = Partial<Record<string, string>>;

export function say(view: PageView, text: LocalizedText): string {
  return escapeHtml(text[view.locale]);
}

export function href(view: PageView, path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(name, value);
  const search = params.toString();
  return `${view.prefix}${path}${search ? `?${search}` : ''}`;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;background:#f2f3f5;color:#1d2129}
a{color:#0e42d2}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #0e42d2;outline-offset:2px}
header{background:#fff;border-bottom:1px solid #e5e6eb}
.bar{max-width:960px;margin:0 auto;padding:12px 20px;display:flex;align-items:center;justify-content:space-between;gap:12px}
.brand{font-weight:700;font-size:18px;color:#1d2129;text-decoration:none}
main{max-width:440px;margin:32px auto;padding:0 16px}
main.wide{max-width:760px}
.card{background:#fff;border-radius:12px;padding:28px;box-shadow:0 2px 12px rgba(0,0,0,.06);margin-bottom:20px}
h1{font-size:24px;margin:0 0 16px}
h2{font-size:19px;margin:0 0 12px}
p{margin:0 0 14px}
.muted{color:#4e5969}
.hint{font-size:14px;margin:6px 0 0}
label{display:block;font-weight:600;font-size:15px;margin:16px 0 6px}
input[type=email],input[type=text],input[type=password],input[type=date],input[type=file],select{width:100%;padding:10px 12px;border:1px solid #86909c;border-radius:8px;font:inherit;background:#fff;color:#1d2129}
input[aria-invalid=true]{border-color:#b42318;border-width:2px}
.check{display:flex;align-items:center;gap:8px;font-weight:400;margin-top:16px}
.check input{width:20px;height:20px}
.error{color:#b42318;font-size:14px;margin:6px 0 0}
.notice{padding:10px 14px;border-radius:8px;margin:0 0 16px}
.notice.ok{background:#e8ffea;color:#0b6b2b}
.notice.bad{background:#ffece8;color:#8f1d14}
.actions{display:flex;flex-wrap:wrap;gap:10px;margin-top:20px}
button{padding:10px 18px;border:0;border-radius:8px;background:#165dff;color:#fff;font:inherit;font-weight:600;cursor:pointer;min-height:44px}
button.secondary{background:#fff;color:#0e42d2;border:1px solid #0e42d2}
.links{display:flex;flex-wrap:wrap;gap:16px;margin-top:18px}
.captcha{display:grid;grid-template-columns:150px minmax(0,1fr);align-items:center;gap:12px}
.captcha img{border:1px solid #c9cdd4;border-radius:6px;width:150px;height:50px}
.sns{display:flex;flex-wrap:wrap;gap:10px;list-style:none;padding:0;margin:8px 0 0}
.sns a{display:inline-block;padding:8px 14px;border:1px solid #86909c;border-radius:8px;text-decoration:none;color:#1d2129;min-height:44px}
.avatar{width:72px;height:72px;border-radius:50%;object-fit:cover;background:#e5e6eb}
.profile{display:flex;align-items:center;gap:16px}
table{width:100%;border-collapse:collapse}
td,th{text-align:left;padding:8px 4px;border-bottom:1px solid #e5e6eb;vertical-align:middle}
td form{margin:0}
@media (max-width:480px){main{margin:16px auto}.card{padding:20px}h1{font-size:22px}}
`;

export interface LayoutOptions {
  title: LocalizedText;
  /** The page's own address (GET), for the language switch. */
  path: string;
  query?: Record<string, string | undefined>;
  wide?: boolean;
}

const SITE: LocalizedText = { zh: '电视猫账号中心', en: 'MoreTV Accounts' };

export function layout(view: PageView, options: LayoutOptions, body: string): string {
  const other: Locale = view.locale === 'zh' ? 'en' : 'zh';
  const switchHref = href(view, options.path, { ...options.query, locale: other });
  const switchText = other === 'en' ? 'English' : '中文';
  const title = say(view, options.title);
  return `<!doctype html>
<html lang="${view.locale === 'zh' ? 'zh-CN' : 'en'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${title} - ${say(view, SITE)}</title><style>${STYLE}</style></head>
<body>
<header><div class="bar"><a class="brand" href="${href(view, '/userInfo')}">${say(view, SITE)}</a>
<a href="${escapeHtml(switchHref)}" lang="${other === 'en' ? 'en' : 'zh-CN'}" hreflang="${other === 'en' ? 'en' : 'zh-CN'}">${switchText}</a></div></header>
<main${options.wide ? ' class="wide"' : ''}>
${body}
</main>
</body></html>`;
}

/** The hidden fields every form carries: the CSRF token and the language it was shown in. */
export function formFields(view: PageView, extra: Record<string, string | undefined> = {}): string {
  const fields = { _csrf: view.csrf, locale: view.locale, ...extra };
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
}

export interface FieldOptions {
  /** The parameter name the endpoint takes. */
  name: string;
  /** Unique on the page. */
  id?: string;
  label: LocalizedText;
  type?: 'text' | 'email' | 'password' | 'date';
  value?: string;
  autocomplete?: string;
  required?: boolean;
  minlength?: number;
  maxlength?: number;
  hint?: LocalizedText;
}

/** A labelled input with its error (if any) right below it, announced and tied to it. */
export function field(view: PageView, options: FieldOptions, errors: FieldErrors): string {
  const id = options.id ?? options.name;
  const error = errors[options.name];
  const described = [options.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attributes = [
    `id="${escapeHtml(id)}"`,
    `name="${escapeHtml(options.name)}"`,
    `type="${options.type ?? 'text'}"`,
    options.value !== undefined && options.type !== 'password' ? `value="${escapeHtml(options.value)}"` : '',
    options.autocomplete ? `autocomplete="${options.autocomplete}"` : '',
    options.required ? 'required' : '',
    options.minlength ? `minlength="${options.minlength}"` : '',
    options.maxlength ? `maxlength="${options.maxlength}"` : '',
    described ? `aria-describedby="${described}"` : '',
    error ? 'aria-invalid="true"' : '',
  ].filter(Boolean);
  return [
    `<label for="${escapeHtml(id)}">${say(view, options.label)}</label>`,
    `<input ${attributes.join(' ')}>`,
    options.hint ? `<p class="muted hint" id="${escapeHtml(id)}-hint">${say(view, options.hint)}</p>` : '',
    fieldError(view, id, error),
  ]
    .filter(Boolean)
    .join('\n');
}

export function fieldError(view: PageView, id: string, error: LocalizedText | undefined): string {
  return error ? `<p class="error" id="${escapeHtml(id)}-error" role="alert">${say(view, error)}</p>` : '';
}

export function notice(view: PageView, text: LocalizedText | undefined, kind: 'ok' | 'bad'): string {
  if (!text) return '';
  return `<p class="notice ${kind}" role="${kind === 'ok' ? 'status' : 'alert'}">${say(view, text)}</p>`;
}
