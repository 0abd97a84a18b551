import { applyDecorators, Injectable, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiSecurity } from '@nestjs/swagger';
import { SESSION_STRATEGY } from '#src/auth/jwt.strategy.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Principal } from '#src/common/http/concord-request.js';

@Injectable()
export class SessionAuthGuard extends AuthGuard(SESSION_STRATEGY) {
  // Missing, malformed, expired or revoked: all are the dialect's "not logged in"; a crash stays a crash.
  override handleRequest<T = Principal>(error: unknown, principal: T | false): T {
    if (error instanceof DomainError) throw error;
    if (error) throw error instanceof Error ? error : new Error('authentication failed');
    if (!principal) throw new DomainError('UNAUTHENTICATED');
    return principal;
  }
}

/** The route needs a live session; its dialect decides where the token is read from. */
export function Authenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(SessionAuthGuard), ApiSecurity('token'));
}
