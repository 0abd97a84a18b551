import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { EntityManager } from 'typeorm';
import { SessionsRepository, type NewSession } from '#src/auth/sessions.repository.js';
import type { RevokeReason } from '#src/auth/session.entity.js';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Principal } from '#src/common/http/concord-request.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import type { DialectName } from '#src/dialects/dialect.js';

/** The claims of an access token. `sid` names the session row that must still be live. */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
}

export interface SessionOrigin {
  dialect: DialectName;
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
    return { sessionId, accessToken: await this.tokenFor(userId, sessionId), expiresAt: planned.expiresAt };
  }

  /** The row of a session about to open, for callers that insert it together with its account. */
  plan(origin: SessionOrigin): Omit<NewSession, 'userId'> {
    const now = this.clock.now();
    return { ...origin, now, expiresAt: new Date(now.getTime() + this.config.auth.sessionTtlMs) };
  }

  /** The access token of an opened session: it names the session, which every request checks is still live. */
  tokenFor(userId: string, sessionId: string): Promise<string> {
    return this.jwt.signAsync({ sub: userId, sid: sessionId } satisfies AccessTokenClaims, {
      expiresIn: Math.floor(this.config.auth.sessionMaxAgeMs / 1000),
    });
  }

  /** Called with verified claims on every authenticated request. */
  async authenticate(claims: AccessTokenClaims): Promise<Principal> {
    if (typeof claims.sid !== 'string' || !isBigintId(claims.sid)) throw new DomainError('UNAUTHENTICATED');
    const row = await this.sessions.findLive(claims.sid);
    const now = this.clock.now();
    if (!row || row.user.id !== claims.sub || row.expiresAt <= now) throw new DomainError('UNAUTHENTICATED');
    // The session is valid but its account is not: say which, as the documents have codes for both.
    if (row.user.status === 'closed') throw new DomainError('USER_NOT_FOUND');
    if (row.user.status === 'banned') throw new DomainError('ACCOUNT_DISABLED');

    // Slide the expiry at most once per SESSION_TOUCH_INTERVAL: one write per session per few minutes, not per call.
    if (now.getTime() - row.lastSeenAt.getTime() >= this.config.auth.sessionTouchIntervalMs) {
      const hardLimit = row.createdAt.getTime() + this.config.auth.sessionMaxAgeMs;
      const expiresAt = new Date(Math.min(now.getTime() + this.config.auth.sessionTtlMs, hardLimit));
      await this.sessions.touch(row.sessionId, now, expiresAt);
    }
    return { userId: row.user.id, sessionId: row.sessionId, user: row.user };
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
