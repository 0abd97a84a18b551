import { applyDecorators, Inject, Injectable, UseGuards, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiSecurity } from '@nestjs/swagger';
import {
  SESSION_STRATEGY_NAME,
  type ScopedRequest,
  type SessionScope,
} from '#src/auth/session-jwt.strategy.js';
import { DomainError } from '#src/common/errors/domain-error.js';

/**
 * Reads the request's session with this app's session strategy (SessionJwtStrategy) through @nestjs/passport's
 * guard: the part the required and the optional session guards share. Missing, malformed, expired or revoked
 * tokens all come out as no principal; what that means is the subclass's `handleRequest`.
 */
export abstract class SessionStrategyGuard extends AuthGuard() {
  protected readonly scope: SessionScope = 'app';

  // @nestjs/passport's guard authenticates with `options.defaultStrategy`: this app's own strategy name.
  constructor(@Inject(SESSION_STRATEGY_NAME) strategyName: string) {
    super({ defaultStrategy: strategyName, session: false });
  }

  override canActivate(context: ExecutionContext): Promise<boolean> {
    context.switchToHttp().getRequest<ScopedRequest>().sessionScope = this.scope;
    return super.canActivate(context) as Promise<boolean>;
  }
}

/**
 * A live session. Missing, malformed, expired or revoked: all are UNAUTHENTICATED (the dialect's "not logged in");
 * a closed or banned account keeps its own code. The operators' guard is this one with the admin scope.
 */
@Injectable()
export class SessionAuthGuard extends SessionStrategyGuard {
  /** The message of a refusal, where it reaches a client (the operators' plain JSON). */
  protected readonly refusal: string = 'UNAUTHENTICATED';

  override handleRequest<P>(error: unknown, principal: P | false): P {
    if (error) throw error instanceof DomainError ? error : new DomainError('UNAUTHENTICATED', this.refusal);
    if (!principal) throw new DomainError('UNAUTHENTICATED', this.refusal);
    return principal;
  }
}

/** The route needs a live session; its dialect decides where the token is read from. */
export function Authenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(SessionAuthGuard), ApiSecurity('token'));
}
