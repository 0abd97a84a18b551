import { Module } from '@nestjs/common';
import { AuditModule } from '#src/admin/audit.module.js';
import { AdminCosmeticsController } from '#src/cosmetics/controllers/admin-cosmetics.controller.js';
import { CosmeticsCatalogueService } from '#src/cosmetics/cosmetics-catalogue.service.js';
import { CosmeticsRepository } from '#src/cosmetics/cosmetics.repository.js';
import { CosmeticsService } from '#src/cosmetics/cosmetics.service.js';

/** The cosmetics catalogue: read by nggirl's artists, kept by operators on /admin (audited). */
@Module({
  imports: [AuditModule],
  controllers: [AdminCosmeticsController],
  providers: [CosmeticsRepository, CosmeticsService, CosmeticsCatalogueService],
  exports: [CosmeticsService],
})
export class CosmeticsModule {}
