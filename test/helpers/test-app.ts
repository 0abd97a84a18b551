import type { AddressInfo } from 'node:net';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { pino } from 'pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp, type CreateAppOptions } from '#src/app.factory.js';
import type { Clock } from '#src/common/time/clock.js';
import { loadConfig, type AppConfig } from '#src/config/app-config.js';
import { OutboxService } from '#src/outbox/outbox.service.js';
import { createSuiteDatabase, REACHED_ENV } from '#test/setup/test-database.js';

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  db: DataSource;
  /** Every JSON log line the app wrote, for assertions that secrets never reach a log. */
  logs: string[];
  /** `http://127.0.0.1:<port>` when created with `listen: true` (for a real browser), else undefined. */
  url?: string;
  /** Waits until the outbox has delivered what is due. */
  flushOutbox(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: Clock;
  /** Listen on a random loopback port (a real browser needs one); supertest alone does not. */
  listen?: boolean;
  /** Modules of test-only routes. */
  extraImports?: CreateAppOptions['extraImports'];
}

/** The whole app on a database of the suite's own, cloned from the migrated template. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createSuiteDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    DATA_DIR: '/tmp/concord-test-data',
    LOG_LEVEL: 'info',
    OUTBOX_POLL_INTERVAL: '1h',
    HASH_CONCURRENCY: '2',
    // Every suite signs in from 127.0.0.1; the lockout suite sets its own budget.
    LOGIN_IP_LIMIT_PER_MINUTE: '100000',
    ACCOUNT_IP_LIMIT_PER_HOUR: '100000',
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
  const logger = pino({ level: config.logLevel }, sink);
  const app = await createApp(config, {
    onFailure: recordReached,
    logger,
    clock: options.clock,
    extraImports: options.extraImports,
  });
  let url: string | undefined;
  if (options.listen) {
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  } else {
    await app.init();
  }
  const outbox = app.get(OutboxService);
  return {
    app,
    http: request(app.getHttpServer()),
    config,
    db: app.get(DataSource),
    logs,
    url,
    async flushOutbox() {
      await outbox.idle();
      outbox.dispatchSoon();
      await outbox.idle();
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** Appends `operation failure` for the run's check that every documented failure is reached by some suite. */
function recordReached(
  req: { concord?: { operation?: string }; method: string; path: string },
  failure: string,
): void {
  const dir = process.env[REACHED_ENV];
  if (!dir) return;
  // A failure before routing (a body over the limit) has no operation yet: its method and path name the route.
  const operation = req.concord?.operation ?? `@${req.method}@${req.path}`;
  appendFileSync(join(dir, `${process.pid}.txt`), `${operation} ${failure}\n`);
}
