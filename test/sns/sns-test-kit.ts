import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import { CountersModule } from '#src/common/counters/counters.module.js';
import type { Clock } from '#src/common/time/clock.js';
import { loadConfig, type AppConfig } from '#src/config/app-config.js';
import { ConfigModule } from '#src/config/config.module.js';
import { dataSourceOptions } from '#src/database/data-source.js';
import { SnsModule } from '#src/sns/sns.module.js';
import { createSuiteDatabase } from '#test/setup/test-database.js';
import { HotStatementsModule } from '#src/database/hot-statements.js';

/** A validated test configuration (no files written: the JWT secret is given). */
export function snsTestConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    DATA_DIR: '/tmp/concord-test-data',
    HASH_CONCURRENCY: '1',
    PUBLIC_BASE_URL: 'https://account.moretv.test',
    ...env,
  });
}

/** AuthModule exports PasswordHasher to the whole app; a medium test provides it alone. */
@Global()
@Module({ providers: [PasswordHasher], exports: [PasswordHasher] })
class PasswordHasherModule {}

export interface SnsTestContext {
  moduleRef: TestingModule;
  config: AppConfig;
  db: DataSource;
  close(): Promise<void>;
}

/**
 * SnsModule against a database of the suite's own (cloned from the migrated template), without HTTP: the
 * "medium" level, as the routes that will call these services are not written yet.
 */
export async function createSnsTestContext(
  env: Record<string, string>,
  clock: Clock,
): Promise<SnsTestContext> {
  const database = await createSuiteDatabase();
  const config = snsTestConfig({ ...env, DATABASE_URL: database.url });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config, clock),
      TypeOrmModule.forRoot(dataSourceOptions(database.url, 4)),
      HotStatementsModule,
      CountersModule.forRoot(config),
      PasswordHasherModule,
      SnsModule.forRoot(config),
    ],
  }).compile();
  await moduleRef.init();
  return {
    moduleRef,
    config,
    db: moduleRef.get(DataSource),
    async close() {
      await moduleRef.close();
      await database.drop();
    },
  };
}

let users = 0;

/** An account as other areas create it: optionally an email with a password, a phone, or a Facebook id. */
export async function createUser(
  db: DataSource,
  options: { email?: string; phone?: string; password?: boolean; facebookId?: string; status?: string } = {},
): Promise<string> {
  const n = ++users;
  const rows = await db.query<Array<{ id: string }>>(
    `INSERT INTO users (email, phone, nickname, facebook_id, status) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [
      options.email ?? null,
      options.phone ?? null,
      `user${n}`,
      options.facebookId ?? null,
      options.status ?? 'active',
    ],
  );
  const id = rows[0].id;
  if (options.password) {
    // The method count only asks whether a credential exists; its hash is never verified here.
    await db.query(`INSERT INTO user_credentials (user_id, password_hash) VALUES ($1, 'not-a-real-hash')`, [
      id,
    ]);
  }
  return id;
}
