import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '#src/admin/audit.module.js';
import { SessionsModule } from '#src/auth/sessions.module.js';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import type { AppConfig } from '#src/config/app-config.js';
import { FeedsModule } from '#src/feeds/feeds.module.js';
import { CoinsModule } from '#src/coins/coins.module.js';
import { CoinBalances } from '#src/stars/coin-balances.js';
import { AdminStarsController } from '#src/stars/controllers/admin-stars.controller.js';
import { NuzzleStarController } from '#src/stars/controllers/nuzzle-star.controller.js';
import { StarsRepository } from '#src/stars/stars.repository.js';
import { LedgerCoinBalances } from '#src/stars/ledger-coin-balances.js';
import { StarsService } from '#src/stars/stars.service.js';

/** Stars and their followers; operators make stars through /admin. Balances come from the coin ledger. */
@Module({})
export class StarsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StarsModule,
      imports: [SessionsModule, AuditModule, CoinsModule, FeedsModule.forRoot(config)],
      controllers: [
        ...dialectControllers(config.dialects.enabled, [NuzzleStarController]),
        AdminStarsController,
      ],
      providers: [StarsRepository, StarsService, { provide: CoinBalances, useClass: LedgerCoinBalances }],
      exports: [StarsService],
    };
  }
}
