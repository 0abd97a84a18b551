import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { pino } from 'pino';
import request from 'supertest';
import { DataSource, type EntityManager } from 'typeorm';
import { validationPipe } from '#src/app.module.js';
import { DialectExceptionFilter } from '#src/common/http/dialect-exception.filter.js';
import { DialectResolver } from '#src/common/http/dialect-resolver.js';
import { EnvelopeInterceptor } from '#src/common/http/envelope.interceptor.js';
import { FailureResponder } from '#src/common/http/failure-responder.js';
import { RouteContextGuard } from '#src/common/http/route-context.guard.js';
import { LoggerModule } from '#src/common/logging/logger.module.js';
import type { Clock } from '#src/common/time/clock.js';
import { loadConfig, type AppConfig } from '#src/config/app-config.js';
import { ConfigModule } from '#src/config/config.module.js';
import { dataSourceOptions } from '#src/database/data-source.js';
import {
  CoinPostings,
  type PaidRefill,
  type StorePurchaseCredit,
  type StorePurchaseReversal,
} from '#src/payments/coin-postings.js';
import { ledgerPaymentsModule } from '#src/payments/ledger-payments.js';
import { PaymentsModule } from '#src/payments/payments.module.js';
import { createSuiteDatabase } from '#test/setup/test-database.js';
import { HotStatementsModule } from '#src/database/hot-statements.js';

/**
 * Stands in for the ledger: every posting is a row in `test_postings`, written on the caller's transaction (so a
 * rollback takes it away too) with the idempotency key the ledger would use.
 */
export class RecordingCoinPostings extends CoinPostings {
  /** When set, the next posting throws (after writing its row, to prove the rollback takes the row back). */
  failNext = false;

  private async record(em: EntityManager, key: string, kind: string, userId: string, coins: number) {
    await em.query(`INSERT INTO test_postings (key, kind, user_id, coins) VALUES ($1, $2, $3, $4)`, [
      key,
      kind,
      userId,
      coins,
    ]);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('ledger unavailable (test)');
    }
  }

  creditStorePurchase(fact: StorePurchaseCredit, em: EntityManager): Promise<void> {
    return this.record(em, `apple:${fact.transactionId}`, 'apple-credit', fact.userId, fact.coins);
  }
  reverseStorePurchase(fact: StorePurchaseReversal, em: EntityManager): Promise<void> {
    return this.record(
      em,
      `apple-reversal:${fact.transactionId}`,
      `apple-${fact.reason}`,
      fact.userId,
      -fact.coins,
    );
  }
  creditPaidRefill(fact: PaidRefill, em: EntityManager): Promise<void> {
    return this.record(em, `refill:${fact.orderId}`, `refill-${fact.provider}`, fact.userId, fact.coins);
  }
}

export interface PaymentsHarness {
  app: INestApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  db: DataSource;
  postings: RecordingCoinPostings;
  logs: string[];
  /** A user row (store purchases and orders reference users). */
  createUser(): Promise<string>;
  postingsOf(userId: string): Promise<Array<{ key: string; kind: string; coins: number }>>;
  close(): Promise<void>;
}

/**
 * The payments module on a database of the suite's own (cloned from the migrated template), with the ledger
 * replaced by RecordingCoinPostings (or, with `ledger`, the real one: the module as app.module wires it, and
 * `postings` then records nothing); HTTP through supertest, or a real loopback port with `port`.
 */
export async function createPaymentsHarness(
  options: { env?: Record<string, string>; clock?: Clock; port?: number; ledger?: boolean } = {},
): Promise<PaymentsHarness> {
  const database = await createSuiteDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    DATA_DIR: '/tmp/concord-test-data',
    ...options.env,
    DATABASE_URL: database.url,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const postings = new RecordingCoinPostings();
  const logger = pino({ level: 'info' }, sink);
  const responder = new FailureResponder(new DialectResolver(config), logger);
  const builder = Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config, options.clock),
      LoggerModule.forRoot(logger),
      TypeOrmModule.forRoot(dataSourceOptions(database.url, 20)),
      HotStatementsModule,
      options.ledger ? ledgerPaymentsModule(config) : PaymentsModule.forRoot(config),
    ],
    // The request pipeline of AppModule, so routes answer (and fail) as they do in the whole app.
    providers: [
      { provide: APP_GUARD, useClass: RouteContextGuard },
      { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
      { provide: APP_FILTER, useFactory: () => new DialectExceptionFilter(responder) },
      { provide: APP_PIPE, useFactory: validationPipe },
    ],
  });
  const moduleRef = await (
    options.ledger ? builder : builder.overrideProvider(CoinPostings).useValue(postings)
  ).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  if (options.port === undefined) await app.init();
  else await app.listen(options.port, '127.0.0.1');
  const db = app.get(DataSource);
  await db.query(`
    CREATE TABLE test_postings (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      -- Not unique on purpose: a second posting for one key must show as a second row, not as an error.
      key text NOT NULL,
      kind text NOT NULL,
      user_id bigint NOT NULL,
      coins bigint NOT NULL
    )`);
  return {
    app,
    http: request(app.getHttpServer()),
    config,
    db,
    postings,
    logs,
    async createUser() {
      const rows = await db.query<Array<{ id: string }>>(
        `INSERT INTO users (nickname) VALUES ('payer') RETURNING id`,
      );
      return rows[0].id;
    },
    async postingsOf(userId) {
      const rows = await db.query<Array<{ key: string; kind: string; coins: string }>>(
        `SELECT key, kind, coins FROM test_postings WHERE user_id = $1 ORDER BY id`,
        [userId],
      );
      return rows.map((r) => ({ key: r.key, kind: r.kind, coins: Number(r.coins) }));
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
