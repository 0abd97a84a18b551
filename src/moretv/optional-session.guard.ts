import {
  applyDecorators,
  createParamDecorator,
  Injectable,
  UseGuards,
  type ExecutionContext,
} from '@nestjs/common';
import type { Principal } from '#src/auth/principal.js';
import { SessionStrategyGuard } from '#src/auth/session-auth.guard.js';
import type { ConcordRequest } from '#src/common/http/concord-request.js';

/**
 * Reads the session where there is one, and lets the request through either way: the pages and flows that work
 * signed in or not (the SNS preauth and callback, where `action=bind` needs the account; sign-out; the account
 * page, which sends a visitor without a session to the sign-in page). The same passport strategy as
 * `@Authenticated()`, so a revoked or expired session counts as none. Routes using it are `@Public()`.
 */
@Injectable()
export class OptionalSessionGuard extends SessionStrategyGuard {
  override handleRequest<P>(_error: unknown, principal: P | false): P {
    return (principal || undefined) as P;
  }
}

export function ReadsSession(): MethodDecorator {
  return applyDecorators(UseGuards(OptionalSessionGuard));
}

/** The caller's live session on a `@ReadsSession()` route, or undefined. */
export const SessionIfAny = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal | undefined =>
    (ctx.switchToHttp().getRequest<ConcordRequest>().user as Principal | undefined) ?? undefined,
);
