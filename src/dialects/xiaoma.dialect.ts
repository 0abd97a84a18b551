import type { DialectDefinition, JsonSchema, LocalizedText } from '#src/dialects/dialect.js';
import { stringParam } from '#src/dialects/dialect.js';

/** The codes of api-docs/xiaoma.md. Several are reused with other meanings per endpoint; routes override. */
const messages = {
  999: { zh: '用户未登录', en: 'Not signed in' },
  996: { zh: '获取失败', en: 'Could not fetch' },
  997: { zh: '缺少必须参数', en: 'Missing required parameter' },
  998: { zh: '操作失败,请稍后重试', en: 'Operation failed, try again later' },
  1000: { zh: '成功', en: 'OK' },
  1001: { zh: '输入的信息有误', en: 'Invalid input' },
  1006: { zh: '输入的信息不符合', en: 'Input does not meet the rules' },
  1007: { zh: '该账号已存在', en: 'Account already exists' },
  1008: { zh: '验证码有误', en: 'Wrong verification code' },
  1009: { zh: '注册失败', en: 'Registration failed' },
  1010: { zh: '账号密码错误', en: 'Wrong account or password' },
  1012: { zh: '认证失败', en: 'Verification failed' },
  1013: { zh: '验证码有误', en: 'Wrong or expired verification code' },
  1015: { zh: '用户不存在', en: 'User does not exist' },
} satisfies Record<number, LocalizedText>;

export type XiaomaCode = keyof typeof messages;

/** `{data,info,code:1000,state:1}` on success, `{data:"",info,code,state:2}` on failure. */
export const xiaoma: DialectDefinition<XiaomaCode, never> = {
  name: 'xiaoma',
  title: 'xiaoma — phone accounts, real-name and qualification review',
  document: 'api-docs/xiaoma.md',
  pathPrefixes: ['/Api/User'],
  caseInsensitivePaths: true,
  honoursLocale: false,
  success: { code: 1000, message: { zh: '成功', en: 'OK' } },
  errors: {
    INVALID_PARAMS: 1006,
    UNAUTHENTICATED: 999,
    FORBIDDEN: 998,
    ROUTE_NOT_FOUND: 997,
    PAYLOAD_TOO_LARGE: 1001,
    RATE_LIMITED: 998,
    INTERNAL: 998,
    USER_NOT_FOUND: 1015,
    ACCOUNT_EXISTS: 1007,
    ACCOUNT_DISABLED: 1010,
    ACCOUNT_LOCKED: 1010,
    NICKNAME_INVALID: 1006,
    BAD_CREDENTIALS: 1010,
    CODE_INVALID: 1008,
    CODE_EXPIRED: 1008,
    CODE_ATTEMPTS_EXCEEDED: 1008,
    INSUFFICIENT_COINS: 998,
    ALREADY_PURCHASED: 998,
    UNSUPPORTED_MEDIA: 1001,
    FILE_TOO_LARGE: 1001,
    UPSTREAM_FAILED: 1012,
    IDENTITY_INVALID: 1013,
    IDENTITY_REJECTED: 1012,
    NOT_FOUND: 997,
    CONFLICT: 998,
  },
  transportErrors: { BAD_SIGNATURE: 998, UNKNOWN_OPERATION: 997, ORIGIN_REFUSED: 998 },
  messages,
  envelope: {
    wrapSuccess: (data, status) => ({ data: data ?? '', info: status.message, code: status.code, state: 1 }),
    wrapFailure: (status) => ({ data: '', info: status.message, code: status.code, state: 2 }),
    successSchema: (data: JsonSchema) => ({
      type: 'object',
      required: ['data', 'info', 'code', 'state'],
      properties: {
        data,
        info: { type: 'string' },
        code: { type: 'integer', enum: [1000] },
        state: { type: 'integer', enum: [1] },
      },
    }),
    failureSchema: () => ({
      type: 'object',
      required: ['data', 'info', 'code', 'state'],
      properties: {
        data: { type: 'string', enum: [''] },
        info: { type: 'string' },
        code: {
          type: 'integer',
          enum: Object.keys(messages)
            .map(Number)
            .filter((c) => c !== 1000),
        },
        state: { type: 'integer', enum: [2] },
      },
    }),
  },
  variants: {},
  // The token travels as a path segment (`…/token/<t>`, a route parameter) or as `?token=`.
  extractToken: (_req, params) => stringParam(params, 'token'),
};
