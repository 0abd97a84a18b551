import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { UserCredentialEntity } from '#src/auth/user-credential.entity.js';
import type { UserEntity } from '#src/users/user.entity.js';
import { USER_COLUMNS, userFromRow, type UserSqlColumns } from '#src/users/user-row.js';

/** How a person names their account at sign-in: a lower-cased email or an E.164 phone. */
export type SignInIdentifier = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

interface AccountSqlRow extends UserSqlColumns {
  passwordHash: string | null;
  lockedAt: Date | null;
}

export interface SignInAccount {
  user: UserEntity;
  passwordHash?: string;
  locked: boolean;
}

function accountQuery(column: 'email' | 'phone'): string {
  return `SELECT ${USER_COLUMNS}, c.password_hash AS "passwordHash", c.locked_at AS "lockedAt"
            FROM users u LEFT JOIN user_credentials c ON c.user_id = u.id
           WHERE u.${column} = $1 AND u.status <> 'closed'`;
}

const ACCOUNT_BY = { email: accountQuery('email'), phone: accountQuery('phone') } as const;

@Injectable()
export class CredentialsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Sign-in's one read: the open account with this email or phone, its password hash and lock. */
  async findAccount(login: SignInIdentifier): Promise<SignInAccount | undefined> {
    const [row] = await this.dataSource.query<AccountSqlRow[]>(ACCOUNT_BY[login.kind], [login.value]);
    if (!row) return undefined;
    return {
      user: userFromRow(row),
      passwordHash: row.passwordHash ?? undefined,
      locked: row.lockedAt !== null,
    };
  }

  /** Locks the account until its password is reset (too many failures across all clients). */
  async lockAccount(login: SignInIdentifier, now: Date): Promise<void> {
    const column = login.kind === 'email' ? 'email' : 'phone';
    await this.dataSource.query(
      `UPDATE user_credentials c SET locked_at = $2
         FROM users u WHERE u.id = c.user_id AND u.${column} = $1 AND u.status <> 'closed' AND c.locked_at IS NULL`,
      [login.value, now],
    );
  }

  async findHash(userId: string): Promise<string | undefined> {
    const row = await this.dataSource.getRepository(UserCredentialEntity).findOneBy({ userId });
    return row?.passwordHash;
  }

  async save(em: EntityManager, userId: string, passwordHash: string, now: Date): Promise<void> {
    await em.query(
      `INSERT INTO user_credentials (user_id, password_hash, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE
         SET password_hash = EXCLUDED.password_hash, updated_at = EXCLUDED.updated_at, locked_at = NULL`,
      [userId, passwordHash, now],
    );
  }
}
