import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Request } from 'express';
import passport from 'passport';
import { Strategy } from 'passport-jwt';
import type { Principal } from '#src/auth/principal.js';
import { SessionService, type AccessTokenClaims } from '#src/auth/session.service.js';
import { signingKey } from '#src/auth/signing-key.js';
import { bearerToken } from '#src/common/http/bearer-token.js';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import { mergeParams } from '#src/common/http/merge-params.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { DIALECTS } from '#src/dialects/index.js';

/** The name this app's session strategy is registered under in passport's process-wide registry. */
export const SESSION_STRATEGY_NAME = Symbol('SESSION_STRATEGY_NAME');

/** Which sessions a route accepts: an app's (any dialect) or an operator's (`/admin`). */
export type SessionScope = 'app' | 'admin';

export type ScopedRequest = ConcordRequest & { sessionScope?: SessionScope };

/**
 * Where the access token travels: for an app route, where the route's dialect puts it (header, path segment,
 * parameter, cookie); for the operators' API, `Authorization: Bearer`.
 */
function tokenOf(req: ScopedRequest): string | null {
  if (req.sessionScope === 'admin') return bearerToken(req.headers.authorization) ?? null;
  const dialect = req.concord?.dialect;
  return (dialect ? DIALECTS[dialect].extractToken(req, mergeParams(req)) : undefined) ?? null;
}

/**
 * The session check as a passport-jwt strategy: passport-jwt finds and verifies the HS256 token, then the session
 * row it names must still be live (SessionService.authenticate), so revocation is immediate. Expiry is checked
 * against the injectable clock, not by jsonwebtoken's own reading of the system time.
 *
 * Passport keeps strategies in one registry per process; two apps in one process (the e2e suites boot several)
 * would replace each other's strategy under a shared name, and a guard of one app would check sessions in the
 * other's database. Each app therefore registers its strategy under a name of its own (SESSION_STRATEGY_NAME,
 * which the guards read from AuthModuleOptions) and takes it out of the registry when it shuts down.
 */
@Injectable()
export class SessionJwtStrategy extends Strategy implements OnModuleDestroy {
  constructor(
    @Inject(SESSION_STRATEGY_NAME) private readonly strategyName: string,
    sessions: SessionService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(
      {
        jwtFromRequest: (req: Request) => tokenOf(req as ScopedRequest),
        // jsonwebtoken takes a KeyObject (see signingKey: a string is re-parsed on every verify); the types say less.
        secretOrKey: signingKey(config.auth.jwtSecret) as unknown as Buffer,
        algorithms: ['HS256'],
        ignoreExpiration: true,
        passReqToCallback: true,
      },
      (
        req: Request,
        payload: Partial<AccessTokenClaims> & { exp?: unknown },
        done: (e: unknown, p?: Principal) => void,
      ) => {
        sessions.authenticateClaims(payload, (req as ScopedRequest).sessionScope ?? 'app').then(
          (principal) => done(null, principal),
          (error: unknown) => done(error),
        );
      },
    );
    passport.use(strategyName, this);
  }

  onModuleDestroy(): void {
    passport.unuse(this.strategyName);
  }
}
