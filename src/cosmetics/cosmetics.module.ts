import { Module } from '@nestjs/common';
import { AdminSessionGuard } from '#src/admin/admin-session.guard.js';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import { AdminCosmeticsController } from '#src/cosmetics/controllers/admin-cosmetics.controller.js';
import { CosmeticsCatalogueService } from '#src/cosmetics/cosmetics-catalogue.service.js';
import { CosmeticsRepository } from '#src/cosmetics/cosmetics.repository.js';
import { CosmeticsService } from '#src/cosmetics/cosmetics.service.js';

/**
 * The cosmetics catalogue: read by nggirl's artists, kept by operators on /admin. AdminModule exports neither its
 * guard nor its audit log, so both are provided here too (stateless: the same table, the same checks).
 */
@Module({
  controllers: [AdminCosmeticsController],
  providers: [
    CosmeticsRepository,
    CosmeticsService,
    CosmeticsCatalogueService,
    AuditLogService,
    AdminSessionGuard,
  ],
  exports: [CosmeticsService],
})
export class CosmeticsModule {}
