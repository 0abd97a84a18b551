import { Module } from '@nestjs/common';
import { AdminSessionGuard } from '#src/admin/admin-session.guard.js';
import { AuditLogRepository } from '#src/admin/audit-log.repository.js';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import { SessionsModule } from '#src/auth/sessions.module.js';

/**
 * What any area's operator routes need: the operators' guard and the append-only audit log. Areas with routes
 * under /admin (reviews, coins, stars, cosmetics) import this, not the whole operators' area.
 */
@Module({
  imports: [SessionsModule],
  providers: [AdminSessionGuard, AuditLogRepository, AuditLogService],
  exports: [SessionsModule, AdminSessionGuard, AuditLogService],
})
export class AuditModule {}
