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
/** Verified access tokens remembered per process (~300 bytes each). */
const VERIFIED_TOKENS_KEPT = 10_000;

@Injectable()
export class SessionService {
  private readonly verified = new Map<string, { claims: AccessTokenClaims; expiresAtMs: number }>();

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
    return channel === 'admin'
      ? { ttlMs: auth.adminSessionTtlMs, maxAgeMs: auth.adminSessionMaxAgeMs }
      : { ttlMs: auth.sessionTtlMs, maxAgeMs: auth.sessionMaxAgeMs };
  }

  /** The access token of an opened session: it names the session, which every request checks is still live. */
  tokenFor(userId: string, sessionId: string, channel: SessionChannel): Promise<string> {
    return this.jwt.signAsync({ sub: userId, sid: sessionId } satisfies AccessTokenClaims, {
      expiresIn: Math.floor(this.lifetime(channel).maxAgeMs / 1000),
    });
  }

  /**
   * Every authenticated request: the token's signature and expiry, then its live session. Anything wrong with the
   * token is UNAUTHENTICATED, never a crash; `scope` keeps operator and app sessions apart.
   */
  authenticateToken(token: string | undefined, scope: 'app' | 'admin'): Promise<Principal> {
    const claims = token ? this.verifiedClaims(token) : undefined;
    if (!claims) return Promise.reject(new DomainError('UNAUTHENTICATED'));
    return this.authenticate(claims, scope);
  }

  /**
   * The token's signature and expiry. A client sends the same token on every request, so a string already verified
   * is remembered until it expires: the exact same bytes carry the exact same valid signature, and the session row
   * (checked every time) still decides whether it is live. Bounded, oldest first out.
   */
  private verifiedClaims(token: string): AccessTokenClaims | undefined {
    const now = Date.now();
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAtMs > now) return known.claims;
      this.verified.delete(token);
      return undefined;
    }
    let payload: Partial<AccessTokenClaims> & { exp?: unknown };
    try {
      payload = this.jwt.verify<object>(token);
    } catch {
      return undefined;
    }
    const { sub, sid, exp } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof exp !== 'number') return undefined;
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
    const claims = { sub, sid };
    this.verified.set(token, { claims, expiresAtMs: exp * 1000 });
    return claims;
  }

  /** A session named by verified claims. */
  async authenticate(claims: AccessTokenClaims, scope: 'app' | 'admin'): Promise<Principal> {
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
