import { bearerToken } from '#src/common/http/bearer-token.js';
import type { DialectDefinition, JsonSchema, LocalizedText } from '#src/dialects/dialect.js';

/** The error codes of api-docs/nuzzle.md, with the meanings its table gives. */
const messages = {
  SERVER_ERROR: { zh: '系统错误', en: 'Server error' },
  PARAM_ERROR: { zh: '参数错误', en: 'Invalid parameter' },
  USER_NOT_LOGIN: { zh: '用户未登录', en: 'Not signed in' },
  USER_NOT_EXIST: { zh: '用户不存在', en: 'User does not exist' },
  USER_IS_CANCELED: { zh: '用户被封禁', en: 'User is banned' },
  USER_HAS_EXIST: { zh: '用户已经存在', en: 'User already exists' },
  NICKNAME_IS_INVALID: { zh: '昵称不合法', en: 'Nickname is invalid' },
  PASSWD_NOT_MATCH: { zh: '密码不匹配', en: 'Password does not match' },
  BALANCE_NOT_ENOUGH: { zh: '余额不足', en: 'Balance not enough' },
  NOT_ALLOWED: { zh: '不允许的操作', en: 'Operation not allowed' },
  USER_BOUGHT: { zh: '已有用户购买', en: 'Already bought' },
} satisfies Record<string, LocalizedText>;

export type NuzzleCode = keyof typeof messages;

/** `{ret:200,data}` on success, `{ret:500,errcode}` on failure; success carries no code of its own. */
export const nuzzle: DialectDefinition<NuzzleCode | 'OK', never> = {
  name: 'nuzzle',
  title: 'nuzzle — email accounts, paid photo/video feeds, stars',
  document: 'api-docs/nuzzle.md',
  pathPrefixes: ['/passport', '/feed', '/pay', '/income', '/star', '/user', '/aws/store'],
  honoursLocale: true,
  success: { code: 'OK', message: { zh: '成功', en: 'OK' } },
  errors: {
    INVALID_PARAMS: 'PARAM_ERROR',
    UNAUTHENTICATED: 'USER_NOT_LOGIN',
    FORBIDDEN: 'NOT_ALLOWED',
    ROUTE_NOT_FOUND: 'NOT_ALLOWED',
    PAYLOAD_TOO_LARGE: 'PARAM_ERROR',
    RATE_LIMITED: 'NOT_ALLOWED',
    INTERNAL: 'SERVER_ERROR',
    USER_NOT_FOUND: 'USER_NOT_EXIST',
    ACCOUNT_EXISTS: 'USER_HAS_EXIST',
    ACCOUNT_DISABLED: 'USER_IS_CANCELED',
    ACCOUNT_LOCKED: 'NOT_ALLOWED',
    NICKNAME_INVALID: 'NICKNAME_IS_INVALID',
    BAD_CREDENTIALS: 'PASSWD_NOT_MATCH',
    CODE_INVALID: 'PARAM_ERROR',
    CODE_EXPIRED: 'PARAM_ERROR',
    CODE_ATTEMPTS_EXCEEDED: 'NOT_ALLOWED',
    INSUFFICIENT_COINS: 'BALANCE_NOT_ENOUGH',
    ALREADY_PURCHASED: 'USER_BOUGHT',
    UNSUPPORTED_MEDIA: 'PARAM_ERROR',
    FILE_TOO_LARGE: 'PARAM_ERROR',
    UPSTREAM_FAILED: 'SERVER_ERROR',
    IDENTITY_INVALID: 'PARAM_ERROR',
    IDENTITY_REJECTED: 'NOT_ALLOWED',
    NOT_FOUND: 'NOT_ALLOWED',
    CONFLICT: 'NOT_ALLOWED',
  },
  transportErrors: {
    BAD_SIGNATURE: 'NOT_ALLOWED',
    UNKNOWN_OPERATION: 'PARAM_ERROR',
    ORIGIN_REFUSED: 'NOT_ALLOWED',
  },
  messages: { ...messages, OK: { zh: '成功', en: 'OK' } },
  envelope: {
    wrapSuccess: (data) => ({ ret: 200, data }),
    wrapFailure: (status) => ({ ret: 500, errcode: status.code }),
    successSchema: (data: JsonSchema) => ({
      type: 'object',
      required: ['ret', 'data'],
      properties: { ret: { type: 'integer', enum: [200] }, data },
    }),
    failureSchema: () => ({
      type: 'object',
      required: ['ret', 'errcode'],
      properties: {
        ret: { type: 'integer', enum: [500] },
        errcode: { type: 'string', enum: Object.keys(messages) },
      },
    }),
  },
  variants: {},
  // The document shows the bare token in `Authorization`; `Bearer <token>` is accepted too.
  extractToken(req) {
    const header = req.headers.authorization;
    if (!header) return undefined;
    const bare = header.trim();
    // A Bearer scheme without a single token after it carries nothing, rather than the word "Bearer" as a token.
    return bearerToken(header) ?? (/^bearer\b/i.test(bare) ? undefined : bare || undefined);
  },
};
