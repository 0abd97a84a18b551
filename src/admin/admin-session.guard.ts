import { applyDecorators, Controller, Injectable, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { PlainError } from '#src/admin/dto/admin.dto.js';
import type { Principal } from '#src/auth/principal.js';
import { SessionAuthGuard } from '#src/auth/session-auth.guard.js';
import type { SessionScope } from '#src/auth/session-jwt.strategy.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { ConcordRequest } from '#src/common/http/concord-request.js';

/**
 * An operator's session: opened by `POST /admin/session`, carried as `Authorization: Bearer`, checked like every
 * session (SessionAuthGuard) but only among operators' sessions. The role is read with the session on every
 * request, so taking it away takes effect at once.
 */
@Injectable()
export class AdminSessionGuard extends SessionAuthGuard {
  protected override readonly scope: SessionScope = 'admin';
  protected override readonly refusal = 'sign in at POST /admin/session';

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const principal = context.switchToHttp().getRequest<ConcordRequest>().user as Principal;
    if (principal.user.role !== 'admin')
      throw new DomainError('FORBIDDEN', 'this account is not an administrator');
    return true;
  }
}

/** The route is for operators: a live admin session of an account that still has the admin role. */
export function AdminOnly(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(AdminSessionGuard), ApiBearerAuth('admin'));
}

/**
 * A controller of the operators' API under `path`: every route behind the operators' guard, listed in the platform
 * document with the two refusals they all share.
 */
export function AdminController(path: string): ClassDecorator {
  return applyDecorators(
    ApiTags('admin'),
    AdminOnly(),
    ApiUnauthorizedResponse({
      type: PlainError,
      description: 'UNAUTHENTICATED: no, expired or revoked admin token',
    }),
    ApiForbiddenResponse({
      type: PlainError,
      description: 'FORBIDDEN: the account is not (or no longer) an admin',
    }),
    Controller(path),
  );
}
