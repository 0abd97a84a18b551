import {
  escapeHtml,
  type DialectDefinition,
  type JsonSchema,
  type Locale,
  type LocalizedText,
  type ReplyStatus,
} from '#src/dialects/dialect.js';

/**
 * The errcodes of api-docs/moretv.md. The document gives each endpoint its own table and reuses numbers with
 * different meanings (-1 is "code expired", "captcha mismatch", "change failed" and "file too large"); these are
 * the generic texts, and routes override code and message as their table says.
 */
const messages = {
  1: { zh: '成功', en: 'OK' },
  0: { zh: '没有做任何修改', en: 'Nothing changed' },
  [-1]: { zh: '操作失败', en: 'Operation failed' },
  [-2]: { zh: '不匹配', en: 'Does not match' },
  [-3]: { zh: '您还未登陆,请登陆', en: 'Please sign in' },
  [-4]: { zh: 'Email格式有误', en: 'Malformed email' },
  [-5]: { zh: 'Email不允许注册', en: 'Email not allowed' },
  [-6]: { zh: '该Email已经被注册', en: 'Email already registered' },
  [-9]: { zh: '验证码不匹配', en: 'Code does not match' },
} satisfies Record<number, LocalizedText>;

export type MoretvCode = keyof typeof messages;

/** The browser session's cookie. */
export const MORETV_SESSION_COOKIE = 'moretv_session';

const ERROR_PAGE_TEXT: Record<Locale, { title: string; back: string; lang: string }> = {
  zh: { title: '出错了', back: '返回登录', lang: 'zh-CN' },
  en: { title: 'Something went wrong', back: 'Back to sign-in', lang: 'en' },
};

/**
 * `{status:200,errcode,message}`; the login endpoint alone answers `{status,err_msg}` (variant `login`), where
 * `status` is the code (0 on success). Pages answer text/html; a page that fails before it could render itself
 * answers the error page below.
 */
export const moretv: DialectDefinition<MoretvCode, 'login'> = {
  name: 'moretv',
  title: 'moretv — web accounts, email codes, captcha, social login',
  document: 'api-docs/moretv.md',
  pathPrefixes: [
    '/user/register',
    '/user/login',
    '/user/forgetPassword',
    '/user/resetPassword',
    '/userInfo',
    '/email',
    '/eamil',
    '/captcha',
    '/sns/login',
  ],
  honoursLocale: true,
  success: { code: 1, message: { zh: '成功', en: 'OK' } },
  errors: {
    INVALID_PARAMS: -1,
    UNAUTHENTICATED: -3,
    FORBIDDEN: -1,
    ROUTE_NOT_FOUND: -1,
    PAYLOAD_TOO_LARGE: -1,
    RATE_LIMITED: -1,
    INTERNAL: -1,
    USER_NOT_FOUND: -1,
    ACCOUNT_EXISTS: -6,
    ACCOUNT_DISABLED: -1,
    ACCOUNT_LOCKED: -1,
    NICKNAME_INVALID: -1,
    BAD_CREDENTIALS: -1,
    CODE_INVALID: -2,
    CODE_EXPIRED: -1,
    CODE_ATTEMPTS_EXCEEDED: -1,
    INSUFFICIENT_COINS: -1,
    ALREADY_PURCHASED: -1,
    UNSUPPORTED_MEDIA: -2,
    FILE_TOO_LARGE: -1,
    UPSTREAM_FAILED: -1,
    IDENTITY_INVALID: -1,
    IDENTITY_REJECTED: -1,
    NOT_FOUND: -1,
    CONFLICT: -1,
  },
  transportErrors: { BAD_SIGNATURE: -1, UNKNOWN_OPERATION: -1, ORIGIN_REFUSED: -1 },
  messages,
  envelope: {
    wrapSuccess: (data, status) =>
      data === undefined || data === null
        ? { status: 200, errcode: status.code, message: status.message }
        : { status: 200, errcode: status.code, message: data },
    wrapFailure: (status) => ({ status: 200, errcode: status.code, message: status.message }),
    successSchema: (data: JsonSchema) => ({
      type: 'object',
      required: ['status', 'errcode', 'message'],
      properties: { status: { type: 'integer', enum: [200] }, errcode: { type: 'integer' }, message: data },
    }),
    failureSchema: () => ({
      type: 'object',
      required: ['status', 'errcode', 'message'],
      properties: {
        status: { type: 'integer', enum: [200] },
        errcode: { type: 'integer', enum: Object.keys(messages).map(Number) },
        message: { type: 'string' },
      },
    }),
  },
  variants: {
    login: {
      successCode: 0,
      wrapSuccess: (_data, status) => ({ status: status.code, err_msg: '' }),
      wrapFailure: (status) => ({ status: status.code, err_msg: status.message }),
      successSchema: () => ({
        type: 'object',
        required: ['status', 'err_msg'],
        properties: { status: { type: 'integer', enum: [0] }, err_msg: { type: 'string', enum: [''] } },
      }),
      failureSchema: () => ({
        type: 'object',
        required: ['status', 'err_msg'],
        properties: { status: { type: 'integer', enum: [-1, -2] }, err_msg: { type: 'string' } },
      }),
    },
  },
  errorPage(status: ReplyStatus<MoretvCode>, locale: Locale, mount: string): string {
    const text = ERROR_PAGE_TEXT[locale];
    return [
      '<!doctype html>',
      `<html lang="${text.lang}"><head><meta charset="utf-8">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${escapeHtml(text.title)}</title></head>`,
      '<body><main role="main">',
      `<h1>${escapeHtml(text.title)}</h1>`,
      `<p role="alert">${escapeHtml(status.message)}</p>`,
      `<p><a href="${escapeHtml(mount)}/user/login">${escapeHtml(text.back)}</a></p>`,
      '</main></body></html>',
    ].join('\n');
  },
  // The web client carries a session cookie (parsed by cookie-parser for every request).
  extractToken: (req) => {
    const value = (req.cookies as Record<string, unknown> | undefined)?.[MORETV_SESSION_COOKIE];
    return typeof value === 'string' && value ? value : undefined;
  },
};
