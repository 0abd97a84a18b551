import type { Request } from 'express';
import type { DialectName } from '#src/dialects/dialect.js';
import type { RouteReplyMetadata } from '#src/common/dialect/reply.decorator.js';

/** What the pipeline learns about a request once a route matched. */
export interface RouteContext {
  dialect?: DialectName;
  reply?: RouteReplyMetadata;
}

/** The authenticated caller: the live session and its user. Ids are decimal strings (bigint in the database). */
export interface Principal {
  userId: string;
  sessionId: string;
}

export type ConcordRequest = Request & {
  id?: string;
  concord?: RouteContext;
  user?: Principal;
  mergedParams?: Record<string, unknown>;
};
