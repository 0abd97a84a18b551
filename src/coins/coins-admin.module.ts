import { Module } from '@nestjs/common';
import { AuditModule } from '#src/admin/audit.module.js';
import { CoinsModule } from '#src/coins/coins.module.js';
import { AdminCoinsController } from '#src/coins/controllers/admin-coins.controller.js';

/** The operators' coin routes under /admin (grants, clawbacks, the audit), apart from the ledger itself. */
@Module({
  imports: [CoinsModule, AuditModule],
  controllers: [AdminCoinsController],
})
export class CoinsAdminModule {}
