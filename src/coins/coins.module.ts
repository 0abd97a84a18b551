import { Module } from '@nestjs/common';
import { AuditLogRepository } from '#src/admin/audit-log.repository.js';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import { CoinsAdminService } from '#src/coins/coins-admin.service.js';
import { CoinsAuditService } from '#src/coins/coins-audit.service.js';
import { CoinsService } from '#src/coins/coins.service.js';
import { IncomeService } from '#src/coins/income.service.js';
import { LedgerCoinPostings } from '#src/coins/ledger-coin-postings.js';
import { LedgerRepository } from '#src/coins/ledger.repository.js';

/**
 * The coin ledger, imported by the areas whose routes move or show coins (xiaoma get_user_details, nuzzle pay and
 * income, mrpyq gold coins), and the payments area's CoinPostings (LedgerCoinPostings). Its operators' routes are in CoinsAdminModule, so this module needs no session
 * machinery and runs alone in the medium tests.
 */
@Module({
  // AuditLogService is stateless (the data source and the clock): an operator's posting and its audit entry share
  // one transaction here.
  providers: [
    LedgerRepository,
    CoinsService,
    IncomeService,
    CoinsAuditService,
    CoinsAdminService,
    AuditLogRepository,
    AuditLogService,
    LedgerCoinPostings,
  ],
  exports: [CoinsService, IncomeService, CoinsAuditService, CoinsAdminService, LedgerCoinPostings],
})
export class CoinsModule {}
