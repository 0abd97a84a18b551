import { createHmac, hkdfSync } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { RealNameVerifier } from '#src/identity/real-name-verifier.js';
import { parseResidentId } from '#src/identity/resident-id.js';
import { Storage } from '#src/media/storage.js';

export type RealNameState = 'none' | 'verified' | 'rejected' | 'review';

export interface RealNameRecord {
  status: Exclude<RealNameState, 'none'>;
  /** Masked for display: 张*, 110105********002X. */
  name: string;
  idNumber: string;
}

function maskName(name: string): string {
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

function maskIdNumber(id: string): string {
  return `${id.slice(0, 6)}********${id.slice(14)}`;
}

/**
 * Real-name verification: the number is validated (GB 11643), the claim checked by the RealNameVerifier at once,
 * and the verdict kept. A verdict of `review` waits for a person. The full number is never stored.
 */
@Injectable()
export class IdentityService {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly verifier: RealNameVerifier,
    private readonly storage: Storage,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', config.auth.jwtSecret, 'concord', 'identity-numbers', 32));
  }

  /** Answers `verified` or `review`; throws IDENTITY_INVALID for an impossible number, IDENTITY_REJECTED on a no. */
  async verifyRealName(
    userId: string,
    claim: { name: string; idNumber: string },
  ): Promise<'verified' | 'review'> {
    const name = claim.name.trim();
    const idNumber = claim.idNumber.trim().toUpperCase();
    const now = this.clock.now();
    if (!parseResidentId(idNumber, now)) throw new DomainError('IDENTITY_INVALID');
    if ((await this.realNameState(userId)) === 'verified') return 'verified';
    const verdict = await this.verifier.verify({ name, idNumber });
    await this.dataSource.query(
      `INSERT INTO identity_verifications
         (user_id, kind, status, real_name, id_number_masked, id_number_hmac, created_at, decided_at)
       VALUES ($1, 'real_name', $2, $3, $4, $5, $6, $7)`,
      [
        userId,
        verdict,
        name,
        maskIdNumber(idNumber),
        createHmac('sha256', this.key).update(idNumber).digest(),
        now,
        verdict === 'review' ? null : now,
      ],
    );
    if (verdict === 'rejected') throw new DomainError('IDENTITY_REJECTED');
    return verdict;
  }

  async latestRealName(userId: string): Promise<RealNameRecord | undefined> {
    const rows = await this.dataSource.query<
      Array<{ status: RealNameRecord['status']; name: string; id: string }>
    >(
      `SELECT status, real_name AS name, id_number_masked AS id FROM identity_verifications
        WHERE user_id = $1 AND kind = 'real_name' ORDER BY created_at DESC, id DESC LIMIT 1`,
      [userId],
    );
    const row = rows[0];
    return row ? { status: row.status, name: maskName(row.name), idNumber: row.id } : undefined;
  }

  async realNameState(userId: string): Promise<RealNameState> {
    return (await this.latestRealName(userId))?.status ?? 'none';
  }

  /**
   * A qualification certificate (an image this server stored) goes to a person for review. It is identity paper:
   * the image leaves the public /media area at once, and only operators see it from then on. Only the account that
   * uploaded the image may submit it (else anyone could pull another user's avatar out of public view); an address
   * already submitted is refused too.
   */
  async submitQualification(userId: string, pictureUrl: string): Promise<void> {
    const key = this.storage.keyOf(pictureUrl);
    const mine = key
      ? await this.dataSource.query<unknown[]>(
          `SELECT 1 FROM media_uploads WHERE key = $1 AND user_id = $2`,
          [key, userId],
        )
      : [];
    if (!key || mine.length === 0 || !(await this.storage.makePrivate(key))) {
      throw new DomainError('FORBIDDEN', 'not an image this account uploaded, or already submitted');
    }
    await this.dataSource.query(
      `INSERT INTO identity_verifications (user_id, kind, status, picture_url, picture_key, created_at)
       VALUES ($1, 'qualification', 'review', $2, $3, $4)`,
      [userId, pictureUrl, key, this.clock.now()],
    );
  }

  /** The latest state of each kind of check, for the account status the documents show. */
  async summary(userId: string): Promise<{ realName: RealNameState; qualification: RealNameState }> {
    const rows = await this.dataSource.query<
      Array<{ kind: 'real_name' | 'qualification'; status: RealNameRecord['status'] }>
    >(
      `SELECT DISTINCT ON (kind) kind, status FROM identity_verifications
        WHERE user_id = $1 ORDER BY kind, created_at DESC, id DESC`,
      [userId],
    );
    const of = (kind: string) => rows.find((r) => r.kind === kind)?.status ?? 'none';
    return { realName: of('real_name'), qualification: of('qualification') };
  }
}
