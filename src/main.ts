import 'reflect-metadata';
import type { Logger } from 'pino';
import { createApp } from '#src/app.factory.js';
import { createRootLogger } from '#src/common/logging/logger.js';
import { ConfigError, loadConfig, withDatabaseUrl, type AppConfig } from '#src/config/app-config.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '#src/database/embedded-postgres.js';
import { migrateDatabase } from '#src/database/migrate.js';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createRootLogger(config.logLevel);

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

    const app = await createApp(config, { logger });
    // Nest's own shutdown hooks would stop the process before the embedded database; this order is explicit.
    installShutdown(logger, config, async () => {
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
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    await embedded?.stop();
    process.exit(1);
  }
}

function installShutdown(logger: Logger, config: AppConfig, close: () => Promise<void>): void {
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

await bootstrap();
