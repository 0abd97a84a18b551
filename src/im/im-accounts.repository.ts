import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface ImAccountRow {
  userId: string;
  provider: string;
  account: string;
  passwordCiphertext: Buffer;
  provisionedAt: Date | null;
}

const COLUMNS = `user_id AS "userId", provider, account, password_ciphertext AS "passwordCiphertext",
                 provisioned_at AS "provisionedAt"`;

@Injectable()
export class ImAccountsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findByUser(userId: string): Promise<ImAccountRow | undefined> {
    const rows = await this.dataSource.query<ImAccountRow[]>(
      `SELECT ${COLUMNS} FROM im_accounts WHERE user_id = $1`,
      [userId],
    );
    return rows[0];
  }

  /** Reserves an identity for the user unless one exists; answers the user's row either way. */
  async reserve(row: Omit<ImAccountRow, 'provisionedAt'>, now: Date): Promise<ImAccountRow> {
    const inserted = await this.dataSource.query<ImAccountRow[]>(
      `INSERT INTO im_accounts (user_id, provider, account, password_ciphertext, created_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id) DO NOTHING
       RETURNING ${COLUMNS}`,
      [row.userId, row.provider, row.account, row.passwordCiphertext, now],
    );
    const found = inserted[0] ?? (await this.findByUser(row.userId));
    if (!found) throw new Error('IM account neither inserted nor found');
    return found;
  }

  /** The provider confirmed the identity, with the secret it answered (encrypted). */
  async markProvisioned(userId: string, passwordCiphertext: Buffer, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE im_accounts SET provisioned_at = $3, password_ciphertext = $2
        WHERE user_id = $1 AND provisioned_at IS NULL`,
      [userId, passwordCiphertext, now],
    );
  }
}
