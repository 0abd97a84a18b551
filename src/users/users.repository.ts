import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not, type EntityManager } from 'typeorm';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { BatchWhileBusy } from '#src/database/batch-while-busy.js';
import { hotQueryByKey } from '#src/database/pg-pool.js';
import { UserEntity } from '#src/users/user.entity.js';

function takenStatement(kind: 'email' | 'phone') {
  return {
    name: `concord_${kind}s_taken`,
    text: `SELECT ${kind} AS value FROM users WHERE ${kind} = ANY($1::text[]) AND status <> 'closed'`,
  } as const;
}

/** Which of these emails (or phones) an open account uses; values `[identifiers]`. Exported for tests. */
export const TAKEN_BY = { email: takenStatement('email'), phone: takenStatement('phone') } as const;

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

  findOpenByPhone(phone: string): Promise<UserEntity | null> {
    return this.repo().findOneBy({ phone, status: Not('closed' as const) });
  }

  /**
   * Whether an open account already uses this email or phone (a cheap check before hashing a password). Checks
   * made together (registrations let in as a group, see HashAdmission) share one query.
   */
  isTaken(kind: 'email' | 'phone', value: string): Promise<boolean> {
    return this.taken[kind].load(value).then((found) => found === true);
  }

  private readonly taken = { email: this.takenLoader('email'), phone: this.takenLoader('phone') };

  private takenLoader(kind: 'email' | 'phone'): BatchWhileBusy<string, true> {
    return new BatchWhileBusy(
      (values) =>
        hotQueryByKey(this.dataSource, TAKEN_BY[kind], values, (row: { value: string }) => [row.value, true]),
      { maxInFlight: 1, maxBatch: 64 },
    );
  }

  async updateSignature(userId: string, signature: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE users SET signature = $2, updated_at = $3 WHERE id = $1`, [
      userId,
      signature,
      now,
    ]);
  }

  /** Sets what is given (nickname, avatar or both) and answers the user as it now is. */
  async updateProfile(
    userId: string,
    changes: { nickname?: string; avatarUrl?: string },
    now: Date,
  ): Promise<UserEntity | null> {
    await this.dataSource.query(
      `UPDATE users SET nickname = COALESCE($2, nickname), avatar_url = COALESCE($3, avatar_url), updated_at = $4
        WHERE id = $1`,
      [userId, changes.nickname ?? null, changes.avatarUrl ?? null, now],
    );
    return this.findOpenById(userId);
  }

  async updateAvatar(userId: string, url: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE users SET avatar_url = $2, updated_at = $3 WHERE id = $1`, [
      userId,
      url,
      now,
    ]);
  }
}
