import { Module } from '@nestjs/common';
import { AdminSessionGuard } from '#src/admin/admin-session.guard.js';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import { AdminConsoleController } from '#src/admin/controllers/admin-console.controller.js';
import { AdminReviewsController } from '#src/admin/controllers/admin-reviews.controller.js';
import { AdminSessionController } from '#src/admin/controllers/admin-session.controller.js';
import { ReviewQueueService } from '#src/admin/review-queue.service.js';
import { AdminCoinsController } from '#src/coins/controllers/admin-coins.controller.js';

/** The operators' API at /admin: plain JSON, its own sign-in, documented in the platform Swagger document. */
@Module({
  // AdminCoinsController's services come from CoinsModule (global).
  controllers: [AdminSessionController, AdminReviewsController, AdminConsoleController, AdminCoinsController],
  providers: [AdminSessionGuard, AuditLogService, ReviewQueueService],
})
export class AdminModule {}
