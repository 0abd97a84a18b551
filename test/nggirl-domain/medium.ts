import { createHash } from 'node:crypto';
import type { Type } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Test, type TestingModule } from '@nestjs/testing';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from '#src/app.module.js';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import type { Principal } from '#src/auth/principal.js';
import { SessionService } from '#src/auth/session.service.js';
import type { Clock } from '#src/common/time/clock.js';
import { DialectResolver } from '#src/common/http/dialect-resolver.js';
import { FailureResponder } from '#src/common/http/failure-responder.js';
import { loadConfig, type AppConfig } from '#src/config/app-config.js';
import { createSuiteDatabase } from '#test/setup/test-database.js';

export const TEST_APP_SECRET = 'nggirl-test-app-secret-0123456789';
export const TEST_IM_KEY = Buffer.alloc(32, 42).toString('base64');

/** The services of the whole app on a database of the suite's own, without HTTP: the "medium" level. */
export interface MediumContext {
  module: TestingModule;
  config: AppConfig;
  db: DataSource;
  get<T>(token: Type<T> | (abstract new (...args: never[]) => T)): T;
  close(): Promise<void>;
}

export interface MediumOptions {
  env?: Record<string, string>;
  clock?: Clock;
  /** Providers replaced by test doubles (a failing IM provider, say). */
  overrides?: Array<{ token: unknown; value: unknown }>;
}

export async function createMediumContext(options: MediumOptions = {}): Promise<MediumContext> {
  const database = await createSuiteDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    DATA_DIR: '/tmp/concord-test-data',
    LOG_LEVEL: 'silent',
    OUTBOX_POLL_INTERVAL: '1h',
    HASH_CONCURRENCY: '2',
    LOGIN_IP_LIMIT_PER_MINUTE: '100000',
    NGGIRL_APPS: `app1:${TEST_APP_SECRET},legacy:${TEST_APP_SECRET}-legacy:unsigned`,
    IM_SECRET_KEY: TEST_IM_KEY,
    ...options.env,
    DATABASE_URL: database.url,
  });
  const logger = pino({ level: 'silent' });
  const responder = new FailureResponder(new DialectResolver(config), logger);
  let builder = Test.createTestingModule({
    imports: [AppModule.forRoot({ config, logger, responder, clock: options.clock })],
  });
  for (const { token, value } of options.overrides ?? []) {
    builder = builder.overrideProvider(token).useValue(value);
  }
  const module = await builder.compile();
  await module.init();
  return {
    module,
    config,
    db: module.get(DataSource),
    get: <T>(token: Type<T> | (abstract new (...args: never[]) => T)): T =>
      module.get<T>(token, { strict: false }),
    async close() {
      await module.close();
      await database.drop();
    },
  };
}

export const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

let phones = 0;

/** A user with a phone (E.164) and, when given, a password stored as every account's is. */
export async function createUser(
  ctx: MediumContext,
  input: { phone?: string; password?: string } = {},
): Promise<{ id: string; phone: string }> {
  const phone =
    input.phone ?? `+86158${String(process.pid % 1000).padStart(3, '0')}${String(++phones).padStart(5, '0')}`;
  const [row] = await ctx.db.query<Array<{ id: string }>>(
    `INSERT INTO users (phone, nickname) VALUES ($1, '') RETURNING id`,
    [phone],
  );
  if (input.password !== undefined) {
    const hash = await ctx.get(PasswordHasher).hash(md5(input.password));
    await ctx.db.query(`INSERT INTO user_credentials (user_id, password_hash) VALUES ($1, $2)`, [
      row.id,
      hash,
    ]);
  }
  return { id: row.id, phone };
}

/** An app access token checked as the pipeline checks it: its signature, then its claims and live session. */
export async function authenticate(ctx: MediumContext, token: string): Promise<Principal> {
  const claims = ctx.get(JwtService).verify<{ sub?: string; sid?: string; exp?: number }>(token, {
    ignoreExpiration: true,
  });
  return ctx.get(SessionService).authenticateClaims(claims, 'app');
}
