import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-jwt';
import { SessionService, type AccessTokenClaims } from '#src/auth/session.service.js';
import { signingKey } from '#src/auth/signing-key.js';
import type { ConcordRequest, Principal } from '#src/common/http/concord-request.js';
import { mergeParams } from '#src/common/http/merge-params.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { DIALECTS } from '#src/dialects/index.js';

export const SESSION_STRATEGY = 'concord-session';

/** Reads the token where the route's dialect puts it (header, path segment, parameter, cookie). */
function tokenFromRequest(req: Request): string | null {
  const concordReq = req as ConcordRequest;
  const dialect = concordReq.concord?.dialect;
  if (!dialect) return null;
  return DIALECTS[dialect].extractToken(req, mergeParams(concordReq)) ?? null;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, SESSION_STRATEGY) {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionService,
  ) {
    super({
      jwtFromRequest: tokenFromRequest,
      // Handed straight to jsonwebtoken, which takes a KeyObject; passport-jwt's types only list string | Buffer.
      secretOrKey: signingKey(config.auth.jwtSecret) as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(claims: AccessTokenClaims): Promise<Principal> {
    return this.sessions.authenticate(claims, 'app');
  }
}
