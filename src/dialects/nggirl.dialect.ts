import type { DialectDefinition, JsonSchema, LocalizedText } from '#src/dialects/dialect.js';
import { stringParam } from '#src/dialects/dialect.js';

/**
 * api-docs/nggirl.md documents only 0 (success) and 1 (user not registered). The other codes are Concord's, in
 * the document's style (small integers), listed in docs/dialects/nggirl.md.
 */
const messages = {
  0: { zh: '成功', en: 'OK' },
  1: { zh: '用户未注册', en: 'User not registered' },
  2: { zh: '参数错误', en: 'Invalid parameter' },
  3: { zh: '授权令牌无效或已过期', en: 'Access token invalid or expired' },
  4: { zh: '手机号已注册', en: 'Phone number already registered' },
  5: { zh: '手机号或密码错误', en: 'Wrong phone number or password' },
  6: { zh: '验证码错误', en: 'Wrong verification code' },
  7: { zh: '验证码已失效', en: 'Verification code expired' },
  8: { zh: '请求签名无效', en: 'Invalid request signature' },
  9: { zh: '请求过于频繁', en: 'Too many requests' },
  10: { zh: '账号已被锁定', en: 'Account locked' },
  11: { zh: '不允许的操作', en: 'Operation not allowed' },
  12: { zh: '文件格式或大小不符合要求', en: 'File type or size not accepted' },
  99: { zh: '系统错误', en: 'Server error' },
} satisfies Record<number, LocalizedText>;

export type NggirlCode = keyof typeof messages;

/** `{code:0,data}` on success; failures are `{code,data:null,message}`. */
export const nggirl: DialectDefinition<NggirlCode, never> = {
  name: 'nggirl',
  title: 'nggirl — signed phone-account API for make-up artists',
  document: 'api-docs/nggirl.md',
  pathPrefixes: ['/nggirl'],
  honoursLocale: false,
  success: { code: 0, message: { zh: '成功', en: 'OK' } },
  errors: {
    INVALID_PARAMS: 2,
    UNAUTHENTICATED: 3,
    FORBIDDEN: 11,
    ROUTE_NOT_FOUND: 11,
    PAYLOAD_TOO_LARGE: 12,
    RATE_LIMITED: 9,
    INTERNAL: 99,
    USER_NOT_FOUND: 1,
    ACCOUNT_EXISTS: 4,
    ACCOUNT_DISABLED: 10,
    ACCOUNT_LOCKED: 10,
    NICKNAME_INVALID: 2,
    BAD_CREDENTIALS: 5,
    CODE_INVALID: 6,
    CODE_EXPIRED: 7,
    CODE_ATTEMPTS_EXCEEDED: 7,
    INSUFFICIENT_COINS: 11,
    ALREADY_PURCHASED: 11,
    UNSUPPORTED_MEDIA: 12,
    FILE_TOO_LARGE: 12,
    UPSTREAM_FAILED: 99,
    IDENTITY_INVALID: 2,
    IDENTITY_REJECTED: 11,
    NOT_FOUND: 11,
    CONFLICT: 11,
  },
  transportErrors: { BAD_SIGNATURE: 8, UNKNOWN_OPERATION: 2, ORIGIN_REFUSED: 11 },
  // Every nggirl request is signed by the app (app_id, nonce, timestamp, sign).
  guardFailures: ['BAD_SIGNATURE'],
  messages,
  envelope: {
    wrapSuccess: (data) => ({ code: 0, data: data ?? null }),
    wrapFailure: (status) => ({ code: status.code, data: null, message: status.message }),
    successSchema: (data: JsonSchema) => ({
      type: 'object',
      required: ['code', 'data'],
      properties: { code: { type: 'integer', enum: [0] }, data },
    }),
    failureSchema: () => ({
      type: 'object',
      required: ['code', 'data'],
      properties: {
        code: {
          type: 'integer',
          enum: Object.keys(messages)
            .map(Number)
            .filter((c) => c !== 0),
        },
        data: { type: 'null' },
        message: { type: 'string' },
      },
    }),
  },
  variants: {},
  extractToken: (_req, params) => stringParam(params, 'accessToken'),
};
