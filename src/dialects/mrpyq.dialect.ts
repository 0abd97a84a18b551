import type { DialectDefinition, JsonSchema, LocalizedText } from '#src/dialects/dialect.js';
import { stringParam } from '#src/dialects/dialect.js';

/**
 * The result codes of api-docs/mrpyq.md. The document has no code for a bad token, for insufficient coins or for
 * throttling; 0003, 0011 and 0012 fill gaps in its numbering (docs/dialects/mrpyq.md).
 */
const messages = {
  '0000': { zh: '成功', en: 'OK' },
  '0001': { zh: '该手机号已被注册', en: 'Phone number already registered' },
  '0002': { zh: '其他错误', en: 'Other error' },
  '0003': { zh: '用户标识无效,请重新登录', en: 'Invalid token, sign in again' },
  '0004': { zh: '验证码错误', en: 'Wrong verification code' },
  '0005': { zh: '验证码错误次数过多', en: 'Too many wrong codes' },
  '0006': { zh: '未知错误', en: 'Unknown error' },
  '0007': { zh: '用户不存在', en: 'User does not exist' },
  '0008': { zh: '密码错误', en: 'Wrong password' },
  '0009': { zh: 'API错误,bad request', en: 'Upstream API error' },
  '0010': { zh: '已经互为好友', en: 'Already friends' },
  '0011': { zh: '余额不足', en: 'Not enough coins' },
  '0012': { zh: '请求过于频繁', en: 'Too many requests' },
  '0013': { zh: '数据库更新错误', en: 'Update failed' },
} satisfies Record<string, LocalizedText>;

export type MrpyqCode = keyof typeof messages;

/** `{result:"0000",message}`; the message is the payload on success and a text on failure. */
export const mrpyq: DialectDefinition<MrpyqCode, never> = {
  name: 'mrpyq',
  title: 'mrpyq — phone accounts, friends, live rooms, coins and gifts',
  document: 'api-docs/mrpyq.md',
  pathPrefixes: ['/register', '/upload', '/log', '/room', '/list', '/friend', '/golden'],
  honoursLocale: false,
  success: { code: '0000', message: { zh: '成功', en: 'OK' } },
  errors: {
    INVALID_PARAMS: '0002',
    UNAUTHENTICATED: '0003',
    FORBIDDEN: '0002',
    ROUTE_NOT_FOUND: '0002',
    PAYLOAD_TOO_LARGE: '0006',
    RATE_LIMITED: '0012',
    INTERNAL: '0006',
    USER_NOT_FOUND: '0007',
    ACCOUNT_EXISTS: '0001',
    ACCOUNT_DISABLED: '0008',
    ACCOUNT_LOCKED: '0008',
    NICKNAME_INVALID: '0002',
    BAD_CREDENTIALS: '0008',
    CODE_INVALID: '0004',
    CODE_EXPIRED: '0004',
    CODE_ATTEMPTS_EXCEEDED: '0005',
    INSUFFICIENT_COINS: '0011',
    ALREADY_PURCHASED: '0002',
    UNSUPPORTED_MEDIA: '0006',
    FILE_TOO_LARGE: '0006',
    UPSTREAM_FAILED: '0009',
    IDENTITY_INVALID: '0002',
    IDENTITY_REJECTED: '0002',
    NOT_FOUND: '0002',
    CONFLICT: '0002',
  },
  // An operation marker that is missing, unknown or doubled is the document's "other error".
  transportErrors: { BAD_SIGNATURE: '0002', UNKNOWN_OPERATION: '0002', ORIGIN_REFUSED: '0002' },
  messages,
  envelope: {
    // Route fields (friend search's `flag`) sit beside `result` and `message`, never in place of them.
    wrapSuccess: (data, status, fields) => ({ ...fields, result: status.code, message: data ?? null }),
    wrapFailure: (status) => ({ result: status.code, message: status.message }),
    successSchema: (data: JsonSchema) => ({
      type: 'object',
      required: ['result'],
      properties: { result: { type: 'string', enum: ['0000'] }, message: data },
    }),
    failureSchema: () => ({
      type: 'object',
      required: ['result', 'message'],
      properties: {
        result: { type: 'string', enum: Object.keys(messages).filter((c) => c !== '0000') },
        message: { type: 'string' },
      },
    }),
  },
  variants: {},
  extractToken: (_req, params) => stringParam(params, 'token'),
};
