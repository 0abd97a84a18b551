import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, withDatabaseUrl } from '#src/config/app-config.js';

const SECRET = 'a-production-secret-of-at-least-32-characters';

describe(loadConfig.name, () => {
  let root: string;
  let dirs = 0;
  /** A fresh DATA_DIR under a temporary root: the development JWT secret is written there. */
  const dataDir = () => join(root, `data-${++dirs}`);

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'concord-config-'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const failureOf = (env: NodeJS.ProcessEnv): ConfigError => {
    try {
      loadConfig({ DATA_DIR: dataDir(), ...env });
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error(`expected ${JSON.stringify(env)} to be refused`);
  };

  it('should fill every default from an empty environment', () => {
    const dir = dataDir();
    const sut = loadConfig({ DATA_DIR: dir });
    expect(sut).toEqual({
      env: 'development',
      isProduction: false,
      http: {
        host: '0.0.0.0',
        port: 3000,
        publicBaseUrl: 'http://localhost:3000',
        trustedProxies: [],
        bodyLimit: 1_048_576,
        bounds: { maxParams: 1000, maxDepth: 6, maxArrayLength: 200 },
        uploadMaxBytes: 10_485_760,
        workers: 1,
        heapGrowthPercent: 75,
        shutdownTimeoutMs: 10_000,
      },
      database: { url: undefined, poolSize: 10, hotPoolSize: 4, embeddedPort: 54329 },
      dataDir: dir,
      media: { dir: join(dir, 'media'), privateDir: join(dir, 'media-private'), maxPixels: 40_000_000 },
      content: {
        storage: {
          driver: 'local',
          s3: {
            endpoint: undefined,
            region: 'us-east-1',
            bucket: '',
            accessKeyId: '',
            secretAccessKey: '',
            forcePathStyle: false,
            publicBaseUrl: '',
          },
        },
        uploadTokenTtlMs: 15 * 60_000,
        mediaUrlTtlMs: 3_600_000,
      },
      auth: {
        jwtSecret: expect.stringMatching(/^[A-Za-z0-9_-]{64}$/),
        sessionTtlMs: 30 * 86_400_000,
        sessionMaxAgeMs: 365 * 86_400_000,
        sessionTouchIntervalMs: 5 * 60_000,
        adminSessionTtlMs: 30 * 60_000,
        adminSessionMaxAgeMs: 12 * 3_600_000,
        accessTokenTtlMs: 2 * 3_600_000,
        refreshTokenTtlMs: 30 * 86_400_000,
        hashConcurrency: availableParallelism(),
        hashThreadNice: 10,
      },
      verification: {
        echoCode: true,
        codeTtlMs: 5 * 60_000,
        resendCooldownMs: 60_000,
        maxPerHour: 5,
        maxPerDay: 10,
        maxSendsPerIpPerHour: 20,
        maxChecksPerIpPerHour: 60,
        passwordResetTtlMs: 30 * 60_000,
        passwordResetCooldownMs: 60_000,
      },
      dialects: {
        enabled: ['nuzzle', 'moretv', 'mrpyq', 'nggirl', 'xiaoma'],
        prefixes: { nuzzle: '', moretv: '', mrpyq: '', nggirl: '', xiaoma: '' },
      },
      mail: {
        transport: 'local',
        from: 'Concord <no-reply@concord.local>',
        smtp: { host: '', port: 587, secure: false, user: undefined, password: undefined, ignoreTls: false },
      },
      sms: {
        provider: 'local',
        aliyun: {
          accessKeyId: '',
          accessKeySecret: '',
          endpoint: 'https://dysmsapi.aliyuncs.com',
          regionId: 'cn-hangzhou',
          signName: '',
          templateCode: '',
        },
      },
      outbox: { pollIntervalMs: 5_000 },
      redisUrl: undefined,
      redisPrefix: 'concord:',
      throttle: { loginPerIpPerMinute: 60, accountPerIpPerHour: 30 },
      // payments (src/payments)
      payments: {
        apple: null,
        refill: {
          provider: 'local',
          packages: new Map([
            [1000, 100],
            [5000, 550],
            [10000, 1200],
          ]),
          alipay: null,
        },
      },
      logLevel: 'info',
      moretv: { allowedOrigins: ['http://127.0.0.1:3000'] },
      moretvWeb: {
        deniedEmailDomains: [
          'example.com',
          'example.net',
          'example.org',
          '*.example',
          '*.invalid',
          '*.localhost',
          '*.test',
        ],
        avatarMaxBytes: 2 * 1_048_576,
        captchaPerIpPerMinute: 30,
      },
      sns: {
        stateTtlMs: 10 * 60_000,
        signupTtlMs: 30 * 60_000,
        httpTimeoutMs: 10_000,
        providers: { qq: undefined, wb: undefined, db: undefined, wx: undefined },
      },
      captcha: { ttlMs: 5 * 60_000, maxTries: 5 },
      facebook: {
        appId: undefined,
        appSecret: undefined,
        graphUrl: 'https://graph.facebook.com',
        graphVersion: 'v21.0',
        timeoutMs: 10_000,
      },
      live: {
        provider: 'local',
        roomTtlMs: 86_400_000,
        heartbeatTimeoutMs: 90_000,
        local: {
          app: 'live',
          rtmpHost: '127.0.0.1:1935',
          hlsHost: '',
          hookSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
          hookAllowRemote: false,
        },
        pili: expect.objectContaining({ apiBaseUrl: 'https://pili.qiniuapi.com', playScheme: 'http' }),
      },
      coins: { purchasePlatformSharePercent: 30, giftPlatformSharePercent: 30 },
      mrpyq: { maxTokenTtlMs: 7 * 86_400_000, verifiedPhoneTtlMs: 30 * 60_000 },
      anonymousUploads: { claimTtlMs: 3_600_000, sweepIntervalMs: 5 * 60_000, perIpPerHour: 20 },
      nggirl: {
        apps: [{ id: 'dev', secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), signed: true }],
        developmentApp: true,
      },
      im: { provider: 'local', secretKey: expect.any(Buffer) },
    });
  });

  it('should read the values it is given', () => {
    const sut = loadConfig({
      DATA_DIR: dataDir(),
      NODE_ENV: 'test',
      PORT: '8080',
      PUBLIC_BASE_URL: 'https://api.example.com/',
      TRUSTED_PROXIES: '10.0.0.1, 10.0.0.2',
      DATABASE_URL: 'postgresql://u:p@db:5432/concord',
      JWT_SECRET: SECRET,
      SESSION_TTL: '12h',
      DIALECTS: 'xiaoma, nuzzle,xiaoma',
      DIALECT_PREFIX_NUZZLE: '/nz',
      MAIL_TRANSPORT: 'smtp',
      SMTP_HOST: 'smtp.example.com',
      SMTP_SECURE: 'yes',
      HASH_CONCURRENCY: '3',
      HASH_THREAD_NICE: '0',
      HEAP_GROWTH_PERCENT: '0',
    });
    expect(sut.env).toBe('test');
    expect(sut.http).toMatchObject({
      port: 8080,
      publicBaseUrl: 'https://api.example.com',
      trustedProxies: ['10.0.0.1', '10.0.0.2'],
    });
    expect(sut.database.url).toBe('postgresql://u:p@db:5432/concord');
    expect(sut.auth.jwtSecret).toBe(SECRET);
    expect(sut.auth.sessionTtlMs).toBe(12 * 3_600_000);
    expect(sut.auth.hashConcurrency).toBe(3);
    expect(sut.auth.hashThreadNice).toBe(0);
    expect(sut.http.heapGrowthPercent).toBe(0);
    expect(sut.dialects).toEqual({
      enabled: ['xiaoma', 'nuzzle'],
      prefixes: { nuzzle: '/nz', moretv: '', mrpyq: '', nggirl: '', xiaoma: '' },
    });
    expect(sut.mail.transport).toBe('smtp');
    expect(sut.mail.smtp).toMatchObject({ host: 'smtp.example.com', secure: true });
  });

  it("should read the platform's coin shares as whole percents, and refuse one outside 0-100", () => {
    expect(
      loadConfig({ DATA_DIR: dataDir(), COIN_PURCHASE_PLATFORM_SHARE: '0', COIN_GIFT_PLATFORM_SHARE: '100' })
        .coins,
    ).toEqual({ purchasePlatformSharePercent: 0, giftPlatformSharePercent: 100 });
    expect(() => loadConfig({ DATA_DIR: dataDir(), COIN_PURCHASE_PLATFORM_SHARE: '101' })).toThrow(
      /COIN_PURCHASE_PLATFORM_SHARE/,
    );
    expect(() => loadConfig({ DATA_DIR: dataDir(), COIN_GIFT_PLATFORM_SHARE: '12.5' })).toThrow(
      /COIN_GIFT_PLATFORM_SHARE/,
    );
  });

  it.each<[string, NodeJS.ProcessEnv, string]>([
    ['PORT=abc', { PORT: 'abc' }, 'PORT: '],
    ['PORT=70000', { PORT: '70000' }, 'PORT: '],
    ['HASH_THREAD_NICE=20', { HASH_THREAD_NICE: '20' }, 'HASH_THREAD_NICE: '],
    ['HEAP_GROWTH_PERCENT=301', { HEAP_GROWTH_PERCENT: '301' }, 'HEAP_GROWTH_PERCENT: '],
    ['EMBEDDED_PG_PORT=5432', { EMBEDDED_PG_PORT: '5432' }, 'EMBEDDED_PG_PORT: must not be 5432'],
    [
      'DIALECTS=foo',
      { DIALECTS: 'foo' },
      'DIALECTS: unknown dialect(s) foo; known: nuzzle, moretv, mrpyq, nggirl, xiaoma',
    ],
    ['DIALECTS=nuzzle,foo', { DIALECTS: 'nuzzle,foo' }, 'DIALECTS: unknown dialect(s) foo'],
    [
      'SESSION_TTL=forever',
      { SESSION_TTL: 'forever' },
      'SESSION_TTL: expected a duration like 30s, 5m, 12h or 30d, got "forever"',
    ],
    [
      'MAIL_TRANSPORT=smtp without SMTP_HOST',
      { MAIL_TRANSPORT: 'smtp' },
      'SMTP_HOST: is required when MAIL_TRANSPORT=smtp',
    ],
    [
      'NODE_ENV=production without JWT_SECRET',
      { NODE_ENV: 'production' },
      'JWT_SECRET: is required in production',
    ],
    ['a short JWT_SECRET', { JWT_SECRET: 'short' }, 'JWT_SECRET: must be at least 32 characters'],
    ['DATABASE_URL=mysql://x', { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: expected a postgres:// URL'],
    [
      'DIALECT_PREFIX_NUZZLE=nz',
      { DIALECT_PREFIX_NUZZLE: 'nz' },
      'DIALECT_PREFIX_NUZZLE: expected a path prefix like /nuzzle',
    ],
    [
      'DIALECT_PREFIX_NUZZLE=/nz/',
      { DIALECT_PREFIX_NUZZLE: '/nz/' },
      'DIALECT_PREFIX_NUZZLE: expected a path prefix like /nuzzle',
    ],
    ['VERIFICATION_ECHO_CODE=maybe', { VERIFICATION_ECHO_CODE: 'maybe' }, 'VERIFICATION_ECHO_CODE: '],
    ['NODE_ENV=staging', { NODE_ENV: 'staging' }, 'NODE_ENV: '],
    ['REDIS_URL=http://x', { REDIS_URL: 'http://x' }, 'REDIS_URL: expected a redis:// URL'],
  ])('should refuse %s with a message naming the variable', (_label, env, expected) => {
    const error = failureOf(env);
    expect(error.message).toMatch(/^Invalid configuration:\n/);
    expect(error.message).toContain(`\n  ${expected}`);
  });

  it('should name every bad variable at once', () => {
    const error = failureOf({ PORT: 'abc', DIALECTS: 'foo', SESSION_TTL: 'forever' });
    expect(error.message).toContain('\n  PORT: ');
    expect(error.message).toContain('\n  DIALECTS: ');
    expect(error.message).toContain('\n  SESSION_TTL: ');
  });

  it('should echo verification codes by default in development and test, never by default in production', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).verification.echoCode).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir(), NODE_ENV: 'test' }).verification.echoCode).toBe(true);
    const production = loadConfig({ DATA_DIR: dataDir(), NODE_ENV: 'production', JWT_SECRET: SECRET });
    expect(production.isProduction).toBe(true);
    expect(production.verification.echoCode).toBe(false);
  });

  it('should let VERIFICATION_ECHO_CODE decide when it is set', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), VERIFICATION_ECHO_CODE: 'false' }).verification.echoCode).toBe(
      false,
    );
    expect(loadConfig({ DATA_DIR: dataDir(), VERIFICATION_ECHO_CODE: '0' }).verification.echoCode).toBe(
      false,
    );
    expect(
      loadConfig({
        DATA_DIR: dataDir(),
        NODE_ENV: 'production',
        JWT_SECRET: SECRET,
        VERIFICATION_ECHO_CODE: 'true',
      }).verification.echoCode,
    ).toBe(true);
  });

  it('should generate the development JWT secret once under DATA_DIR, readable by the owner only', () => {
    const dir = join(dataDir(), 'nested', 'folder');
    const sut = loadConfig({ DATA_DIR: dir });
    const file = join(dir, 'jwt-secret');
    expect(readFileSync(file, 'utf8')).toBe(sut.auth.jwtSecret);
    expect(sut.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('should reuse the development JWT secret on the next start', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).auth.jwtSecret;
    const second = loadConfig({ DATA_DIR: dir }).auth.jwtSecret;
    expect(second).toBe(first);
    expect(loadConfig({ DATA_DIR: dataDir() }).auth.jwtSecret).not.toBe(first);
  });

  it('should read a kept secret without the newline an editor may have added', () => {
    const dir = dataDir();
    loadConfig({ DATA_DIR: dir });
    writeFileSync(join(dir, 'jwt-secret'), 'kept-secret-kept-secret-kept-secret\n');
    expect(loadConfig({ DATA_DIR: dir }).auth.jwtSecret).toBe('kept-secret-kept-secret-kept-secret');
  });

  it('should refuse a kept secret that is too short, naming JWT_SECRET and the file', () => {
    const dir = dataDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'jwt-secret'), 'short\n');
    expect(() => loadConfig({ DATA_DIR: dir })).toThrow(
      /JWT_SECRET: .*jwt-secret holds fewer than 32 characters/,
    );
  });

  it("should read moretv's refused email domains, and refuse what is no domain", () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      MORETV_DENIED_EMAIL_DOMAINS: ' Mailinator.com, *.Test ,',
    });
    expect(config.moretvWeb.deniedEmailDomains).toEqual(['mailinator.com', '*.test']);
    expect(() => loadConfig({ DATA_DIR: dataDir(), MORETV_DENIED_EMAIL_DOMAINS: 'a@b.com' })).toThrow(
      /MORETV_DENIED_EMAIL_DOMAINS: expected domains like mailinator\.com or \*\.test, got a@b\.com/,
    );
  });

  it('should require every Aliyun credential when SMS_PROVIDER=aliyun, naming each', () => {
    expect(() =>
      loadConfig({ DATA_DIR: dataDir(), SMS_PROVIDER: 'aliyun', ALIYUN_SMS_ACCESS_KEY_ID: 'id' }),
    ).toThrow(
      /ALIYUN_SMS_ACCESS_KEY_SECRET: is required[\s\S]*ALIYUN_SMS_SIGN_NAME: is required[\s\S]*ALIYUN_SMS_TEMPLATE_CODE/,
    );
  });

  it('should require the bucket, its key pair and its public address when STORAGE_DRIVER=s3', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), STORAGE_DRIVER: 's3', S3_BUCKET: 'media' })).toThrow(
      /S3_ACCESS_KEY_ID: is required[\s\S]*S3_SECRET_ACCESS_KEY: is required[\s\S]*S3_PUBLIC_BASE_URL: is required/,
    );
    const sut = loadConfig({
      DATA_DIR: dataDir(),
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: 'http://minio:9000/',
      S3_BUCKET: 'media',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_FORCE_PATH_STYLE: 'true',
      S3_PUBLIC_BASE_URL: 'https://cdn.example.com/media',
      UPLOAD_TOKEN_TTL: '5m',
      MEDIA_URL_TTL: '10m',
    });
    expect(sut.content).toEqual({
      storage: {
        driver: 's3',
        s3: {
          endpoint: 'http://minio:9000',
          region: 'us-east-1',
          bucket: 'media',
          accessKeyId: 'id',
          secretAccessKey: 'secret',
          forcePathStyle: true,
          publicBaseUrl: 'https://cdn.example.com/media/',
        },
      },
      uploadTokenTtlMs: 5 * 60_000,
      mediaUrlTtlMs: 10 * 60_000,
    });
  });

  it('should not write a secret file when JWT_SECRET is given', () => {
    const dir = dataDir();
    expect(loadConfig({ DATA_DIR: dir, JWT_SECRET: SECRET }).auth.jwtSecret).toBe(SECRET);
    expect(() => statSync(join(dir, 'jwt-secret'))).toThrow();
  });

  it('should replace only the database URL', () => {
    const config = loadConfig({ DATA_DIR: dataDir(), JWT_SECRET: SECRET });
    const sut = withDatabaseUrl(config, 'postgres://embedded:1/concord');
    expect(sut).toEqual({
      ...config,
      database: { ...config.database, url: 'postgres://embedded:1/concord' },
    });
    expect(config.database.url).toBeUndefined();
  });
});
