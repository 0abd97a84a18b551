import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Friend, FriendMessage, RequestReference } from '#src/friends/friend-request.js';
import { USER_COLUMNS, userFromRow, type UserSqlColumns } from '#src/users/user-row.js';
import type { UserEntity } from '#src/users/user.entity.js';

/** The newest messages a list shows. */
export const MESSAGE_LIST_MAX = 200;

export interface RequestRow {
  id: string;
  requesterId: string;
  addresseeId: string;
  status: 'pending' | 'accepted';
}

const REQUEST_COLUMNS = `r.id, r.requester_id AS "requesterId", r.addressee_id AS "addresseeId", r.status`;

function toRequest(row: Record<string, unknown>): RequestRow {
  return {
    id: String(row.id),
    requesterId: String(row.requesterId),
    addresseeId: String(row.addresseeId),
    status: row.status as RequestRow['status'],
  };
}

/** TypeORM answers an UPDATE or DELETE … RETURNING as `[rows, affected]`. */
async function changed<R>(em: EntityManager, sql: string, params: unknown[]): Promise<R[]> {
  const [rows] = await em.query<[R[], number]>(sql, params);
  return rows;
}

/** `friend_requests` and `friendships` (two rows per friendship, one each way). Writes join the caller's transaction. */
@Injectable()
export class FriendsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** An open account by its phone (E.164). */
  async findUserByPhone(phone: string): Promise<UserEntity | undefined> {
    const rows = await this.dataSource.query<UserSqlColumns[]>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE u.phone = $1 AND u.status <> 'closed'`,
      [phone],
    );
    return rows[0] ? userFromRow(rows[0]) : undefined;
  }

  async areFriends(userId: string, otherId: string, em?: EntityManager): Promise<boolean> {
    const rows = await (em ?? this.dataSource.manager).query<unknown[]>(
      `SELECT 1 FROM friendships WHERE user_id = $1 AND friend_id = $2`,
      [userId, otherId],
    );
    return rows.length > 0;
  }

  /** Everything that changes how two users stand waits for the other change of the same pair. */
  async lockPair(em: EntityManager, a: string, b: string): Promise<void> {
    const [low, high] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`friends:${low}:${high}`]);
  }

  async findRequest(
    em: EntityManager,
    requesterId: string,
    addresseeId: string,
  ): Promise<RequestRow | undefined> {
    const rows = await em.query<Array<Record<string, unknown>>>(
      `SELECT ${REQUEST_COLUMNS} FROM friend_requests r WHERE r.requester_id = $1 AND r.addressee_id = $2`,
      [requesterId, addresseeId],
    );
    return rows[0] ? toRequest(rows[0]) : undefined;
  }

  /** The request both messages of `ref` name (read without a lock: the caller locks the pair, then reads again). */
  async findReferenced(em: EntityManager, ref: RequestReference): Promise<RequestRow | undefined> {
    const rows = await em.query<Array<Record<string, unknown>>>(
      `SELECT ${REQUEST_COLUMNS}
         FROM friend_requests r
         JOIN users q ON q.id = r.requester_id
         JOIN users a ON a.id = r.addressee_id
        WHERE q.phone = $1 AND a.phone = $2
          AND floor(extract(epoch FROM r.requested_at) * 1000)::bigint = $3`,
      [ref.requesterPhone, ref.addresseePhone, ref.requestedAtMs],
    );
    return rows[0] ? toRequest(rows[0]) : undefined;
  }

  async insertRequest(em: EntityManager, requesterId: string, addresseeId: string, now: Date): Promise<void> {
    await em.query(
      `INSERT INTO friend_requests (requester_id, addressee_id, requested_at) VALUES ($1, $2, $3)`,
      [requesterId, addresseeId, now],
    );
  }

  /** A request made afresh (after the two stopped being friends): pending again, new time, visible to both. */
  async renewRequest(em: EntityManager, requestId: string, now: Date): Promise<void> {
    await em.query(
      `UPDATE friend_requests SET status = 'pending', requested_at = $2, accepted_at = NULL,
              requester_hidden = false, addressee_hidden = false
        WHERE id = $1`,
      [requestId, now],
    );
  }

  async acceptRequest(em: EntityManager, requestId: string, now: Date): Promise<void> {
    await em.query(
      `UPDATE friend_requests SET status = 'accepted', accepted_at = $2 WHERE id = $1 AND status = 'pending'`,
      [requestId, now],
    );
  }

  async hideRequest(em: EntityManager, requestId: string, side: 'requester' | 'addressee'): Promise<void> {
    await em.query(
      `UPDATE friend_requests SET ${side === 'requester' ? 'requester_hidden' : 'addressee_hidden'} = true
        WHERE id = $1`,
      [requestId],
    );
  }

  async deleteRequest(em: EntityManager, requestId: string): Promise<void> {
    await em.query(`DELETE FROM friend_requests WHERE id = $1`, [requestId]);
  }

  /** Both requests between the two, whichever way. */
  async deleteRequestsBetween(em: EntityManager, a: string, b: string): Promise<void> {
    await em.query(
      `DELETE FROM friend_requests
        WHERE (requester_id = $1 AND addressee_id = $2) OR (requester_id = $2 AND addressee_id = $1)`,
      [a, b],
    );
  }

  async insertFriendship(em: EntityManager, a: string, b: string, now: Date): Promise<void> {
    await em.query(
      `INSERT INTO friendships (user_id, friend_id, since) VALUES ($1, $2, $3), ($2, $1, $3)
       ON CONFLICT (user_id, friend_id) DO NOTHING`,
      [a, b, now],
    );
  }

  /** Answers whether they were friends. */
  async deleteFriendship(em: EntityManager, a: string, b: string): Promise<boolean> {
    const rows = await changed(
      em,
      `DELETE FROM friendships WHERE (user_id = $1 AND friend_id = $2) OR (user_id = $2 AND friend_id = $1)
       RETURNING user_id`,
      [a, b],
    );
    return rows.length > 0;
  }

  /** The user's friends whose accounts are open, newest friendship first. */
  async friendsOf(userId: string): Promise<Friend[]> {
    const rows = await this.dataSource.query<Array<UserSqlColumns & { since: Date }>>(
      `SELECT f.since, ${USER_COLUMNS}
         FROM friendships f JOIN users u ON u.id = f.friend_id
        WHERE f.user_id = $1 AND u.status <> 'closed'
        ORDER BY f.since DESC, u.id DESC`,
      [userId],
    );
    return rows.map((row) => ({ user: userFromRow(row), since: new Date(row.since) }));
  }

  /** The requests the user made or received and has not hidden, newest first, each with the other side. */
  async messagesOf(user: Pick<UserEntity, 'id' | 'phone'>): Promise<FriendMessage[]> {
    const rows = await this.dataSource.query<
      Array<UserSqlColumns & Record<'id' | 'requesterId' | 'status' | 'requestedAt', string>>
    >(
      `SELECT r.id, r.requester_id AS "requesterId", r.status, r.requested_at AS "requestedAt", ${USER_COLUMNS}
         FROM friend_requests r
         JOIN users u ON u.id = CASE WHEN r.requester_id = $1 THEN r.addressee_id ELSE r.requester_id END
        WHERE ((r.addressee_id = $1 AND NOT r.addressee_hidden) OR (r.requester_id = $1 AND NOT r.requester_hidden))
          AND u.status <> 'closed'
        ORDER BY r.requested_at DESC, r.id DESC
        LIMIT ${MESSAGE_LIST_MAX}`,
      [user.id],
    );
    return rows.map((row) => {
      const other = userFromRow(row);
      const side = String(row.requesterId) === user.id ? 'requester' : 'addressee';
      return {
        requestId: String(row.id),
        side,
        status: row.status as FriendMessage['status'],
        requestedAt: new Date(row.requestedAt),
        requesterPhone: (side === 'requester' ? user.phone : other.phone) ?? '',
        addresseePhone: (side === 'requester' ? other.phone : user.phone) ?? '',
        other,
      };
    });
  }
}
