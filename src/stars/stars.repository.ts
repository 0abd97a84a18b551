import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isBigintId } from '#src/common/database/bigint-id.js';
import type { FeedType } from '#src/feeds/feed.entity.js';
import { NO_MAX_ID } from '#src/feeds/feeds.repository.js';
import type { UserEntity, UserType } from '#src/users/user.entity.js';
import { USER_COLUMNS, userFromRow, type UserSqlColumns } from '#src/users/user-row.js';
import { checkPageSize, HotStatements, keysetPage } from '#src/database/hot-statements.js';

export interface StarRow {
  user: UserEntity;
  hasFollow: boolean;
  /** Their newest listed feeds, newest first, at most three. */
  previews: Array<{ type: FeedType; photoKey: string }>;
}

export interface StarPageRow {
  user: UserEntity;
  hasFollow: boolean;
  fansCount: number;
}

const PREVIEWS = 3;

/** Named, planned once per connection (see keysetPage); the first page passes the largest bigint as maxId. */
export const STAR_STATEMENTS = {
  list: {
    name: 'concord_stars_list',
    text: keysetPage(
      `SELECT ${USER_COLUMNS},
         EXISTS (SELECT 1 FROM star_follows s WHERE s.follower_id = $1 AND s.star_id = u.id) AS "hasFollow",
         COALESCE((SELECT json_agg(json_build_object('type', p.type, 'photoKey', p.photo_key) ORDER BY p.id DESC)
                     FROM (SELECT f.id, f.type, f.photo_key FROM feeds f
                            WHERE f.author_id = u.id AND f.deleted_at IS NULL AND f.hidden_at IS NULL
                            ORDER BY f.id DESC LIMIT ${PREVIEWS}) p), '[]'::json) AS previews
        FROM users u
       WHERE u.type = 'star' AND u.status <> 'closed' AND u.id < $2
       ORDER BY u.id DESC`,
      '"u_id"',
      '$3',
    ),
  },
  page: {
    name: 'concord_star_page',
    text: `SELECT ${USER_COLUMNS},
             EXISTS (SELECT 1 FROM star_follows s WHERE s.follower_id = $1 AND s.star_id = u.id) AS "hasFollow",
             COALESCE((SELECT c.fans FROM star_fan_counts c WHERE c.star_id = u.id), 0)::text AS "fansCount"
        FROM users u WHERE u.id = $2 AND u.status <> 'closed'`,
  },
} as const;

@Injectable()
export class StarsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hot: HotStatements,
  ) {}

  /** An account that is not closed: its type, to tell a star from anyone else. */
  async findOpenUser(id: string): Promise<{ id: string; type: UserType } | undefined> {
    if (!isBigintId(id)) return undefined;
    const rows = await this.dataSource.query<Array<{ id: string; type: UserType }>>(
      `SELECT id, type FROM users WHERE id = $1 AND status <> 'closed'`,
      [id],
    );
    return rows[0];
  }

  /** Idempotent; the star's fan count moves only when a follow is actually added. */
  async follow(followerId: string, starId: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `WITH added AS (
         INSERT INTO star_follows (follower_id, star_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING star_id)
       INSERT INTO star_fan_counts (star_id, fans) SELECT star_id, 1 FROM added
       ON CONFLICT (star_id) DO UPDATE SET fans = star_fan_counts.fans + 1`,
      [followerId, starId, now],
    );
  }

  async unfollow(followerId: string, starId: string): Promise<void> {
    await this.dataSource.query(
      `WITH removed AS (DELETE FROM star_follows WHERE follower_id = $1 AND star_id = $2 RETURNING star_id)
       UPDATE star_fan_counts c SET fans = c.fans - 1 FROM removed r WHERE c.star_id = r.star_id`,
      [followerId, starId],
    );
  }

  async listStars(viewerId: string, maxId: string | undefined, size: number): Promise<StarRow[]> {
    const rows = await this.hot.query<UserSqlColumns & { hasFollow: boolean; previews: StarRow['previews'] }>(
      STAR_STATEMENTS.list,
      [viewerId, maxId ?? NO_MAX_ID, checkPageSize(size)],
    );
    return rows.map((row) => ({ user: userFromRow(row), hasFollow: row.hasFollow, previews: row.previews }));
  }

  /** An open account with whether the viewer follows it and how many do. */
  async starPage(viewerId: string, userId: string): Promise<StarPageRow | undefined> {
    if (!isBigintId(userId)) return undefined;
    const rows = await this.dataSource.query<
      Array<UserSqlColumns & { hasFollow: boolean; fansCount: string }>
    >(STAR_STATEMENTS.page.text, [viewerId, userId]);
    const row = rows[0];
    return row && { user: userFromRow(row), hasFollow: row.hasFollow, fansCount: Number(row.fansCount) };
  }

  /**
   * Makes an open account a star or not. Answers the account (undefined when there is no open one) and whether its
   * type changed.
   */
  async setType(
    em: EntityManager,
    userId: string,
    type: UserType,
    now: Date,
  ): Promise<
    | { user: { id: string; email: string | null; nickname: string; type: UserType }; changed: boolean }
    | undefined
  > {
    if (!isBigintId(userId)) return undefined;
    const [updated] = await em.query<
      [Array<{ id: string; email: string | null; nickname: string; type: UserType }>, number]
    >(
      `UPDATE users SET type = $2, updated_at = $3 WHERE id = $1 AND status <> 'closed' AND type <> $2
       RETURNING id, email, nickname, type`,
      [userId, type, now],
    );
    if (updated[0]) return { user: updated[0], changed: true };
    const rows = await em.query<
      Array<{ id: string; email: string | null; nickname: string; type: UserType }>
    >(`SELECT id, email, nickname, type FROM users WHERE id = $1 AND status <> 'closed'`, [userId]);
    return rows[0] ? { user: rows[0], changed: false } : undefined;
  }
}
