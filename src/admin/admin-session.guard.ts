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
import type { ConcordRequest } from '#src/common/http/concord-request.js';

/** `Authorization: Bearer <token>`, the scheme compared case-insensitively (RFC 9110). */
function bearerToken(req: ConcordRequest): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer[ ]+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/**
 * An operator's session: opened by `POST /admin/session`, carried as `Authorization: Bearer`. The role is read
 * with the session on every request, so taking it away takes effect at once.
 */
@Injectable()
export class AdminSessionGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ConcordRequest>();
    const token = bearerToken(req);
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
