import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not, type EntityManager } from 'typeorm';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { isUniqueViolation } from '#src/common/database/pg-errors.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { pgPool } from '#src/database/pg-pool.js';
import { UserEntity } from '#src/users/user.entity.js';
import { USER_COLUMNS, userFromRow, type UserSqlColumns } from '#src/users/user-row.js';

export interface NewUser {
  email?: string;
  phone?: string;
  nickname: string;
  now: Date;
}

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(em?: EntityManager) {
    return (em ?? this.dataSource.manager).getRepository(UserEntity);
  }

  /** A user that is not closed; closed accounts are gone as far as every client can tell. */
  findOpenById(id: string): Promise<UserEntity | null> {
    if (!isBigintId(id)) return Promise.resolve(null);
    return this.repo().findOneBy({ id, status: Not('closed' as const) });
  }

  findOpenByEmail(email: string, em?: EntityManager): Promise<UserEntity | null> {
    return this.repo(em).findOneBy({ email, status: Not('closed' as const) });
  }

  async emailTaken(email: string): Promise<boolean> {
    const { rows } = await pgPool(this.dataSource).query({
      name: 'concord_email_taken',
      text: `SELECT 1 FROM users WHERE email = $1 AND status <> 'closed' LIMIT 1`,
      values: [email],
    });
    return rows.length > 0;
  }

  /** Unique violations on email or phone become ACCOUNT_EXISTS here, so a race ends like a pre-check. */
  async insert(em: EntityManager, user: NewUser): Promise<UserEntity> {
    try {
      const rows = await em.query<UserSqlColumns[]>(
        `INSERT INTO users AS u (email, phone, nickname, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
         RETURNING ${USER_COLUMNS}`,
        [user.email ?? null, user.phone ?? null, user.nickname, user.now],
      );
      return userFromRow(rows[0]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('ACCOUNT_EXISTS');
      throw error;
    }
  }
}
