import {
  applyDecorators,
  createParamDecorator,
  Inject,
  Injectable,
  UseGuards,
  type ExecutionContext,
} from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { FACEBOOK_STRATEGY_NAME } from '#src/auth/facebook.strategy.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { FacebookProfile } from '#src/sns/facebook-graph.client.js';
import { FACEBOOK_TOKEN_FIELD } from '#src/sns/facebook-token.strategy.js';

/**
 * Checks the request's Facebook access token with this app's Facebook strategy (FacebookLoginStrategy) through
 * @nestjs/passport; the route then reads what Graph said with `@FacebookIdentity()`. Guards run before the
 * parameters are validated, so a missing token is answered here: INVALID_PARAMS. A token Graph refuses keeps the
 * strategy's BAD_CREDENTIALS, Graph out of reach its UPSTREAM_FAILED.
 */
@Injectable()
export class FacebookAuthGuard extends AuthGuard() {
  // @nestjs/passport's guard authenticates with `options.defaultStrategy`: this app's Facebook strategy name.
  constructor(@Inject(FACEBOOK_STRATEGY_NAME) strategyName: string) {
    super({ defaultStrategy: strategyName, session: false });
  }

  override handleRequest<P>(error: unknown, profile: P | false): P {
    // The strategy's DomainError (BAD_CREDENTIALS, UPSTREAM_FAILED), or a crash: both go on as they are.
    if (error) throw error instanceof Error ? error : new Error('Facebook authentication failed');
    if (!profile) {
      throw new DomainError('INVALID_PARAMS', 'no Facebook access token', { fields: [FACEBOOK_TOKEN_FIELD] });
    }
    return profile;
  }
}

/** The route needs a Facebook access token (`accessToken`) that Graph confirms was issued to our app. */
export function FacebookAuthenticated(): MethodDecorator {
  return applyDecorators(UseGuards(FacebookAuthGuard));
}

/** What Graph said of the access token's owner; only on routes behind `@FacebookAuthenticated()`. */
export const FacebookIdentity = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): FacebookProfile => {
    const profile = ctx.switchToHttp().getRequest<Request & { user?: FacebookProfile }>().user;
    if (!profile) throw new DomainError('INVALID_PARAMS', 'no Facebook access token');
    return profile;
  },
);
