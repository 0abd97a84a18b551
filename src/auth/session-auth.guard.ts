import {
  applyDecorators,
  Injectable,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { SessionService } from '#src/auth/session.service.js';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import { mergeParams } from '#src/common/http/merge-params.js';
import { DIALECTS } from '#src/dialects/index.js';

/**
 * An app's session: the token is read where the route's dialect puts it (header, path segment, parameter, cookie),
 * then checked against its live session row. Missing, malformed, expired or revoked: all are the dialect's "not
 * logged in".
 *
 * A plain guard rather than passport: this runs on every authenticated request, where passport adds a strategy
 * object and callbacks per request for the same check; its strategy registry is also process-wide, which two apps
 * in one process (tests) then share.
 */
@Injectable()
export class SessionAuthGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ConcordRequest>();
    const dialect = req.concord?.dialect;
    const token = dialect ? DIALECTS[dialect].extractToken(req, mergeParams(req)) : undefined;
    req.user = await this.sessions.authenticateToken(token, 'app');
    return true;
  }
}

/** The route needs a live session; its dialect decides where the token is read from. */
export function Authenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(SessionAuthGuard), ApiSecurity('token'));
}
