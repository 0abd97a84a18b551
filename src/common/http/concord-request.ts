import type { Request } from 'express';
import type { RouteReplyMetadata } from '#src/common/dialect/reply.decorator.js';
import type { DialectName } from '#src/dialects/dialect.js';

/** What the pipeline learns about a request once a route matched. */
export interface RouteContext {
  dialect?: DialectName;
  reply?: RouteReplyMetadata;
  /** `Controller_method` of the handler, as the OpenAPI operation ids name it (a GET/POST twin names its GET). */
  operation?: string;
}

/**
 * An Express request as the pipeline sees it. `user` is whatever the route's authentication put there (the auth
 * area's Principal); the pipeline itself never reads it.
 */
export type ConcordRequest = Request & {
  id?: string;
  concord?: RouteContext;
  user?: unknown;
  mergedParams?: Record<string, unknown>;
};
