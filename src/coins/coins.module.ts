import { Global, Module } from '@nestjs/common';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import { CoinsAdminService } from '#src/coins/coins-admin.service.js';
import { CoinsAuditService } from '#src/coins/coins-audit.service.js';
import { CoinsService } from '#src/coins/coins.service.js';
import { IncomeService } from '#src/coins/income.service.js';
import { LedgerRepository } from '#src/coins/ledger.repository.js';

/**
 * The coin ledger. Global: balances show in several areas' routes (xiaoma get_user_details, nuzzle pay and income,
 * mrpyq gold coins) and the operators' API. Its admin routes (AdminCoinsController) are registered by AdminModule,
 * so this module needs no session machinery and runs alone in the medium tests.
 */
@Global()
@Module({
  // AuditLogService is stateless (the data source and the clock): an operator's posting and its audit entry share
  // one transaction here.
  providers: [
    LedgerRepository,
    CoinsService,
    IncomeService,
    CoinsAuditService,
    CoinsAdminService,
    AuditLogService,
  ],
  exports: [CoinsService, IncomeService, CoinsAuditService, CoinsAdminService],
})
export class CoinsModule {}
