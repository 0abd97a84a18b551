import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { NggirlApps } from '#src/nggirl-signing/nggirl-apps.js';
import { NonceStore } from '#src/nggirl-signing/nonce-store.js';
import { PgNonceStore } from '#src/nggirl-signing/pg-nonce-store.js';
import { RedisNonceStore } from '#src/nggirl-signing/redis-nonce-store.js';
import { RequestSignatureVerifier } from '#src/nggirl-signing/request-signature-verifier.js';

/**
 * nggirl's request signing: the configured apps, the nonce store (Redis when REDIS_URL is set, PostgreSQL
 * otherwise; chosen when the module is built, so tests choose it by config) and the verifier the pipeline calls.
 */
@Module({
  providers: [
    {
      provide: NggirlApps,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new NggirlApps(config.nggirl.apps),
    },
    {
      provide: NonceStore,
      inject: [APP_CONFIG, Clock, getDataSourceToken()],
      useFactory: (config: AppConfig, clock: Clock, dataSource: DataSource) =>
        config.redisUrl
          ? new RedisNonceStore(config.redisUrl, config.redisPrefix, clock)
          : new PgNonceStore(dataSource, clock),
    },
    RequestSignatureVerifier,
  ],
  exports: [NggirlApps, NonceStore, RequestSignatureVerifier],
})
export class NggirlSigningModule {}
