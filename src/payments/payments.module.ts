import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '#src/common/logging/logger.module.js';
import type { AppConfig } from '#src/config/app-config.js';
import { AlipayPaymentProvider } from '#src/payments/alipay.payment-provider.js';
import { AppleAppStorePurchases } from '#src/payments/apple-app-store-purchases.js';
import { AppStorePurchases, UnconfiguredAppStorePurchases } from '#src/payments/app-store-purchases.js';
import { CoinPostings, UnwiredCoinPostings } from '#src/payments/coin-postings.js';
import { AlipayNotifyController } from '#src/payments/controllers/alipay-notify.controller.js';
import { AppleNotificationsController } from '#src/payments/controllers/apple-notifications.controller.js';
import {
  DisabledPaymentProvider,
  LocalPaymentProvider,
  PaymentProvider,
} from '#src/payments/payment-provider.js';
import { RefillOrdersRepository } from '#src/payments/refill-orders.repository.js';
import { RefillService } from '#src/payments/refill.service.js';
import { StorePurchasesRepository } from '#src/payments/store-purchases.repository.js';
import { StorePurchasesService } from '#src/payments/store-purchases.service.js';

export interface PaymentsModuleOptions {
  /** Modules the CoinPostings implementation comes from (the ledger's). */
  imports?: ModuleMetadata['imports'];
  /**
   * The ledger's CoinPostings implementation, a provider exported by one of `imports`. Without it the module
   * uses UnwiredCoinPostings, which refuses every posting.
   */
  coinPostings?: Type<CoinPostings>;
}

/** Exported for its test: the local provider never comes out of a production config. */
export function choosePaymentProvider(config: AppConfig): PaymentProvider {
  const refill = config.payments.refill;
  switch (refill.provider) {
    case 'alipay':
      return new AlipayPaymentProvider(refill.alipay!);
    case 'local':
      // Config refuses this already; a second lock on the door that hands out free coins.
      return config.isProduction ? new DisabledPaymentProvider() : new LocalPaymentProvider();
    case 'none':
      return new DisabledPaymentProvider();
  }
}

const built = new WeakMap<AppConfig, Map<Type<CoinPostings> | undefined, DynamicModule>>();

/**
 * App Store coin purchases and refills. Providers are chosen here from typed config at module build time; the
 * notification routes exist only when their provider is configured.
 */
@Module({})
export class PaymentsModule {
  /**
   * One module object per config and CoinPostings implementation, so every area that imports it (app.module, the
   * dialects' payment routes) shares one instance; a dynamic module built twice would be instantiated twice.
   */
  static forRoot(config: AppConfig, options: PaymentsModuleOptions = {}): DynamicModule {
    const modules = built.get(config) ?? new Map<Type<CoinPostings> | undefined, DynamicModule>();
    built.set(config, modules);
    const existing = modules.get(options.coinPostings);
    if (existing) return existing;
    const module = PaymentsModule.build(config, options);
    modules.set(options.coinPostings, module);
    return module;
  }

  private static build(config: AppConfig, options: PaymentsModuleOptions): DynamicModule {
    const apple = config.payments.apple;
    const provider = choosePaymentProvider(config);
    return {
      module: PaymentsModule,
      imports: options.imports ?? [],
      controllers: [
        ...(apple ? [AppleNotificationsController] : []),
        ...(provider.name === 'alipay' ? [AlipayNotifyController] : []),
      ],
      providers: [
        {
          provide: AppStorePurchases,
          useFactory: (logger: Logger) =>
            apple
              ? new AppleAppStorePurchases(apple, logger.child({ component: 'app-store' }))
              : new UnconfiguredAppStorePurchases(),
          inject: [ROOT_LOGGER],
        },
        { provide: PaymentProvider, useValue: provider },
        options.coinPostings
          ? { provide: CoinPostings, useExisting: options.coinPostings }
          : { provide: CoinPostings, useClass: UnwiredCoinPostings },
        StorePurchasesRepository,
        StorePurchasesService,
        RefillOrdersRepository,
        RefillService,
      ],
      exports: [StorePurchasesService, RefillService, AppStorePurchases, PaymentProvider],
    };
  }
}
