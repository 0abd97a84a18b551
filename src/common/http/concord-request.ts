import type { Request } from 'express';
import type { SessionChannel } from '#src/auth/session.entity.js';
import type { DialectName } from '#src/dialects/dialect.js';
import type { RouteReplyMetadata } from '#src/common/dialect/reply.decorator.js';
import type { UserEntity } from '#src/users/user.entity.js';

/** What the pipeline learns about a request once a route matched. */
export interface RouteContext {
  dialect?: DialectName;
  reply?: RouteReplyMetadata;
}

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

export type ConcordRequest = Request & {
  id?: string;
  concord?: RouteContext;
  user?: Principal;
  mergedParams?: Record<string, unknown>;
};
