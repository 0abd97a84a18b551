import { Module } from '@nestjs/common';
import { AdminSessionGuard } from '#src/admin/admin-session.guard.js';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import { AdminConsoleController } from '#src/admin/controllers/admin-console.controller.js';
import { AdminFeedReportsController } from '#src/admin/controllers/admin-feed-reports.controller.js';
import { AdminReviewsController } from '#src/admin/controllers/admin-reviews.controller.js';
import { AdminSessionController } from '#src/admin/controllers/admin-session.controller.js';
import { FeedReportQueueService } from '#src/admin/feed-report-queue.service.js';
import { ReviewQueueService } from '#src/admin/review-queue.service.js';

/** The operators' API at /admin: plain JSON, its own sign-in, documented in the platform Swagger document. */
@Module({
  controllers: [
    AdminSessionController,
    AdminReviewsController,
    AdminFeedReportsController,
    AdminConsoleController,
  ],
  providers: [AdminSessionGuard, AuditLogService, ReviewQueueService, FeedReportQueueService],
  // Other areas' operator routes (stars) audit through the same log.
  exports: [AuditLogService],
})
export class AdminModule {}
