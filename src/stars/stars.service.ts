import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Principal } from '#src/auth/principal.js';
import { Clock } from '#src/common/time/clock.js';
import type { FeedType } from '#src/feeds/feed.entity.js';
import { FeedsService, type FeedPage, type FeedView } from '#src/feeds/feeds.service.js';
import { CoinBalances } from '#src/stars/coin-balances.js';
import { StarsRepository } from '#src/stars/stars.repository.js';
import type { UserEntity, UserType } from '#src/users/user.entity.js';

export interface StarView {
  user: UserEntity;
  hasFollow: boolean;
  previews: Array<{ type: FeedType; photoUrl: string }>;
}

export interface StarPage {
  feeds: FeedView[];
  user: UserEntity;
  hasFollow: boolean;
  fansCount: number;
  /** Only on the caller's own page. */
  balance?: number;
}

export interface StarredUser {
  id: string;
  email: string | null;
  nickname: string;
  type: UserType;
}

@Injectable()
export class StarsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stars: StarsRepository,
    private readonly feeds: FeedsService,
    private readonly balances: CoinBalances,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  /** Idempotent. USER_NOT_FOUND: no open account; FORBIDDEN: oneself, or an account that is not a star. */
  async follow(followerId: string, starId: string): Promise<void> {
    if (starId === followerId) throw new DomainError('FORBIDDEN', 'one cannot follow oneself');
    const target = await this.stars.findOpenUser(starId);
    if (!target) throw new DomainError('USER_NOT_FOUND');
    if (target.type !== 'star') throw new DomainError('FORBIDDEN', 'only stars can be followed');
    await this.stars.follow(followerId, target.id, this.clock.now());
  }

  /** Idempotent; one may unfollow an account that stopped being a star. USER_NOT_FOUND: no open account. */
  async unfollow(followerId: string, starId: string): Promise<void> {
    const target = await this.stars.findOpenUser(starId);
    if (!target) throw new DomainError('USER_NOT_FOUND');
    await this.stars.unfollow(followerId, target.id);
  }

  /** Stars, newest star account first, each with whether the viewer follows them and their three newest covers. */
  async list(viewerId: string, page: FeedPage): Promise<StarView[]> {
    const rows = await this.stars.listStars(viewerId, page.maxId, page.size);
    return rows.map((row) => ({
      user: row.user,
      hasFollow: row.hasFollow,
      previews: row.previews.map((p) => ({ type: p.type, photoUrl: this.feeds.photoUrlOf(p.photoKey) })),
    }));
  }

  /** One account's feeds (any account: this is the only per-user feed list nuzzle has). USER_NOT_FOUND. */
  async feedsOf(viewerId: string, userId: string, page: FeedPage): Promise<FeedView[]> {
    const target = await this.stars.findOpenUser(userId);
    if (!target) throw new DomainError('USER_NOT_FOUND');
    return this.feeds.byAuthor(viewerId, target.id, page);
  }

  /** An account's premieres and exclusives with its page header (fans, follow, own balance). USER_NOT_FOUND. */
  async taggedPage(viewerId: string, userId: string, page: FeedPage): Promise<StarPage> {
    const header = await this.stars.starPage(viewerId, userId);
    if (!header) throw new DomainError('USER_NOT_FOUND');
    const own = header.user.id === viewerId;
    const [feeds, balance] = await Promise.all([
      this.feeds.byAuthor(viewerId, header.user.id, page, { taggedOnly: true }),
      own ? this.balances.balanceOf(viewerId) : Promise.resolve(undefined),
    ]);
    return { feeds, ...header, ...(balance === undefined ? {} : { balance }) };
  }

  /**
   * Operators make an account a star (`star: true`) or an ordinary one. Audited in the same transaction when the
   * type changes; setting what already is changes and records nothing. NOT_FOUND: no open account.
   */
  async setStar(userId: string, star: boolean, by: { admin: Principal; ip?: string }): Promise<StarredUser> {
    return this.dataSource.transaction(async (em) => {
      const result = await this.stars.setType(em, userId, star ? 'star' : 'nobody', this.clock.now());
      if (!result) throw new DomainError('NOT_FOUND', 'no such account');
      if (result.changed) {
        await this.audit.record(em, {
          actorId: by.admin.userId,
          actor: by.admin.user.email ?? `user:${by.admin.userId}`,
          action: star ? 'user.starred' : 'user.unstarred',
          subjectUserId: result.user.id,
          ip: by.ip,
        });
      }
      return result.user;
    });
  }
}
