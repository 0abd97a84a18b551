import { Module, type DynamicModule } from '@nestjs/common';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import type { AppConfig } from '#src/config/app-config.js';
import { NuzzleFeedController } from '#src/feeds/controllers/nuzzle-feed.controller.js';
import { NuzzleShareController } from '#src/feeds/controllers/nuzzle-share.controller.js';
import { FeedAccess } from '#src/feeds/feed-access.js';
import { CoinsModule } from '#src/coins/coins.module.js';
import { FeedEntitlements } from '#src/feeds/feed-entitlements.js';
import { FeedsRepository } from '#src/feeds/feeds.repository.js';
import { FeedsService } from '#src/feeds/feeds.service.js';
import { LedgerFeedEntitlements } from '#src/feeds/ledger-feed-entitlements.js';
import { SessionsModule } from '#src/auth/sessions.module.js';

/**
 * Feeds: posting, lists, detail, delete, reports, share pages. Storage and signed addresses come from the global
 * MediaModule. Who bought what comes from the coin ledger's purchases (LedgerFeedEntitlements).
 */
const built = new WeakMap<AppConfig, DynamicModule>();

@Module({})
export class FeedsModule {
  /** The same module object for the same config, so the areas that import it (stars, payments) share one. */
  static forRoot(config: AppConfig): DynamicModule {
    const existing = built.get(config);
    if (existing) return existing;
    const module: DynamicModule = {
      module: FeedsModule,
      imports: [SessionsModule, CoinsModule],
      controllers: dialectControllers(config.dialects.enabled, [NuzzleFeedController, NuzzleShareController]),
      providers: [
        FeedsRepository,
        FeedsService,
        FeedAccess,
        { provide: FeedEntitlements, useClass: LedgerFeedEntitlements },
      ],
      exports: [FeedsService, FeedAccess],
    };
    built.set(config, module);
    return module;
  }
}
