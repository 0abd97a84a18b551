import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { CoinsAuditService } from '#src/coins/coins-audit.service.js';
import { CoinsModule } from '#src/coins/coins.module.js';
import { CoinsService } from '#src/coins/coins.service.js';
import { IncomeService } from '#src/coins/income.service.js';
import type { Clock } from '#src/common/time/clock.js';
import { loadConfig, type AppConfig } from '#src/config/app-config.js';
import { ConfigModule } from '#src/config/config.module.js';
import { dataSourceOptions } from '#src/database/data-source.js';
import { PoolErrorListener } from '#src/database/pool-errors.js';
import { createSuiteDatabase } from '#test/setup/test-database.js';
import { HotStatementsModule } from '#src/database/hot-statements.js';

/**
 * A "medium" test of the coin ledger: CoinsModule alone against a database of the suite's own (cloned from the
 * migrated template), no HTTP. The services are the production ones; `sql` is a separate connection for
 * assertions and for tampering the way an operator with psql could.
 */
export interface LedgerHarness {
  module: TestingModule;
  coins: CoinsService;
  income: IncomeService;
  audit: CoinsAuditService;
  dataSource: DataSource;
  config: AppConfig;
  url: string;
  sql: pg.Client;
  /** A user row (the ledger needs nothing else of a user). */
  createUser(nickname?: string): Promise<string>;
  createUsers(count: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function createLedgerHarness(
  options: {
    poolSize?: number;
    env?: Record<string, string>;
    clock?: Clock;
    /** The model test kills backends mid-run: see below. */
    tolerateKilledConnections?: boolean;
  } = {},
): Promise<LedgerHarness> {
  const database = await createSuiteDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    DATA_DIR: '/tmp/concord-test-data',
    ...options.env,
    DATABASE_URL: database.url,
  });
  const module = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config, options.clock),
      TypeOrmModule.forRoot(dataSourceOptions(database.url, options.poolSize ?? 10)),
      HotStatementsModule,
      CoinsModule,
    ],
  }).compile();
  await module.init();
  // The server's own listener for clients whose backend is killed (src/database/pool-errors.ts).
  if (options.tolerateKilledConnections)
    new PoolErrorListener(module.get(DataSource)).onApplicationBootstrap();
  const sql = new pg.Client({ connectionString: database.url, application_name: 'concord-test-assert' });
  await sql.connect();
  let users = 0;
  const createUsers = async (count: number) => {
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO users (nickname) SELECT 'u' || ($1::int + g) FROM generate_series(1, $2::int) g RETURNING id`,
      [users, count],
    );
    users += count;
    return rows.map((r) => r.id);
  };
  return {
    module,
    coins: module.get(CoinsService),
    income: module.get(IncomeService),
    audit: module.get(CoinsAuditService),
    dataSource: module.get(DataSource),
    config,
    url: database.url,
    sql,
    createUsers,
    async createUser() {
      return (await createUsers(1))[0];
    },
    async close() {
      await sql.end();
      await module.close();
      await database.drop();
    },
  };
}
