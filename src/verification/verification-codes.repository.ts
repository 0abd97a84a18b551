import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type {
  CodePurpose,
  NewVerificationCode,
  OpenVerificationCode,
  RecipientActivity,
} from '#src/verification/verification-code.js';

const HOUR_MS = 3_600_000;

/** The `verification_codes` table. Every method joins the caller's transaction. */
@Injectable()
export class VerificationCodesRepository {
  /**
   * One sender per recipient until the caller's transaction ends: a check of the recent codes and the write of a new
   * one happen under it, so simultaneous requests cannot all pass the check before any of them writes.
   */
  async lockRecipient(em: EntityManager, recipient: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`code:${recipient}`]);
  }

  /** Codes sent to `recipient` in the hour and the day before `now` (every purpose), and its latest of `purpose`. */
  async recentActivity(
    em: EntityManager,
    input: { recipient: string; purpose: CodePurpose; now: Date },
  ): Promise<RecipientActivity> {
    const now = input.now.getTime();
    const [row] = await em.query<Array<{ last: Date | null; hour: number; day: number }>>(
      `SELECT max(created_at) FILTER (WHERE purpose = $2) AS last,
              count(*) FILTER (WHERE created_at > $3)::int AS hour,
              count(*)::int AS day
         FROM verification_codes WHERE recipient = $1 AND created_at > $4`,
      [input.recipient, input.purpose, new Date(now - HOUR_MS), new Date(now - 24 * HOUR_MS)],
    );
    return { lastSentAt: row.last, sentInLastHour: row.hour, sentInLastDay: row.day };
  }

  /** Retires the open codes of this recipient and purpose (a new one replaces them). */
  async supersede(
    em: EntityManager,
    input: { recipient: string; purpose: CodePurpose; now: Date },
  ): Promise<void> {
    await em.query(
      `UPDATE verification_codes SET consumed_at = $3
        WHERE recipient = $1 AND purpose = $2 AND consumed_at IS NULL`,
      [input.recipient, input.purpose, input.now],
    );
  }

  async insert(em: EntityManager, code: NewVerificationCode): Promise<void> {
    await em.query(
      `INSERT INTO verification_codes (channel, recipient, purpose, code_hmac, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [code.channel, code.recipient, code.purpose, code.codeHmac, code.createdAt, code.expiresAt],
    );
  }

  /** The newest open code of this recipient and purpose, row-locked until the caller's transaction ends. */
  async findLatestOpenForUpdate(
    em: EntityManager,
    input: { recipient: string; purpose: CodePurpose },
  ): Promise<OpenVerificationCode | undefined> {
    const [row] = await em.query<OpenVerificationCode[]>(
      `SELECT id, channel, code_hmac AS "codeHmac", attempts, expires_at AS "expiresAt" FROM verification_codes
        WHERE recipient = $1 AND purpose = $2 AND consumed_at IS NULL
        ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
      [input.recipient, input.purpose],
    );
    return row;
  }

  async markConsumed(em: EntityManager, id: string, now: Date): Promise<void> {
    await em.query(`UPDATE verification_codes SET consumed_at = $2 WHERE id = $1`, [id, now]);
  }

  /** Counts one wrong try against the code; answers its wrong tries so far. */
  async countWrongTry(em: EntityManager, id: string): Promise<number> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [[{ attempts }]] = await em.query<[Array<{ attempts: number }>, number]>(
      `UPDATE verification_codes SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts`,
      [id],
    );
    return attempts;
  }
}
