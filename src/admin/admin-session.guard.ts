import {
  applyDecorators,
  Injectable,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { SessionService } from '#src/auth/session.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { bearerToken } from '#src/common/http/bearer-token.js';
import type { ConcordRequest } from '#src/common/http/concord-request.js';

/**
 * An operator's session: opened by `POST /admin/session`, carried as `Authorization: Bearer`. The role is read
 * with the session on every request, so taking it away takes effect at once.
 */
@Injectable()
export class AdminSessionGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ConcordRequest>();
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new DomainError('UNAUTHENTICATED', 'sign in at POST /admin/session');
    const principal = await this.sessions.authenticateToken(token, 'admin');
    if (principal.user.role !== 'admin')
      throw new DomainError('FORBIDDEN', 'this account is not an administrator');
    req.user = principal;
    return true;
  }
}

/** The route is for operators: a live admin session of an account that still has the admin role. */
export function AdminOnly(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(AdminSessionGuard), ApiBearerAuth('admin'));
}
