import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SessionService, type SessionOrigin } from '#src/auth/session.service.js';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { DevicesService } from '#src/devices/devices.service.js';
import {
  looksLikeRefreshToken,
  newRefreshToken,
  refreshTokenHash,
} from '#src/refresh-tokens/refresh-token.js';
import {
  RefreshTokensRepository,
  type FamilyRevokeReason,
  type LockedFamily,
  type RefreshSessionRevokeReason,
} from '#src/refresh-tokens/refresh-tokens.repository.js';

/** A retry of a rotation whose answer was lost, within this time, gets a fresh pair instead of killing the family. */
export const ROTATION_RETRY_GRACE_MS = 10_000;
/** Expired families are kept this long after they die, then deleted by the hourly sweep. */
const EXPIRED_FAMILY_RETENTION_MS = 86_400_000;
const SWEEP_INTERVAL_MS = 3_600_000;

/** Where a sign-in or a refresh comes from; the dialect is always nggirl, the one with a refresh flow. */
export type RefreshOrigin = Omit<SessionOrigin, 'dialect'>;

/** An access token with the refresh token issued with it. */
export interface TokenPair {
  userId: string;
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  /** The access token's own expiry (its `exp`). */
  accessExpiresAt: Date;
}

type Outcome = { pair: TokenPair } | { refused: DomainError };

/**
 * nggirl's refresh tokens. A family starts at each sign-in and belongs to one user; each of its tokens was issued
 * with one session (one short access token, ACCESS_TOKEN_TTL). `rotate` spends a token and issues the next pair of
 * its family. A spent token presented again revokes the family and every session it issued, except a retry within
 * ROTATION_RETRY_GRACE_MS while the pair it rotated into is still unused: that pair is replaced by a fresh one (its
 * session revoked). Every operation on a family holds the family's row lock, so concurrent refreshes of one token
 * leave exactly one live pair. A family dies REFRESH_TOKEN_TTL after it started, however it was used.
 */
@Injectable()
export class RefreshTokensService implements OnModuleInit, OnApplicationShutdown {
  private sweeper?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: RefreshTokensRepository,
    private readonly sessions: SessionService,
    private readonly devices: DevicesService,
    /** SessionsModule's: verifies the access token's signature here while ignoring its expiry. */
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A new family for a session just opened by a sign-in (SignInService and RegistrationService open nggirl sessions
   * with the access-token lifetime). Answers the refresh token to hand out with the session's access token.
   */
  async startFamily(em: EntityManager, userId: string, sessionId: string): Promise<string> {
    const now = this.clock.now();
    const familyId = await this.tokens.insertFamily(
      em,
      userId,
      now,
      new Date(now.getTime() + this.config.auth.refreshTokenTtlMs),
    );
    const { refreshToken } = await this.issueToken(em, familyId, sessionId, now);
    return refreshToken;
  }

  /** A session and a new family at once, for a sign-in made here (after a password reset, say). */
  async openPair(em: EntityManager, userId: string, origin: RefreshOrigin): Promise<TokenPair> {
    const session = await this.sessions.open(em, userId, { ...origin, dialect: 'nggirl' });
    const refreshToken = await this.startFamily(em, userId, session.sessionId);
    return this.pairOf(userId, session.sessionId, session.accessToken, refreshToken);
  }

  /**
   * nggirl `authorization`: both tokens of the last pair; the access token may have expired but must be the one
   * issued with this refresh token. Throws UNAUTHENTICATED for anything wrong with the tokens (a replay included,
   * after its family was revoked and committed), USER_NOT_FOUND or ACCOUNT_DISABLED for a closed or banned account.
   */
  async rotate(
    input: { accessToken: string; refreshToken: string },
    origin: RefreshOrigin,
  ): Promise<TokenPair> {
    const claims = this.claimsIgnoringExpiry(input.accessToken);
    if (!claims || !looksLikeRefreshToken(input.refreshToken)) throw new DomainError('UNAUTHENTICATED');
    const hash = refreshTokenHash(input.refreshToken);
    const outcome = await this.dataSource.transaction(async (em): Promise<Outcome> => {
      const found = await this.tokens.findByHash(em, hash);
      if (!found) return refused('UNAUTHENTICATED');
      const family = await this.tokens.lockFamily(em, found.familyId);
      // Read after the lock: whatever a concurrent rotation of this family did is committed and visible now.
      const token = await this.tokens.findToken(em, found.id);
      if (!family || !token) return refused('UNAUTHENTICATED');
      const now = this.clock.now();
      if (family.revokedAt || family.expiresAt <= now) return refused('UNAUTHENTICATED');
      // Someone holding only the refresh token (or a token of another pair) gets nothing, and changes nothing.
      if (token.sessionId !== claims.sid || family.userId !== claims.sub) return refused('UNAUTHENTICATED');
      const account = accountRefusal(family);
      if (account) return { refused: account };

      if (!token.usedAt) {
        // Its session ended elsewhere (logout, password change or reset, an operator): the family ends with it.
        if (token.sessionRevokedAt) {
          await this.tokens.revokeFamily(em, family.id, 'session_ended', 'logout', now);
          return refused('UNAUTHENTICATED');
        }
        const pair = await this.nextPair(em, family, token.sessionId, origin, now);
        await this.tokens.markUsed(em, token.id, now, pair.tokenId);
        await this.tokens.revokeSession(em, token.sessionId, 'refresh_rotated', now);
        return { pair: pair.pair };
      }

      const successor = token.replacedBy ? await this.tokens.findToken(em, token.replacedBy) : undefined;
      const retry =
        successor &&
        !successor.usedAt &&
        !successor.sessionRevokedAt &&
        now.getTime() - token.usedAt.getTime() <= ROTATION_RETRY_GRACE_MS;
      if (retry) {
        // The client lost the answer of its rotation: the pair it never received makes way for this one.
        const pair = await this.nextPair(em, family, successor.sessionId, origin, now);
        await this.tokens.markUsed(em, successor.id, now, null);
        await this.tokens.setReplacedBy(em, token.id, pair.tokenId);
        await this.tokens.revokeSession(em, successor.sessionId, 'refresh_replaced', now);
        return { pair: pair.pair };
      }
      await this.tokens.revokeFamily(em, family.id, 'reuse', 'refresh_reuse', now);
      return refused('UNAUTHENTICATED');
    });
    if ('refused' in outcome) throw outcome.refused;
    return outcome.pair;
  }

  /**
   * nggirl `logon` carrying the client's saved access token: the older session ends, with its family, when the token
   * is ours (expired or not) and names a session of `userId`. Anything else is ignored. Answers whether it ended one.
   */
  async endSessionOfAccessToken(accessToken: string | undefined, userId: string): Promise<boolean> {
    const claims = accessToken ? this.claimsIgnoringExpiry(accessToken) : undefined;
    if (!claims || claims.sub !== userId) return false;
    return this.dataSource.transaction(async (em) => {
      if ((await this.tokens.sessionOwner(em, claims.sid)) !== userId) return false;
      const now = this.clock.now();
      for (const familyId of await this.tokens.lockFamiliesOfSession(em, claims.sid)) {
        await this.tokens.revokeFamily(em, familyId, 'signed_in_again', 'logout', now);
      }
      await this.tokens.revokeSession(em, claims.sid, 'logout', now);
      await this.devices.unregisterEndedSessions(em, userId);
      return true;
    });
  }

  /**
   * Every family of the user, and the sessions they issued. Password changes and resets already revoke every session
   * of the account, which leaves no family able to rotate; this makes the families' state say so too.
   */
  async revokeAllForUser(em: EntityManager, userId: string, reason: FamilyRevokeReason): Promise<void> {
    const now = this.clock.now();
    const sessionReason: RefreshSessionRevokeReason =
      reason === 'reuse' || reason === 'session_ended' || reason === 'signed_in_again'
        ? 'refresh_reuse'
        : reason;
    for (const familyId of await this.tokens.lockFamiliesOfUser(em, userId)) {
      await this.tokens.revokeFamily(em, familyId, reason, sessionReason, now);
    }
  }

  /** The `exp` of an access token we signed, as a Date (nggirl's `expireTime` is its Unix seconds). */
  accessTokenExpiry(accessToken: string): Date {
    const payload = this.jwt.decode<{ exp?: unknown } | null>(accessToken);
    if (!payload || typeof payload.exp !== 'number') throw new Error('access token without exp');
    return new Date(payload.exp * 1000);
  }

  pairOf(userId: string, sessionId: string, accessToken: string, refreshToken: string): TokenPair {
    return {
      userId,
      sessionId,
      accessToken,
      refreshToken,
      accessExpiresAt: this.accessTokenExpiry(accessToken),
    };
  }

  /** The next session of a family, its token, and the device records of the session it follows. */
  private async nextPair(
    em: EntityManager,
    family: LockedFamily,
    previousSessionId: string,
    origin: RefreshOrigin,
    now: Date,
  ): Promise<{ pair: TokenPair; tokenId: string }> {
    const session = await this.sessions.open(em, family.userId, { ...origin, dialect: 'nggirl' });
    const { tokenId, refreshToken } = await this.issueToken(em, family.id, session.sessionId, now);
    // Push registrations follow the device from session to session; else a later logout elsewhere would drop them.
    await this.devices.moveToSession(em, previousSessionId, session.sessionId);
    return {
      pair: this.pairOf(family.userId, session.sessionId, session.accessToken, refreshToken),
      tokenId,
    };
  }

  private async issueToken(
    em: EntityManager,
    familyId: string,
    sessionId: string,
    now: Date,
  ): Promise<{ tokenId: string; refreshToken: string }> {
    const refreshToken = newRefreshToken();
    const tokenId = await this.tokens.insertToken(em, {
      familyId,
      hash: refreshTokenHash(refreshToken),
      sessionId,
      now,
    });
    return { tokenId, refreshToken };
  }

  /** The claims of an access token we signed, its expiry ignored; undefined for anything else. */
  private claimsIgnoringExpiry(token: string): { sub: string; sid: string } | undefined {
    let payload: { sub?: unknown; sid?: unknown };
    try {
      payload = this.jwt.verify<object>(token, { ignoreExpiration: true });
    } catch {
      return undefined;
    }
    const { sub, sid } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || !isBigintId(sid) || !isBigintId(sub)) {
      return undefined;
    }
    return { sub, sid };
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => {
      const before = new Date(this.clock.now().getTime() - EXPIRED_FAMILY_RETENTION_MS);
      // A failed sweep is retried at the next tick; the rows only wait longer.
      this.tokens.deleteFamiliesExpiredBefore(before).catch(() => undefined);
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }
}

function refused(code: 'UNAUTHENTICATED'): Outcome {
  return { refused: new DomainError(code) };
}

/** A closed or banned account gets the same answers here as on any authenticated route. */
function accountRefusal(family: LockedFamily): DomainError | undefined {
  switch (family.userStatus) {
    case 'active':
      return undefined;
    case 'closed':
      return new DomainError('USER_NOT_FOUND');
    case 'banned':
      return new DomainError('ACCOUNT_DISABLED');
  }
}
