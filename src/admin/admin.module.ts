import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '#src/admin/audit.module.js';
import { AuthModule } from '#src/auth/auth.module.js';
import type { AppConfig } from '#src/config/app-config.js';
import { AdminConsoleController } from '#src/admin/controllers/admin-console.controller.js';
import { AdminFeedReportsController } from '#src/admin/controllers/admin-feed-reports.controller.js';
import { AdminReviewsController } from '#src/admin/controllers/admin-reviews.controller.js';
import { AdminSessionController } from '#src/admin/controllers/admin-session.controller.js';
import { FeedReportQueueService } from '#src/admin/feed-report-queue.service.js';
import { ReviewQueueRepository } from '#src/admin/review-queue.repository.js';
import { ReviewQueueService } from '#src/admin/review-queue.service.js';

/** The operators' API at /admin: plain JSON, its own sign-in, documented in the platform Swagger document. */
@Module({})
export class AdminModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AdminModule,
      imports: [AuthModule.forRoot(config), AuditModule],
      controllers: [
        AdminSessionController,
        AdminReviewsController,
        AdminFeedReportsController,
        AdminConsoleController,
      ],
      providers: [ReviewQueueRepository, ReviewQueueService, FeedReportQueueService],
    };
  }
}
