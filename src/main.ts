import 'reflect-metadata';
import cluster from 'node:cluster';
import v8 from 'node:v8';
import type { Logger } from 'pino';
import { createRootLogger } from '#src/common/logging/logger.js';
import { ConfigError, loadConfig, withDatabaseUrl, type AppConfig } from '#src/config/app-config.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '#src/database/embedded-postgres.js';
import { migrateDatabase } from '#src/database/migrate.js';
import { nggirlSigningNotice } from '#src/nggirl-signing/nggirl-apps.js';

function configOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/**
 * V8 sizes a server's heap for throughput: with gigabytes free it lets the old generation grow to about four times
 * what survived the last full GC before collecting again, so a process with 70 MB live peaked at 400 MB RSS under
 * load. A bound on that growth keeps an instance's memory near its live set for a few more (concurrent, mostly
 * off-thread) collections; measured in docs/performance.md ("Memory, plans and the last changes"). V8 reads the flag at each full GC.
 */
function limitHeapGrowth(percent: number): void {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/**
 * The primary process owns the database side (embedded PostgreSQL, migrations). With WEB_CONCURRENCY=1 it serves
 * HTTP itself; with more, it forks that many workers sharing the port, restarts a worker that dies, and on
 * SIGINT/SIGTERM drains them before stopping the database.
 */
async function primary(): Promise<void> {
  let config = configOrExit();
  limitHeapGrowth(config.http.heapGrowthPercent);
  const logger = createRootLogger(config.logLevel);
  // To the terminal, not the log: the development app's secret is printed on purpose (a developer signs with it);
  // a configured secret never is.
  const notice = nggirlSigningNotice(config);
  if (notice) process.stderr.write(`${notice}\n`);

  let embedded: EmbeddedPostgresHandle | undefined;
  if (!config.database.url) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.database.embeddedPort,
      logger,
    });
    config = withDatabaseUrl(config, embedded.url);
  }
  try {
    const applied = await migrateDatabase(config.database.url!);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    if (config.http.workers === 1) {
      // Imported here: a primary that only supervises workers never loads the application.
      const { createApp } = await import('#src/app.factory.js');
      const app = await createApp(config, { logger });
      // Nest's own shutdown hooks would stop the process before the embedded database; this order is explicit.
      onShutdown(logger, config, async () => {
        await app.close();
        await embedded?.stop();
      });
      await app.listen(config.http.port, config.http.host);
      logger.info(
        {
          port: config.http.port,
          dialects: config.dialects.enabled,
          docs: `${config.http.publicBaseUrl}/docs`,
        },
        'Concord is listening',
      );
    } else {
      superviseWorkers(logger, config, embedded);
    }
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    await embedded?.stop();
    process.exit(1);
  }
}

function superviseWorkers(
  logger: Logger,
  config: AppConfig,
  embedded: EmbeddedPostgresHandle | undefined,
): void {
  // Workers get the resolved database URL (the embedded one included) and never migrate or start a database.
  const env = { CONCORD_WORKER: '1', DATABASE_URL: config.database.url! };
  let stopping = false;
  const fork = () => cluster.fork(env);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error({ worker: worker.process.pid, code, signal }, 'worker died; starting another');
    setTimeout(fork, 1000).unref();
  });
  for (let i = 0; i < config.http.workers; i++) fork();
  logger.info({ workers: config.http.workers, port: config.http.port }, 'Concord is starting its workers');
  onShutdown(logger, config, async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
    await embedded?.stop();
  });
}

async function worker(): Promise<void> {
  const config = configOrExit();
  limitHeapGrowth(config.http.heapGrowthPercent);
  const logger = createRootLogger(config.logLevel).child({ worker: process.pid });
  const { createApp } = await import('#src/app.factory.js');
  const app = await createApp(config, { logger });
  onShutdown(logger, config, () => app.close());
  await app.listen(config.http.port, config.http.host);
  logger.info({ port: config.http.port }, 'worker listening');
}

function onShutdown(logger: Logger, config: AppConfig, close: () => Promise<void>): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: draining requests, then stopping the database');
    const force = setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, config.http.shutdownTimeoutMs);
    force.unref();
    close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

if (cluster.isPrimary) await primary();
else await worker();
