import { Module, type DynamicModule } from '@nestjs/common';
import { SessionsModule } from '#src/auth/sessions.module.js';
import { MrpyqGoldenController } from '#src/coins/controllers/mrpyq-golden.controller.js';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import type { AppConfig } from '#src/config/app-config.js';

/**
 * mrpyq's `/golden` route, which spans the ledger (gifts, through the global LiveModule) and the payments area
 * (refills). `payments` must be the very PaymentsModule object the app imports, so the route uses the app's one
 * RefillService and its CoinPostings wiring, not a second unwired instance.
 */
@Module({})
export class MrpyqGoldenModule {
  static forRoot(config: AppConfig, payments: DynamicModule): DynamicModule {
    return {
      module: MrpyqGoldenModule,
      imports: [SessionsModule, payments],
      controllers: dialectControllers(config.dialects.enabled, [MrpyqGoldenController]),
    };
  }
}
