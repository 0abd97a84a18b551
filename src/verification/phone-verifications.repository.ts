import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** The `phone_verifications` table: phones that passed a code check, each until its expiry. */
@Injectable()
export class PhoneVerificationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records (or renews) the phone's verification, and drops the ones that expired (a small table stays small). */
  async markVerified(phone: string, verifiedAt: Date, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `WITH stale AS (DELETE FROM phone_verifications WHERE expires_at <= $2 AND phone <> $1)
       INSERT INTO phone_verifications (phone, purpose, verified_at, expires_at) VALUES ($1, 'register', $2, $3)
       ON CONFLICT (phone) DO UPDATE SET verified_at = EXCLUDED.verified_at, expires_at = EXCLUDED.expires_at`,
      [phone, verifiedAt, expiresAt],
    );
  }

  async isVerified(phone: string, now: Date): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM phone_verifications WHERE phone = $1 AND expires_at > $2`,
      [phone, now],
    );
    return rows.length > 0;
  }

  /** Takes the phone's verification inside the caller's transaction: answers false when there is none (any more). */
  async claim(em: EntityManager, phone: string, now: Date): Promise<boolean> {
    const [rows] = await em.query<[unknown[], number]>(
      `DELETE FROM phone_verifications WHERE phone = $1 AND expires_at > $2 RETURNING phone`,
      [phone, now],
    );
    return rows.length > 0;
  }
}
