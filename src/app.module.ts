import { Module, ValidationPipe, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { AdminModule } from '#src/admin/admin.module.js';
import { AuthModule } from '#src/auth/auth.module.js';
import { CoinsAdminModule } from '#src/coins/coins-admin.module.js';
import { MrpyqGoldenModule } from '#src/coins/mrpyq-golden.module.js';
import { NuzzleIncomeModule } from '#src/coins/nuzzle-income.module.js';
import { CountersModule } from '#src/common/counters/counters.module.js';
import { OperationRouter } from '#src/common/dialect/operation-router.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { DialectExceptionFilter } from '#src/common/http/dialect-exception.filter.js';
import { EnvelopeInterceptor } from '#src/common/http/envelope.interceptor.js';
import { FailureResponder } from '#src/common/http/failure-responder.js';
import { RouteContextGuard } from '#src/common/http/route-context.guard.js';
import { Clock, SystemClock } from '#src/common/time/clock.js';
import { LoggerModule } from '#src/common/logging/logger.module.js';
import type { AppConfig } from '#src/config/app-config.js';
import { ConfigModule } from '#src/config/config.module.js';
import { dataSourceOptions } from '#src/database/data-source.js';
import { HotStatementsModule } from '#src/database/hot-statements.js';
import { PoolErrorListener } from '#src/database/pool-errors.js';
import { FeedsModule } from '#src/feeds/feeds.module.js';
import { FriendsModule } from '#src/friends/friends.module.js';
import { HealthModule } from '#src/health/health.module.js';
import { IdentityModule } from '#src/identity/identity.module.js';
import { LiveModule } from '#src/live/live.module.js';
import { MediaModule } from '#src/media/media.module.js';
import { MoretvModule } from '#src/moretv/moretv.module.js';
import { NggirlModule } from '#src/nggirl/nggirl.module.js';
import { OutboxModule } from '#src/outbox/outbox.module.js';
import { ledgerPaymentsModule } from '#src/payments/ledger-payments.js';
import { NuzzlePayModule } from '#src/payments/nuzzle-pay.module.js';
import { StarsModule } from '#src/stars/stars.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  logger: Logger;
  responder: FailureResponder;
  /** Tests pass a clock they can move. */
  clock?: Clock;
  /** Modules of test-only routes (the pipeline suites exercise mechanisms no real route uses yet). */
  extraImports?: Array<Type | DynamicModule>;
}

/** Validation failures are INVALID_PARAMS in the route's dialect; unknown extra parameters are dropped, never refused. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: false,
    validateCustomDecorators: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) =>
      new DomainError('INVALID_PARAMS', 'invalid parameters', {
        fields: errors.map((e) => e.property),
      }),
  });
}

@Module({})
export class AppModule {
  static forRoot({ config, logger, responder, clock, extraImports = [] }: AppModuleOptions): DynamicModule {
    if (!config.database.url) throw new Error('AppModule needs a database URL (embedded or DATABASE_URL)');
    const time = clock ?? new SystemClock();
    // One PaymentsModule object, posting to the coin ledger, imported here, by nuzzle's /pay and by mrpyq's /golden
    // (ledgerPaymentsModule answers the same object for the same config), so all share one RefillService.
    const payments = ledgerPaymentsModule(config);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, time),
        LoggerModule.forRoot(logger),
        TypeOrmModule.forRoot(dataSourceOptions(config.database.url, config.database.poolSize)),
        HotStatementsModule,
        CountersModule.forRoot(config),
        OutboxModule.forRoot(config, time),
        MediaModule.forRoot(config),
        IdentityModule.forRoot(config),
        AuthModule.forRoot(config),
        AdminModule.forRoot(config),
        LiveModule.forRoot(config),
        CoinsAdminModule,
        FeedsModule.forRoot(config),
        StarsModule.forRoot(config),
        NuzzlePayModule.forRoot(config),
        NuzzleIncomeModule.forRoot(config),
        NggirlModule.forRoot(config),
        FriendsModule.forRoot(config),
        payments,
        MrpyqGoldenModule.forRoot(config, payments),
        MoretvModule.forRoot(config),
        HealthModule,
        DiscoveryModule,
        ...extraImports,
      ],
      providers: [
        OperationRouter,
        PoolErrorListener,
        { provide: APP_GUARD, useClass: RouteContextGuard },
        { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
        { provide: APP_FILTER, useFactory: () => new DialectExceptionFilter(responder) },
        { provide: APP_PIPE, useFactory: validationPipe },
      ],
    };
  }
}
