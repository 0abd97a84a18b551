import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { parseDuration } from '#src/config/duration.js';
import { DIALECT_NAMES, isDialectName, type DialectName } from '#src/dialects/dialect.js';
import {
  normalizePrivateKey,
  normalizeRsaPublicKey,
  parseCertificateFiles,
  parseCertificates,
  parsedFile,
  parsedText,
  parseProductCoins,
  parseRefillPackages,
} from '#src/payments/payments-config.js';
import { developmentImSecretKey, parseImSecretKey } from '#src/im/im-secret-key.js';
import {
  developmentNggirlApp,
  parseNggirlApps,
  type NggirlAppsConfig,
} from '#src/nggirl-signing/nggirl-apps.js';

import { hostAndPort, liveHookSecret, liveConfigIssues, streamName } from '#src/live/live-config.js';

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a duration like 30s, 5m, 12h or 30d, got "${text}"`,
        });
        return z.NEVER;
      }
      return ms;
    });

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v)));

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const dialectPrefix = z
  .string()
  .regex(/^(\/[A-Za-z0-9._~-]+)+$/, 'expected a path prefix like /nuzzle')
  .optional();

// ---- sns area (src/sns, src/captcha): moretv's allowed origins, QQ/Weibo/Douban/WeChat sign-in, captcha, Facebook.
// Kept in one block; the schema, its cross-checks and the typed sections are hooked in with one line each.

const httpUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(fallback)
    .transform((url) => url.replace(/\/+$/, ''));

/** `scheme://host[:port]`, optionally `scheme://*.host` for every subdomain; no path, query or credentials. */
const ORIGIN_PATTERN = /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i;

const snsEnvShape = {
  MORETV_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const origins = text
        .split(',')
        .map((o) => o.trim().replace(/\/+$/, ''))
        .filter(Boolean);
      const bad = origins.filter((o) => !ORIGIN_PATTERN.test(o));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `expected origins like https://www.example.com or https://*.example.com, got ${bad.join(', ')}`,
        });
        return z.NEVER;
      }
      return [...new Set(origins.map((o) => o.toLowerCase()))];
    }),
  SNS_STATE_TTL: duration('10m'),
  SNS_SIGNUP_TTL: duration('30m'),
  SNS_HTTP_TIMEOUT: duration('10s'),
  SNS_QQ_CLIENT_ID: z.string().optional(),
  SNS_QQ_CLIENT_SECRET: z.string().optional(),
  SNS_QQ_BASE_URL: httpUrl('https://graph.qq.com'),
  SNS_WB_CLIENT_ID: z.string().optional(),
  SNS_WB_CLIENT_SECRET: z.string().optional(),
  SNS_WB_BASE_URL: httpUrl('https://api.weibo.com'),
  SNS_DB_CLIENT_ID: z.string().optional(),
  SNS_DB_CLIENT_SECRET: z.string().optional(),
  SNS_DB_AUTH_URL: httpUrl('https://www.douban.com'),
  SNS_DB_API_URL: httpUrl('https://api.douban.com'),
  SNS_WX_CLIENT_ID: z.string().optional(),
  SNS_WX_CLIENT_SECRET: z.string().optional(),
  SNS_WX_AUTH_URL: httpUrl('https://open.weixin.qq.com'),
  SNS_WX_API_URL: httpUrl('https://api.weixin.qq.com'),
  CAPTCHA_TTL: duration('5m'),
  CAPTCHA_MAX_TRIES: z.coerce.number().int().min(1).max(100).default(5),
  FACEBOOK_APP_ID: z.string().regex(/^\d+$/, 'expected the numeric app id').optional(),
  FACEBOOK_APP_SECRET: z.string().optional(),
  FACEBOOK_GRAPH_URL: httpUrl('https://graph.facebook.com'),
  FACEBOOK_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'expected a version like v21.0')
    .default('v21.0'),
};

type SnsEnv = z.output<z.ZodObject<typeof snsEnvShape>>;

const SNS_PAIRS = [
  ['SNS_QQ_CLIENT_ID', 'SNS_QQ_CLIENT_SECRET'],
  ['SNS_WB_CLIENT_ID', 'SNS_WB_CLIENT_SECRET'],
  ['SNS_DB_CLIENT_ID', 'SNS_DB_CLIENT_SECRET'],
  ['SNS_WX_CLIENT_ID', 'SNS_WX_CLIENT_SECRET'],
  ['FACEBOOK_APP_ID', 'FACEBOOK_APP_SECRET'],
] as const;

/** A provider is on when both its id and secret are set; one without the other is a mistake, not "off". */
function checkSnsEnv(v: SnsEnv, ctx: z.RefinementCtx): void {
  for (const [id, secret] of SNS_PAIRS) {
    if (Boolean(v[id]) !== Boolean(v[secret])) {
      const missing = v[id] ? secret : id;
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: `is required with ${missing === id ? secret : id}`,
      });
    }
  }
}

function oauthClient<T extends object>(id: string | undefined, secret: string | undefined, urls: T) {
  return id && secret ? { clientId: id, clientSecret: secret, ...urls } : undefined;
}

function snsConfigSections(v: SnsEnv) {
  return {
    moretv: { allowedOrigins: v.MORETV_ALLOWED_ORIGINS },
    sns: {
      stateTtlMs: v.SNS_STATE_TTL,
      signupTtlMs: v.SNS_SIGNUP_TTL,
      httpTimeoutMs: v.SNS_HTTP_TIMEOUT,
      providers: {
        qq: oauthClient(v.SNS_QQ_CLIENT_ID, v.SNS_QQ_CLIENT_SECRET, { baseUrl: v.SNS_QQ_BASE_URL }),
        wb: oauthClient(v.SNS_WB_CLIENT_ID, v.SNS_WB_CLIENT_SECRET, { baseUrl: v.SNS_WB_BASE_URL }),
        db: oauthClient(v.SNS_DB_CLIENT_ID, v.SNS_DB_CLIENT_SECRET, {
          authUrl: v.SNS_DB_AUTH_URL,
          apiUrl: v.SNS_DB_API_URL,
        }),
        wx: oauthClient(v.SNS_WX_CLIENT_ID, v.SNS_WX_CLIENT_SECRET, {
          authUrl: v.SNS_WX_AUTH_URL,
          apiUrl: v.SNS_WX_API_URL,
        }),
      },
    },
    captcha: { ttlMs: v.CAPTCHA_TTL, maxTries: v.CAPTCHA_MAX_TRIES },
    facebook: {
      appId: v.FACEBOOK_APP_ID,
      appSecret: v.FACEBOOK_APP_SECRET,
      graphUrl: v.FACEBOOK_GRAPH_URL,
      graphVersion: v.FACEBOOK_GRAPH_VERSION,
      timeoutMs: v.SNS_HTTP_TIMEOUT,
    },
  };
}

// ---- end of the sns area.

// ---- moretv area (src/moretv): the web account centre's own settings. Hooked in with one line each, as above.

/** A domain moretv refuses (`-5`, "Email不允许注册"): `example.com`, or `*.test` for a domain and its subdomains. */
const DOMAIN_PATTERN = /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/;

const moretvEnvShape = {
  MORETV_DENIED_EMAIL_DOMAINS: z
    .string()
    .default('example.com,example.net,example.org,*.example,*.invalid,*.localhost,*.test')
    .transform((text, ctx) => {
      const domains = text
        .split(',')
        .map((d) => d.trim().toLowerCase())
        .filter(Boolean);
      const bad = domains.filter((d) => !DOMAIN_PATTERN.test(d));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `expected domains like mailinator.com or *.test, got ${bad.join(', ')}`,
        });
        return z.NEVER;
      }
      return [...new Set(domains)];
    }),
  MORETV_AVATAR_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1_048_576),
  MORETV_CAPTCHA_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(30),
};

type MoretvEnv = z.output<z.ZodObject<typeof moretvEnvShape>>;

function moretvConfigSection(v: MoretvEnv) {
  return {
    moretvWeb: {
      deniedEmailDomains: v.MORETV_DENIED_EMAIL_DOMAINS,
      avatarMaxBytes: v.MORETV_AVATAR_MAX_BYTES,
      captchaPerIpPerMinute: v.MORETV_CAPTCHA_PER_IP_PER_MINUTE,
    },
  };
}

// ---- end of the moretv area.

function envSchema(env: NodeJS.ProcessEnv) {
  const production = env.NODE_ENV === 'production';
  return z
    .object({
      NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
      HOST: z.string().min(1).default('0.0.0.0'),
      PORT: port(3000),
      DATABASE_URL: z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
        .optional(),
      DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
      DATABASE_HOT_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(4),
      DATA_DIR: z.string().min(1).default('./.data'),
      EMBEDDED_PG_PORT: port(54329).refine((p) => p !== 5432, {
        message: 'must not be 5432, where a system PostgreSQL may already listen',
      }),
      PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
      TRUSTED_PROXIES: z.string().default(''),
      JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
      SESSION_TTL: duration('30d'),
      SESSION_MAX_AGE: duration('365d'),
      SESSION_TOUCH_INTERVAL: duration('5m'),
      ADMIN_SESSION_TTL: duration('30m'),
      ADMIN_SESSION_MAX_AGE: duration('12h'),
      ACCESS_TOKEN_TTL: duration('2h'),
      REFRESH_TOKEN_TTL: duration('30d'),
      PASSWORD_RESET_TTL: duration('30m'),
      PASSWORD_RESET_COOLDOWN: duration('60s'),
      DIALECTS: z
        .string()
        .default(DIALECT_NAMES.join(','))
        .transform((text, ctx) => {
          const names = text
            .split(',')
            .map((n) => n.trim())
            .filter(Boolean);
          const unknown = names.filter((n) => !isDialectName(n));
          if (unknown.length > 0) {
            ctx.addIssue({
              code: 'custom',
              message: `unknown dialect(s) ${unknown.join(', ')}; known: ${DIALECT_NAMES.join(', ')}`,
            });
            return z.NEVER;
          }
          return [...new Set(names)] as DialectName[];
        }),
      DIALECT_PREFIX_NUZZLE: dialectPrefix,
      DIALECT_PREFIX_MORETV: dialectPrefix,
      DIALECT_PREFIX_MRPYQ: dialectPrefix,
      DIALECT_PREFIX_NGGIRL: dialectPrefix,
      DIALECT_PREFIX_XIAOMA: dialectPrefix,
      VERIFICATION_ECHO_CODE: flag(!production),
      VERIFICATION_CODE_TTL: duration('5m'),
      VERIFICATION_RESEND_COOLDOWN: duration('60s'),
      VERIFICATION_MAX_PER_HOUR: z.coerce.number().int().min(1).default(5),
      VERIFICATION_MAX_PER_DAY: z.coerce.number().int().min(1).default(10),
      VERIFICATION_MAX_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(20),
      VERIFICATION_CHECKS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(60),
      MAIL_TRANSPORT: z.enum(['local', 'smtp']).default('local'),
      MAIL_FROM: z.string().min(3).default('Concord <no-reply@concord.local>'),
      SMTP_HOST: z.string().optional(),
      SMTP_PORT: port(587),
      SMTP_SECURE: flag(false),
      SMTP_USER: z.string().optional(),
      SMTP_PASSWORD: z.string().optional(),
      SMTP_IGNORE_TLS: flag(false),
      SMS_PROVIDER: z.enum(['local', 'aliyun']).default('local'),
      ALIYUN_SMS_ACCESS_KEY_ID: z.string().optional(),
      ALIYUN_SMS_ACCESS_KEY_SECRET: z.string().optional(),
      ALIYUN_SMS_SIGN_NAME: z.string().optional(),
      ALIYUN_SMS_TEMPLATE_CODE: z.string().optional(),
      ALIYUN_SMS_REGION: z.string().default('cn-hangzhou'),
      ALIYUN_SMS_ENDPOINT: z.url({ protocol: /^https?$/ }).default('https://dysmsapi.aliyuncs.com'),
      OUTBOX_POLL_INTERVAL: duration('5s'),
      REDIS_URL: z
        .string()
        .regex(/^rediss?:\/\//, 'expected a redis:// URL')
        .optional(),
      REDIS_PREFIX: z.string().min(1).max(64).default('concord:'),
      LOGIN_IP_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
      ACCOUNT_IP_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(30),
      LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
      REQUEST_MAX_PARAMS: z.coerce.number().int().min(10).default(1000),
      REQUEST_MAX_DEPTH: z.coerce.number().int().min(1).max(64).default(6),
      REQUEST_MAX_ARRAY_LENGTH: z.coerce.number().int().min(1).default(200),
      UPLOAD_MAX_BYTES: z.coerce
        .number()
        .int()
        .min(1024)
        .default(10 * 1_048_576),
      MEDIA_DIR: z.string().min(1).optional(),
      MEDIA_PRIVATE_DIR: z.string().min(1).optional(),
      MEDIA_MAX_PIXELS: z.coerce.number().int().min(1).default(40_000_000),
      // ---- Content (feeds, stars, uploads, paid media): src/feeds, src/stars, src/media ----
      STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
      S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
      S3_REGION: z.string().min(1).default('us-east-1'),
      S3_BUCKET: z.string().min(3).max(63).optional(),
      S3_ACCESS_KEY_ID: z.string().min(1).optional(),
      S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
      S3_FORCE_PATH_STYLE: flag(false),
      S3_PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
      UPLOAD_TOKEN_TTL: duration('15m'),
      MEDIA_URL_TTL: duration('1h'),
      // ---- end of content ----
      WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
      // How far V8 lets the heap grow past what the last full GC kept, in percent; 0 leaves it to V8 (up to 4×).
      HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(300).default(75),
      // Default: the cores shared among the worker processes, so hashing never takes more than the machine has.
      HASH_CONCURRENCY: z.coerce
        .number()
        .int()
        .min(1)
        .max(64)
        .default(
          Math.max(1, Math.round(availableParallelism() / Math.max(1, Number(env.WEB_CONCURRENCY) || 1))),
        ),
      // The hashing threads yield the CPU to the event loop: see docs/performance.md (mixed load).
      HASH_THREAD_NICE: z.coerce.number().int().min(0).max(19).default(10),
      SHUTDOWN_TIMEOUT: duration('10s'),
      // payments (src/payments): App Store coin purchases and mrpyq refills; see docs/security.md
      APPLE_BUNDLE_ID: z
        .string()
        .regex(/^[A-Za-z0-9.-]+$/, 'expected a bundle id like com.example.app')
        .optional(),
      APPLE_APP_APPLE_ID: z.coerce.number().int().positive().optional(),
      APPLE_ENVIRONMENT: z
        .enum(['Production', 'Sandbox', 'Xcode', 'LocalTesting'])
        .default(production ? 'Production' : 'Sandbox'),
      APPLE_ONLINE_CHECKS: flag(true),
      APPLE_ROOT_CERTIFICATES: parsedText(parseCertificates).optional(),
      APPLE_ROOT_CERTIFICATE_FILES: parsedText(parseCertificateFiles).optional(),
      APPLE_PRODUCTS: parsedText(parseProductCoins).default(new Map<string, number>()),
      APPLE_API_KEY: parsedText((text) => normalizePrivateKey(text, 'ec')).optional(),
      APPLE_API_KEY_FILE: parsedFile((key) => normalizePrivateKey(key.toString('utf8'), 'ec')).optional(),
      APPLE_API_KEY_ID: z.string().min(1).optional(),
      APPLE_API_ISSUER_ID: z.string().min(1).optional(),
      APPLE_API_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
      APPLE_API_TIMEOUT: duration('10s'),
      PAYMENT_PROVIDER: z.enum(['none', 'local', 'alipay']).default(production ? 'none' : 'local'),
      MRPYQ_REFILL_PACKAGES: parsedText(parseRefillPackages).default(
        new Map([
          [1000, 100],
          [5000, 550],
          [10000, 1200],
        ]),
      ),
      ALIPAY_APP_ID: z
        .string()
        .regex(/^\d{16}$/, 'expected the 16-digit Alipay app id')
        .optional(),
      ALIPAY_PRIVATE_KEY: parsedText((text) => normalizePrivateKey(text, 'rsa')).optional(),
      ALIPAY_PRIVATE_KEY_FILE: parsedFile((key) =>
        normalizePrivateKey(key.toString('utf8'), 'rsa'),
      ).optional(),
      ALIPAY_PUBLIC_KEY: parsedText(normalizeRsaPublicKey).optional(),
      ALIPAY_PUBLIC_KEY_FILE: parsedFile((key) => normalizeRsaPublicKey(key.toString('utf8'))).optional(),
      ALIPAY_NOTIFY_URL: z.url({ protocol: /^https?$/ }).optional(),
      ALIPAY_SELLER_ID: z
        .string()
        .regex(/^2088\d{12}$/, 'expected the 16-digit Alipay partner id (2088…)')
        .optional(),
      ALIPAY_ORDER_TIMEOUT: duration('30m'),
      ALIPAY_SUBJECT: z.string().min(1).max(128).default('金币充值'),
      ...snsEnvShape,
      ...moretvEnvShape,

      // Live rooms (src/live): the streaming provider, the local nginx-rtmp/SRS hooks and Qiniu Pili.
      LIVE_PROVIDER: z.enum(['local', 'pili']).default('local'),
      LIVE_ROOM_TTL: duration('24h'),
      LIVE_HEARTBEAT_TIMEOUT: duration('90s'),
      LIVE_LOCAL_APP: streamName.default('live'),
      LIVE_LOCAL_RTMP_HOST: hostAndPort.default('127.0.0.1:1935'),
      LIVE_LOCAL_HLS_HOST: hostAndPort.optional(),
      LIVE_HOOK_SECRET: z.string().min(24, 'must be at least 24 characters').optional(),
      LIVE_HOOK_ALLOW_REMOTE: flag(false),
      PILI_ACCESS_KEY: z.string().optional(),
      PILI_SECRET_KEY: z.string().optional(),
      PILI_HUB: streamName.optional(),
      PILI_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://pili.qiniuapi.com'),
      PILI_PUBLISH_DOMAIN: hostAndPort.optional(),
      PILI_PLAY_RTMP_DOMAIN: hostAndPort.optional(),
      PILI_PLAY_HLS_DOMAIN: hostAndPort.optional(),
      PILI_PLAY_HDL_DOMAIN: hostAndPort.optional(),
      PILI_SNAPSHOT_DOMAIN: hostAndPort.optional(),
      PILI_PLAYBACK_DOMAIN: hostAndPort.optional(),
      PILI_PLAY_SCHEME: z.enum(['http', 'https']).default('http'),
      PILI_PLAY_KEY: z.string().min(1).optional(),
      PILI_PLAY_URL_TTL: duration('2h'),

      // Coins (src/coins): the platform's share, in whole percent, of a content purchase and of a gift; the author's
      // or anchor's income account receives the rest (a fraction of a coin goes to them).
      COIN_PURCHASE_PLATFORM_SHARE: z.coerce.number().int().min(0).max(100).default(30),
      COIN_GIFT_PLATFORM_SHARE: z.coerce.number().int().min(0).max(100).default(30),
      // mrpyq (issue 17): `/log` token lifetimes, the verified-phone window of its two-step registration, and the
      // avatars uploaded before an account exists (src/media anonymous uploads); see docs/dialects/mrpyq.md.
      MRPYQ_MAX_TOKEN_TTL: duration('7d'),
      MRPYQ_VERIFIED_PHONE_TTL: duration('30m'),
      ANONYMOUS_UPLOAD_TTL: duration('1h'),
      ANONYMOUS_UPLOAD_SWEEP_INTERVAL: duration('5m'),
      ANONYMOUS_UPLOADS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(20),
      // ---- end of mrpyq ----
      // nggirl (issue 14): the apps that sign requests (src/nggirl-signing) and the IM credentials (src/im).
      NGGIRL_APPS: z
        .string()
        .optional()
        .transform((text, ctx) => {
          if (text === undefined) return undefined;
          try {
            return parseNggirlApps(text);
          } catch (error) {
            ctx.addIssue({ code: 'custom', message: (error as Error).message });
            return z.NEVER;
          }
        }),
      IM_PROVIDER: z.enum(['local']).default('local'),
      IM_SECRET_KEY: z
        .string()
        .optional()
        .transform((text, ctx) => {
          if (text === undefined) {
            // In production the key that guards the IM passwords is never generated: nggirl in use needs it set.
            if (production && env.NGGIRL_APPS) {
              ctx.addIssue({ code: 'custom', message: 'is required in production when NGGIRL_APPS is set' });
              return z.NEVER;
            }
            return undefined;
          }
          try {
            return parseImSecretKey(text);
          } catch (error) {
            ctx.addIssue({ code: 'custom', message: (error as Error).message });
            return z.NEVER;
          }
        }),
    })
    .superRefine((v, ctx) => {
      if (v.MAIL_TRANSPORT === 'smtp' && !v.SMTP_HOST) {
        ctx.addIssue({
          code: 'custom',
          path: ['SMTP_HOST'],
          message: 'is required when MAIL_TRANSPORT=smtp',
        });
      }
      if (v.SMS_PROVIDER === 'aliyun') {
        for (const name of [
          'ALIYUN_SMS_ACCESS_KEY_ID',
          'ALIYUN_SMS_ACCESS_KEY_SECRET',
          'ALIYUN_SMS_SIGN_NAME',
          'ALIYUN_SMS_TEMPLATE_CODE',
        ] as const) {
          if (!v[name])
            ctx.addIssue({ code: 'custom', path: [name], message: 'is required when SMS_PROVIDER=aliyun' });
        }
      }
      checkSnsEnv(v, ctx);

      for (const issue of liveConfigIssues(v)) ctx.addIssue({ code: 'custom', ...issue });

      if (v.STORAGE_DRIVER === 's3') {
        for (const name of [
          'S3_BUCKET',
          'S3_ACCESS_KEY_ID',
          'S3_SECRET_ACCESS_KEY',
          'S3_PUBLIC_BASE_URL',
        ] as const) {
          if (!v[name])
            ctx.addIssue({ code: 'custom', path: [name], message: 'is required when STORAGE_DRIVER=s3' });
        }
      }
      if (v.NODE_ENV === 'production' && !v.JWT_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production' });
      }
      // payments (src/payments)
      const issue = (name: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: [name], message });
      if (v.APPLE_BUNDLE_ID) {
        const unsigned = v.APPLE_ENVIRONMENT === 'Xcode' || v.APPLE_ENVIRONMENT === 'LocalTesting';
        if (v.APPLE_PRODUCTS.size === 0) issue('APPLE_PRODUCTS', 'needs at least one productId:coins pair');
        if (!unsigned && !v.APPLE_ROOT_CERTIFICATES && !v.APPLE_ROOT_CERTIFICATE_FILES)
          issue(
            'APPLE_ROOT_CERTIFICATES',
            'or APPLE_ROOT_CERTIFICATE_FILES is required with APPLE_BUNDLE_ID',
          );
        if (v.APPLE_ENVIRONMENT === 'Production' && v.APPLE_APP_APPLE_ID === undefined)
          issue('APPLE_APP_APPLE_ID', 'is required when APPLE_ENVIRONMENT=Production');
        const api = [v.APPLE_API_KEY ?? v.APPLE_API_KEY_FILE, v.APPLE_API_KEY_ID, v.APPLE_API_ISSUER_ID];
        if (api.some(Boolean) && !api.every(Boolean))
          issue(
            'APPLE_API_KEY',
            'APPLE_API_KEY (or _FILE), APPLE_API_KEY_ID and APPLE_API_ISSUER_ID go together',
          );
        if (production && unsigned)
          issue(
            'APPLE_ENVIRONMENT',
            `${v.APPLE_ENVIRONMENT} transactions are not signed by Apple: refused in production`,
          );
        if (production && !v.APPLE_ONLINE_CHECKS)
          issue('APPLE_ONLINE_CHECKS', 'revocation checks cannot be turned off in production');
      }
      if (production && v.PAYMENT_PROVIDER === 'local')
        issue('PAYMENT_PROVIDER', 'local credits coins without any payment: refused in production');
      if (v.PAYMENT_PROVIDER === 'alipay') {
        if (!v.ALIPAY_APP_ID) issue('ALIPAY_APP_ID', 'is required when PAYMENT_PROVIDER=alipay');
        if (!v.ALIPAY_PRIVATE_KEY && !v.ALIPAY_PRIVATE_KEY_FILE)
          issue('ALIPAY_PRIVATE_KEY', 'or ALIPAY_PRIVATE_KEY_FILE is required when PAYMENT_PROVIDER=alipay');
        if (!v.ALIPAY_PUBLIC_KEY && !v.ALIPAY_PUBLIC_KEY_FILE)
          issue('ALIPAY_PUBLIC_KEY', 'or ALIPAY_PUBLIC_KEY_FILE is required when PAYMENT_PROVIDER=alipay');
        if (production && !v.ALIPAY_NOTIFY_URL && !v.PUBLIC_BASE_URL)
          issue('ALIPAY_NOTIFY_URL', 'or PUBLIC_BASE_URL is required in production: Alipay must reach it');
      }
    });
}

export type AppConfig = ReturnType<typeof buildConfig>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the environment once. A bad value stops start-up with a message that names the variable.
 * In development a JWT secret is generated once and kept under DATA_DIR, so sessions survive restarts.
 */
export function loadConfig(rawEnv: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable (`DATABASE_URL=` in a compose file) means unset, not an invalid value.
  const env = Object.fromEntries(
    Object.entries(rawEnv).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema(env).safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return buildConfig(parsed.data);
}

function buildConfig(v: z.output<ReturnType<typeof envSchema>>) {
  const dataDir = resolve(v.DATA_DIR);
  const prefixes: Record<DialectName, string> = {
    nuzzle: v.DIALECT_PREFIX_NUZZLE ?? '',
    moretv: v.DIALECT_PREFIX_MORETV ?? '',
    mrpyq: v.DIALECT_PREFIX_MRPYQ ?? '',
    nggirl: v.DIALECT_PREFIX_NGGIRL ?? '',
    xiaoma: v.DIALECT_PREFIX_XIAOMA ?? '',
  };
  return {
    env: v.NODE_ENV,
    isProduction: v.NODE_ENV === 'production',
    http: {
      host: v.HOST,
      port: v.PORT,
      publicBaseUrl: (v.PUBLIC_BASE_URL ?? `http://localhost:${v.PORT}`).replace(/\/+$/, ''),
      trustedProxies: v.TRUSTED_PROXIES.split(',')
        .map((p) => p.trim())
        .filter(Boolean),
      bodyLimit: v.BODY_LIMIT,
      bounds: {
        maxParams: v.REQUEST_MAX_PARAMS,
        maxDepth: v.REQUEST_MAX_DEPTH,
        maxArrayLength: v.REQUEST_MAX_ARRAY_LENGTH,
      },
      uploadMaxBytes: v.UPLOAD_MAX_BYTES,
      shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT,
      workers: v.WEB_CONCURRENCY,
      heapGrowthPercent: v.HEAP_GROWTH_PERCENT,
    },
    database: {
      url: v.DATABASE_URL,
      poolSize: v.DATABASE_POOL_SIZE,
      hotPoolSize: v.DATABASE_HOT_POOL_SIZE,
      embeddedPort: v.EMBEDDED_PG_PORT,
    },
    dataDir,
    media: {
      dir: resolve(v.MEDIA_DIR ?? join(dataDir, 'media')),
      privateDir: resolve(v.MEDIA_PRIVATE_DIR ?? join(dataDir, 'media-private')),
      maxPixels: v.MEDIA_MAX_PIXELS,
    },
    // ---- Content (feeds, stars, uploads, paid media) ----
    content: {
      storage: {
        driver: v.STORAGE_DRIVER,
        s3: {
          endpoint: v.S3_ENDPOINT?.replace(/\/+$/, ''),
          region: v.S3_REGION,
          bucket: v.S3_BUCKET ?? '',
          accessKeyId: v.S3_ACCESS_KEY_ID ?? '',
          secretAccessKey: v.S3_SECRET_ACCESS_KEY ?? '',
          forcePathStyle: v.S3_FORCE_PATH_STYLE,
          // Always ends with one slash: clients append the key to it.
          publicBaseUrl: v.S3_PUBLIC_BASE_URL ? `${v.S3_PUBLIC_BASE_URL.replace(/\/+$/, '')}/` : '',
        },
      },
      uploadTokenTtlMs: v.UPLOAD_TOKEN_TTL,
      mediaUrlTtlMs: v.MEDIA_URL_TTL,
    },
    // ---- end of content ----
    auth: {
      jwtSecret: v.JWT_SECRET ?? developmentSecret(dataDir),
      sessionTtlMs: v.SESSION_TTL,
      sessionMaxAgeMs: v.SESSION_MAX_AGE,
      sessionTouchIntervalMs: v.SESSION_TOUCH_INTERVAL,
      adminSessionTtlMs: v.ADMIN_SESSION_TTL,
      adminSessionMaxAgeMs: v.ADMIN_SESSION_MAX_AGE,
      accessTokenTtlMs: v.ACCESS_TOKEN_TTL,
      refreshTokenTtlMs: v.REFRESH_TOKEN_TTL,
      hashConcurrency: v.HASH_CONCURRENCY,
      hashThreadNice: v.HASH_THREAD_NICE,
    },
    verification: {
      echoCode: v.VERIFICATION_ECHO_CODE,
      codeTtlMs: v.VERIFICATION_CODE_TTL,
      resendCooldownMs: v.VERIFICATION_RESEND_COOLDOWN,
      maxPerHour: v.VERIFICATION_MAX_PER_HOUR,
      maxPerDay: v.VERIFICATION_MAX_PER_DAY,
      maxSendsPerIpPerHour: v.VERIFICATION_MAX_PER_IP_PER_HOUR,
      maxChecksPerIpPerHour: v.VERIFICATION_CHECKS_PER_IP_PER_HOUR,
      passwordResetTtlMs: v.PASSWORD_RESET_TTL,
      passwordResetCooldownMs: v.PASSWORD_RESET_COOLDOWN,
    },
    dialects: { enabled: v.DIALECTS, prefixes },
    mail: {
      transport: v.MAIL_TRANSPORT,
      from: v.MAIL_FROM,
      smtp: {
        host: v.SMTP_HOST ?? '',
        port: v.SMTP_PORT,
        secure: v.SMTP_SECURE,
        user: v.SMTP_USER,
        password: v.SMTP_PASSWORD,
        ignoreTls: v.SMTP_IGNORE_TLS,
      },
    },
    sms: {
      provider: v.SMS_PROVIDER,
      aliyun: {
        accessKeyId: v.ALIYUN_SMS_ACCESS_KEY_ID ?? '',
        accessKeySecret: v.ALIYUN_SMS_ACCESS_KEY_SECRET ?? '',
        signName: v.ALIYUN_SMS_SIGN_NAME ?? '',
        templateCode: v.ALIYUN_SMS_TEMPLATE_CODE ?? '',
        regionId: v.ALIYUN_SMS_REGION,
        endpoint: v.ALIYUN_SMS_ENDPOINT.replace(/\/+$/, ''),
      },
    },
    outbox: { pollIntervalMs: v.OUTBOX_POLL_INTERVAL },
    redisUrl: v.REDIS_URL,
    redisPrefix: v.REDIS_PREFIX,
    throttle: {
      loginPerIpPerMinute: v.LOGIN_IP_LIMIT_PER_MINUTE,
      accountPerIpPerHour: v.ACCOUNT_IP_LIMIT_PER_HOUR,
    },
    // payments (src/payments)
    payments: {
      apple: v.APPLE_BUNDLE_ID
        ? {
            bundleId: v.APPLE_BUNDLE_ID,
            appAppleId: v.APPLE_APP_APPLE_ID,
            environment: v.APPLE_ENVIRONMENT,
            onlineChecks: v.APPLE_ONLINE_CHECKS,
            rootCertificates: [
              ...(v.APPLE_ROOT_CERTIFICATES ?? []),
              ...(v.APPLE_ROOT_CERTIFICATE_FILES ?? []),
            ],
            products: v.APPLE_PRODUCTS,
            api:
              (v.APPLE_API_KEY ?? v.APPLE_API_KEY_FILE) && v.APPLE_API_KEY_ID && v.APPLE_API_ISSUER_ID
                ? {
                    signingKey: (v.APPLE_API_KEY ?? v.APPLE_API_KEY_FILE)!,
                    keyId: v.APPLE_API_KEY_ID,
                    issuerId: v.APPLE_API_ISSUER_ID,
                    baseUrl: v.APPLE_API_BASE_URL?.replace(/\/+$/, ''),
                    timeoutMs: v.APPLE_API_TIMEOUT,
                  }
                : null,
          }
        : null,
      refill: {
        provider: v.PAYMENT_PROVIDER,
        /** Price in fen → coins. */
        packages: v.MRPYQ_REFILL_PACKAGES,
        alipay:
          v.PAYMENT_PROVIDER === 'alipay'
            ? {
                appId: v.ALIPAY_APP_ID!,
                privateKey: (v.ALIPAY_PRIVATE_KEY ?? v.ALIPAY_PRIVATE_KEY_FILE)!,
                alipayPublicKey: (v.ALIPAY_PUBLIC_KEY ?? v.ALIPAY_PUBLIC_KEY_FILE)!,
                notifyUrl:
                  v.ALIPAY_NOTIFY_URL ??
                  `${(v.PUBLIC_BASE_URL ?? `http://localhost:${v.PORT}`).replace(/\/+$/, '')}/payments/alipay/notify`,
                sellerId: v.ALIPAY_SELLER_ID,
                orderTimeoutMs: v.ALIPAY_ORDER_TIMEOUT,
                subject: v.ALIPAY_SUBJECT,
              }
            : null,
      },
    },
    logLevel: v.LOG_LEVEL,
    ...snsConfigSections(v),
    // In development with the default PUBLIC_BASE_URL (http://localhost:PORT), a browser on http://127.0.0.1:PORT is
    // the same server: its forms must not be refused as another origin.
    ...(v.NODE_ENV !== 'production' && !v.PUBLIC_BASE_URL
      ? { moretv: { allowedOrigins: [...v.MORETV_ALLOWED_ORIGINS, `http://127.0.0.1:${v.PORT}`] } }
      : {}),
    ...moretvConfigSection(v),

    live: {
      provider: v.LIVE_PROVIDER,
      roomTtlMs: v.LIVE_ROOM_TTL,
      heartbeatTimeoutMs: v.LIVE_HEARTBEAT_TIMEOUT,
      local: {
        app: v.LIVE_LOCAL_APP,
        rtmpHost: v.LIVE_LOCAL_RTMP_HOST,
        hlsHost: v.LIVE_LOCAL_HLS_HOST ?? '',
        hookSecret:
          v.LIVE_PROVIDER === 'local'
            ? liveHookSecret(v.LIVE_HOOK_SECRET, v.NODE_ENV === 'production', dataDir)
            : '',
        hookAllowRemote: v.LIVE_HOOK_ALLOW_REMOTE,
      },
      pili: {
        accessKey: v.PILI_ACCESS_KEY ?? '',
        secretKey: v.PILI_SECRET_KEY ?? '',
        hub: v.PILI_HUB ?? '',
        apiBaseUrl: v.PILI_API_BASE_URL.replace(/\/+$/, ''),
        publishDomain: v.PILI_PUBLISH_DOMAIN ?? '',
        playRtmpDomain: v.PILI_PLAY_RTMP_DOMAIN ?? '',
        playHlsDomain: v.PILI_PLAY_HLS_DOMAIN ?? '',
        playHdlDomain: v.PILI_PLAY_HDL_DOMAIN ?? v.PILI_PLAY_HLS_DOMAIN ?? '',
        snapshotDomain: v.PILI_SNAPSHOT_DOMAIN ?? '',
        playbackDomain: v.PILI_PLAYBACK_DOMAIN ?? '',
        playScheme: v.PILI_PLAY_SCHEME,
        playKey: v.PILI_PLAY_KEY ?? '',
        playUrlTtlMs: v.PILI_PLAY_URL_TTL,
      },
    },
    // Coins (src/coins)
    coins: {
      purchasePlatformSharePercent: v.COIN_PURCHASE_PLATFORM_SHARE,
      giftPlatformSharePercent: v.COIN_GIFT_PLATFORM_SHARE,
    },
    // mrpyq (issue 17)
    mrpyq: {
      /** `/log`'s `expire_in` is capped by this. */
      maxTokenTtlMs: v.MRPYQ_MAX_TOKEN_TTL,
      /** How long a phone that passed the code check may register. */
      verifiedPhoneTtlMs: v.MRPYQ_VERIFIED_PHONE_TTL,
    },
    anonymousUploads: {
      /** An upload no registration claimed within this is deleted. */
      claimTtlMs: v.ANONYMOUS_UPLOAD_TTL,
      sweepIntervalMs: v.ANONYMOUS_UPLOAD_SWEEP_INTERVAL,
      perIpPerHour: v.ANONYMOUS_UPLOADS_PER_IP_PER_HOUR,
    },
    // ---- end of mrpyq ----
    // nggirl (issue 14). Outside production, unset values get a development app and key kept under DATA_DIR;
    // in production an unset NGGIRL_APPS means no app may call (and IM_SECRET_KEY is then not needed). Nothing is
    // generated when the nggirl dialect is not served.
    ...nggirlConfig(v, dataDir),
  };
}

function nggirlConfig(v: z.output<ReturnType<typeof envSchema>>, dataDir: string) {
  const served = v.DIALECTS.includes('nggirl');
  const development = v.NODE_ENV !== 'production' && served;
  const nggirl: NggirlAppsConfig = v.NGGIRL_APPS
    ? { apps: v.NGGIRL_APPS, developmentApp: false }
    : development
      ? { apps: [developmentValue('NGGIRL_APPS', () => developmentNggirlApp(dataDir))], developmentApp: true }
      : { apps: [], developmentApp: false };
  const secretKey =
    v.IM_SECRET_KEY ??
    (development ? developmentValue('IM_SECRET_KEY', () => developmentImSecretKey(dataDir)) : undefined);
  return { nggirl, im: { provider: v.IM_PROVIDER, secretKey } };
}

/** A development value kept under DATA_DIR; a damaged file stops start-up naming the variable to set instead. */
function developmentValue<T>(variable: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  ${variable}: ${(error as Error).message}`);
  }
}

/** Development only: a random secret generated on first start and kept (mode 600) under DATA_DIR. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process started at the same moment and wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) {
    throw new ConfigError(
      `Invalid configuration:\n  JWT_SECRET: ${file} holds fewer than 32 characters; delete it or set JWT_SECRET`,
    );
  }
  return secret;
}

export function withDatabaseUrl(config: AppConfig, url: string): AppConfig {
  return { ...config, database: { ...config.database, url } };
}
