import { Module, type DynamicModule } from '@nestjs/common';
import { SessionsModule } from '#src/auth/sessions.module.js';
import { CoinsModule } from '#src/coins/coins.module.js';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import type { AppConfig } from '#src/config/app-config.js';
import { FeedsModule } from '#src/feeds/feeds.module.js';
import { AppleTopUpsService } from '#src/payments/apple-top-ups.service.js';
import { NuzzlePayController } from '#src/payments/controllers/nuzzle-pay.controller.js';
import { FeedPurchasesService } from '#src/payments/feed-purchases.service.js';
import { ledgerPaymentsModule } from '#src/payments/ledger-payments.js';

/**
 * nuzzle's `/pay/*`: App Store coins (PaymentsModule, wired to the ledger) and paid videos (FeedsModule's feeds,
 * bought through the ledger).
 */
@Module({})
export class NuzzlePayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: NuzzlePayModule,
      imports: [SessionsModule, CoinsModule, FeedsModule.forRoot(config), ledgerPaymentsModule(config)],
      controllers: dialectControllers(config.dialects.enabled, [NuzzlePayController]),
      providers: [AppleTopUpsService, FeedPurchasesService],
    };
  }
}
