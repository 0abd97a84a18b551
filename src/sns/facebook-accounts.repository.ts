import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { UserEntity } from '#src/users/user.entity.js';
import { USER_COLUMNS, userFromRow, type UserSqlColumns } from '#src/users/user-row.js';

export interface NewFacebookAccount {
  facebookId: string;
  nickname: string;
  avatarUrl: string;
  now: Date;
}

/**
 * Accounts of nuzzle's Facebook login, keyed by `users.facebook_id` (the Facebook provider's id, unique among
 * accounts that are not closed: `users_facebook_id_key`). A closed account's Facebook id no longer counts.
 */
@Injectable()
export class FacebookAccountsRepository {
  async findByFacebookId(em: EntityManager, facebookId: string): Promise<UserEntity | undefined> {
    const [row] = await em.query<UserSqlColumns[]>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE u.facebook_id = $1 AND u.status <> 'closed'`,
      [facebookId],
    );
    return row && userFromRow(row);
  }

  /**
   * A new account without email, phone or password: it signs in with Facebook only. undefined when a concurrent
   * request created the account of this Facebook id first (the caller reads that one instead).
   */
  async create(em: EntityManager, account: NewFacebookAccount): Promise<UserEntity | undefined> {
    const [row] = await em.query<UserSqlColumns[]>(
      `WITH u AS (
         INSERT INTO users (facebook_id, nickname, avatar_url, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (facebook_id) WHERE status <> 'closed' AND facebook_id IS NOT NULL DO NOTHING
         RETURNING *
       )
       SELECT ${USER_COLUMNS} FROM u`,
      [account.facebookId, account.nickname, account.avatarUrl, account.now],
    );
    return row && userFromRow(row);
  }
}
