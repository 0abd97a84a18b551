import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { parseDuration } from '#src/config/duration.js';
import { DIALECT_NAMES, isDialectName, type DialectName } from '#src/dialects/dialect.js';

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
      LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
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
      // Under overload, how long a finished sign-in may wait for others to go on with it (src/auth/hash-admission.ts).
      SIGN_IN_HOLD: duration('40ms'),
      SHUTDOWN_TIMEOUT: duration('10s'),
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
      uploadMaxBytes: v.UPLOAD_MAX_BYTES,
      shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT,
      workers: v.WEB_CONCURRENCY,
    },
    database: {
      url: v.DATABASE_URL,
      poolSize: v.DATABASE_POOL_SIZE,
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
      signInHoldMs: v.SIGN_IN_HOLD,
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
    throttle: { loginPerIpPerMinute: v.LOGIN_IP_LIMIT_PER_MINUTE },
    logLevel: v.LOG_LEVEL,
  };
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
