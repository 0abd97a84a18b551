import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { EntityManager } from 'typeorm';
import { SessionsRepository, type NewSession } from '#src/auth/sessions.repository.js';
import type { RevokeReason, SessionChannel } from '#src/auth/session.entity.js';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Principal } from '#src/auth/principal.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';

/** The claims of an access token. `sid` names the session row that must still be live. */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
}

export interface SessionOrigin {
  dialect: SessionChannel;
  platform?: string;
  userAgent?: string;
  ip?: string;
}

export interface IssuedSession {
  sessionId: string;
  accessToken: string;
  expiresAt: Date;
}

/**
 * Long-lived sliding sessions for the dialects with no refresh flow: a legacy client cannot renew a short token,
 * so the session lives SESSION_TTL past its last use (never more than SESSION_MAX_AGE in all) and is checked on
 * every request, which makes revocation immediate.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async open(em: EntityManager, userId: string, origin: SessionOrigin): Promise<IssuedSession> {
    const planned = this.plan(origin);
    const sessionId = await this.sessions.insert(em, { userId, ...planned });
    return {
      sessionId,
      accessToken: await this.tokenFor(userId, sessionId, origin.dialect),
      expiresAt: planned.expiresAt,
    };
  }

  /** The row of a session about to open, for callers that insert it together with its account. */
  plan(origin: SessionOrigin): Omit<NewSession, 'userId'> {
    const now = this.clock.now();
    return { ...origin, now, expiresAt: new Date(now.getTime() + this.lifetime(origin.dialect).ttlMs) };
  }

  /** Operators' sessions idle out quickly and end within a working day; the apps' live long (no refresh flow). */
  private lifetime(channel: SessionChannel): { ttlMs: number; maxAgeMs: number } {
    const auth = this.config.auth;
    // nggirl has a refresh flow (src/refresh-tokens): a session lasts one short access token, and `authorization`
    // opens the next.
    if (channel === 'nggirl') return { ttlMs: auth.accessTokenTtlMs, maxAgeMs: auth.accessTokenTtlMs };
    return channel === 'admin'
      ? { ttlMs: auth.adminSessionTtlMs, maxAgeMs: auth.adminSessionMaxAgeMs }
      : { ttlMs: auth.sessionTtlMs, maxAgeMs: auth.sessionMaxAgeMs };
  }

  /**
   * The access token of an opened session: it names the session, which every request checks is still live. It
   * expires with the session's absolute lifetime, or after `ttlMs` (nggirl's short access tokens). Times come from
   * the injectable clock.
   */
  tokenFor(userId: string, sessionId: string, channel: SessionChannel, ttlMs?: number): Promise<string> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const exp = iat + Math.floor((ttlMs ?? this.lifetime(channel).maxAgeMs) / 1000);
    return this.jwt.signAsync({ sub: userId, sid: sessionId, iat, exp });
  }

  /**
   * Claims whose signature passport-jwt verified: their expiry (read from the injectable clock), then the live
   * session they name. Anything wrong is UNAUTHENTICATED, never a crash; `scope` keeps operator and app sessions
   * apart.
   */
  async authenticateClaims(
    claims: Partial<AccessTokenClaims> & { exp?: unknown },
    scope: 'app' | 'admin',
  ): Promise<Principal> {
    const { sub, sid, exp } = claims;
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof exp !== 'number') {
      throw new DomainError('UNAUTHENTICATED');
    }
    if (exp * 1000 <= this.clock.now().getTime()) throw new DomainError('UNAUTHENTICATED');
    return this.authenticate({ sub, sid }, scope);
  }

  /** A session named by verified claims. */
  private async authenticate(claims: AccessTokenClaims, scope: 'app' | 'admin'): Promise<Principal> {
    if (typeof claims.sid !== 'string' || !isBigintId(claims.sid)) throw new DomainError('UNAUTHENTICATED');
    const row = await this.sessions.findLive(claims.sid);
    const now = this.clock.now();
    if (!row || row.user.id !== claims.sub || row.expiresAt <= now) throw new DomainError('UNAUTHENTICATED');
    // An operator's token is no app token and the other way round: each is simply not a session here.
    if ((row.channel === 'admin') !== (scope === 'admin')) throw new DomainError('UNAUTHENTICATED');
    // The session is valid but its account is not: say which, as the documents have codes for both.
    if (row.user.status === 'closed') throw new DomainError('USER_NOT_FOUND');
    if (row.user.status === 'banned') throw new DomainError('ACCOUNT_DISABLED');

    // Slide the expiry at most once per SESSION_TOUCH_INTERVAL: one write per session per few minutes, not per call.
    const { ttlMs, maxAgeMs } = this.lifetime(row.channel);
    const touchEvery = Math.min(this.config.auth.sessionTouchIntervalMs, Math.floor(ttlMs / 10));
    if (now.getTime() - row.lastSeenAt.getTime() >= touchEvery) {
      const hardLimit = row.createdAt.getTime() + maxAgeMs;
      const expiresAt = new Date(Math.min(now.getTime() + ttlMs, hardLimit));
      await this.sessions.touch(row.sessionId, now, expiresAt);
    }
    return { userId: row.user.id, sessionId: row.sessionId, channel: row.channel, user: row.user };
  }

  async revoke(em: EntityManager, sessionId: string, reason: RevokeReason): Promise<void> {
    await this.sessions.revoke(em, sessionId, reason, this.clock.now());
  }

  async revokeAllForUser(
    em: EntityManager,
    userId: string,
    reason: RevokeReason,
    keepSessionId?: string,
  ): Promise<void> {
    await this.sessions.revokeAllForUser(em, userId, reason, this.clock.now(), keepSessionId);
  }
}
