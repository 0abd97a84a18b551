import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { SessionChannel } from '#src/auth/session.entity.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { UserEntity } from '#src/users/user.entity.js';

/**
 * The authenticated caller: the live session and its user, loaded by the same query that checked the session (one
 * round trip per authenticated request). Ids are decimal strings (bigint in the database).
 */
export interface Principal {
  userId: string;
  sessionId: string;
  /** Where the session was opened: a dialect, or `admin` for the operators' sign-in. */
  channel: SessionChannel;
  user: UserEntity;
}

/** The caller's live session; only on routes behind `@Authenticated()` (or the admin guard). */
export const CurrentSession = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const user = ctx.switchToHttp().getRequest<Request & { user?: Principal }>().user;
  if (!user) throw new DomainError('UNAUTHENTICATED');
  return user;
});
