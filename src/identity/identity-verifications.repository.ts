import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type {
  IdCardClaim,
  IdentityCheckKind,
  IdentityCheckStatus,
  RealNameClaim,
} from '#src/identity/identity-verification.js';

/**
 * The claims of the `identity_verifications` table (an account's real-name and qualification checks). Operators'
 * decisions on them are written by the admin area's review queue.
 */
@Injectable()
export class IdentityVerificationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A real-name claim with the verifier's verdict; `decidedAt` stays null while it waits for a person. */
  async insertRealName(claim: {
    userId: string;
    status: IdentityCheckStatus;
    realName: string;
    idNumberMasked: string;
    idNumberHmac: Buffer;
    createdAt: Date;
    decidedAt: Date | null;
  }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO identity_verifications
         (user_id, kind, status, real_name, id_number_masked, id_number_hmac, created_at, decided_at)
       VALUES ($1, 'real_name', $2, $3, $4, $5, $6, $7)`,
      [
        claim.userId,
        claim.status,
        claim.realName,
        claim.idNumberMasked,
        claim.idNumberHmac,
        claim.createdAt,
        claim.decidedAt,
      ],
    );
  }

  async findLatestRealName(userId: string): Promise<RealNameClaim | undefined> {
    const [row] = await this.dataSource.query<RealNameClaim[]>(
      `SELECT status, real_name AS "realName", id_number_masked AS "idNumberMasked" FROM identity_verifications
        WHERE user_id = $1 AND kind = 'real_name' ORDER BY created_at DESC, id DESC LIMIT 1`,
      [userId],
    );
    return row;
  }

  /** A qualification certificate waiting for a person; `pictureKey` names the (now private) stored image. */
  async insertQualification(claim: {
    userId: string;
    pictureUrl: string;
    pictureKey: string;
    createdAt: Date;
  }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO identity_verifications (user_id, kind, status, picture_url, picture_key, created_at)
       VALUES ($1, 'qualification', 'review', $2, $3, $4)`,
      [claim.userId, claim.pictureUrl, claim.pictureKey, claim.createdAt],
    );
  }

  /**
   * An ID card claim waiting for a person: the name, the number (masked, and as an HMAC to tell a resubmission of the
   * same number), and the (now private) photos of both sides; any of number and photos may be absent.
   */
  async insertIdCard(claim: {
    userId: string;
    realName: string;
    idNumberMasked: string | null;
    idNumberHmac: Buffer | null;
    front: { url: string; key: string } | undefined;
    back: { url: string; key: string } | undefined;
    createdAt: Date;
  }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO identity_verifications
         (user_id, kind, status, real_name, id_number_masked, id_number_hmac, picture_url, picture_key,
          picture_back_url, picture_back_key, created_at)
       VALUES ($1, 'id_card', 'review', $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        claim.userId,
        claim.realName,
        claim.idNumberMasked,
        claim.idNumberHmac,
        claim.front?.url ?? null,
        claim.front?.key ?? null,
        claim.back?.url ?? null,
        claim.back?.key ?? null,
        claim.createdAt,
      ],
    );
  }

  async findLatestIdCard(userId: string): Promise<IdCardClaim | undefined> {
    const [row] = await this.dataSource.query<IdCardClaim[]>(
      `SELECT status, real_name AS "realName", id_number_hmac AS "idNumberHmac",
              picture_url AS "frontUrl", picture_key AS "frontKey",
              picture_back_url AS "backUrl", picture_back_key AS "backKey"
         FROM identity_verifications
        WHERE user_id = $1 AND kind = 'id_card' ORDER BY created_at DESC, id DESC LIMIT 1`,
      [userId],
    );
    return row;
  }

  /** The status of the user's latest claim of each kind; a kind never claimed is absent. */
  async latestStatusByKind(userId: string): Promise<Partial<Record<IdentityCheckKind, IdentityCheckStatus>>> {
    const rows = await this.dataSource.query<Array<{ kind: IdentityCheckKind; status: IdentityCheckStatus }>>(
      `SELECT DISTINCT ON (kind) kind, status FROM identity_verifications
        WHERE user_id = $1 ORDER BY kind, created_at DESC, id DESC`,
      [userId],
    );
    return Object.fromEntries(rows.map((r) => [r.kind, r.status]));
  }
}
