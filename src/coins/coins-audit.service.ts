import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '#src/common/time/clock.js';
import { auditCoins, type CoinsAuditReport } from '#src/coins/coins-audit.js';

/** The ledger audit for `GET /admin/coins/audit` (the CLI's `audit-coins` runs the same checks). */
@Injectable()
export class CoinsAuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Every check on one snapshot, read-only, while postings go on. */
  run(): Promise<CoinsAuditReport> {
    return this.dataSource.transaction('REPEATABLE READ', async (em) => {
      await em.query('SET TRANSACTION READ ONLY');
      return auditCoins((sql, params) => em.query(sql, params), this.clock.now());
    });
  }
}
