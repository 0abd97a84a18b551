import { Module } from '@nestjs/common';
import { AdminSessionGuard } from '#src/admin/admin-session.guard.js';
import { AuditLogRepository } from '#src/admin/audit-log.repository.js';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import { AdminConsoleController } from '#src/admin/controllers/admin-console.controller.js';
import { AdminReviewsController } from '#src/admin/controllers/admin-reviews.controller.js';
import { AdminSessionController } from '#src/admin/controllers/admin-session.controller.js';
import { ReviewQueueRepository } from '#src/admin/review-queue.repository.js';
import { ReviewQueueService } from '#src/admin/review-queue.service.js';

/** The operators' API at /admin: plain JSON, its own sign-in, documented in the platform Swagger document. */
@Module({
  controllers: [AdminSessionController, AdminReviewsController, AdminConsoleController],
  providers: [
    AdminSessionGuard,
    AuditLogRepository,
    AuditLogService,
    ReviewQueueRepository,
    ReviewQueueService,
  ],
})
export class AdminModule {}
