import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import type { Principal } from '#src/auth/principal.js';
import { CoinsService, type AdjustmentResult } from '#src/coins/coins.service.js';
import type { Currency } from '#src/coins/ledger-types.js';

/** Operators' support actions on coins: each posting and its audit log entry commit together. */
@Injectable()
export class CoinsAdminService {
  constructor(
    private readonly coins: CoinsService,
    private readonly audit: AuditLogService,
  ) {}

  /**
   * A grant (positive amount) or clawback (negative) of a user's coins against the promotions account, never below
   * zero (INSUFFICIENT_COINS), USER_NOT_FOUND for an unknown user. `requestId` makes a resubmitted form a replay
   * (answered, not posted or logged again).
   */
  adjust(
    userId: string,
    change: { amount: number; reason: string; currency?: Currency; requestId?: string },
    by: { admin: Principal; ip?: string },
  ): Promise<AdjustmentResult> {
    const actor = by.admin.user.email ?? `user:${by.admin.userId}`;
    return this.coins.adjust(
      {
        userId,
        currency: change.currency,
        amount: change.amount,
        reason: change.reason,
        // Scoped to the operator: one operator's request id cannot replay another's.
        operationKey: `${by.admin.userId}:${change.requestId ?? randomUUID()}`,
        actor,
      },
      (em, result) =>
        this.audit.record(em, {
          actorId: by.admin.userId,
          actor,
          action: result.amount > 0 ? 'coins.granted' : 'coins.clawed_back',
          subjectUserId: result.userId,
          detail: {
            amount: result.amount,
            currency: result.currency,
            reason: change.reason,
            postingId: result.postingId,
            balance: result.balance,
          },
          ip: by.ip,
        }),
    );
  }
}
