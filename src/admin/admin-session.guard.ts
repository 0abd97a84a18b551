import { applyDecorators, Inject, Injectable, UseGuards } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { SessionService, type AccessTokenClaims } from '#src/auth/session.service.js';
import { signingKey } from '#src/auth/signing-key.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Principal } from '#src/common/http/concord-request.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';

export const ADMIN_STRATEGY = 'concord-admin';

/**
 * An operator's session: opened by `POST /admin/session`, carried as `Authorization: Bearer`. The role is read
 * with the session on every request, so taking it away takes effect at once.
 */
@Injectable()
export class AdminJwtStrategy extends PassportStrategy(Strategy, ADMIN_STRATEGY) {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: signingKey(config.auth.jwtSecret) as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<Principal> {
    const principal = await this.sessions.authenticate(claims, 'admin');
    if (principal.user.role !== 'admin')
      throw new DomainError('FORBIDDEN', 'this account is not an administrator');
    return principal;
  }
}

@Injectable()
export class AdminSessionGuard extends AuthGuard(ADMIN_STRATEGY) {
  override handleRequest<T = Principal>(error: unknown, principal: T | false): T {
    if (error instanceof DomainError) throw error;
    if (error) throw error instanceof Error ? error : new Error('authentication failed');
    if (!principal) throw new DomainError('UNAUTHENTICATED', 'sign in at POST /admin/session');
    return principal;
  }
}

/** The route is for operators: a live admin session of an account that still has the admin role. */
export function AdminOnly(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(AdminSessionGuard), ApiBearerAuth('admin'));
}
