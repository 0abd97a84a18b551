import { Module, type DynamicModule } from '@nestjs/common';
import { SessionsModule } from '#src/auth/sessions.module.js';
import { CoinsModule } from '#src/coins/coins.module.js';
import { NuzzleIncomeController } from '#src/coins/controllers/nuzzle-income.controller.js';
import { FeedIncomeService } from '#src/coins/feed-income.service.js';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import type { AppConfig } from '#src/config/app-config.js';
import { FeedsModule } from '#src/feeds/feeds.module.js';

/** nuzzle's `/income/*`: an author's income from paid videos, beside the feeds it came from. */
@Module({})
export class NuzzleIncomeModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: NuzzleIncomeModule,
      imports: [SessionsModule, CoinsModule, FeedsModule.forRoot(config)],
      controllers: dialectControllers(config.dialects.enabled, [NuzzleIncomeController]),
      providers: [FeedIncomeService],
    };
  }
}
