import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DIALECT_METADATA } from '#src/common/dialect/dialect.decorator.js';
import { REPLY_METADATA, type RouteReplyMetadata } from '#src/common/dialect/reply.decorator.js';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import type { DialectName } from '#src/dialects/dialect.js';

/**
 * Runs first on every matched route and records its dialect, reply metadata and operation on the request, so the
 * token extractor, the dialect's request checks, the interceptor and the exception filter (which sees no handler)
 * all read the same facts.
 */
@Injectable()
export class RouteContextGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<ConcordRequest>();
    const controller = context.getClass();
    req.concord = {
      dialect: this.reflector.get<DialectName | undefined>(DIALECT_METADATA, controller),
      reply: this.reflector.get<RouteReplyMetadata | undefined>(REPLY_METADATA, context.getHandler()),
      operation: `${controller.name.replace(/Controller$/, '')}_${context.getHandler().name.replace(/ViaPost$/, '')}`,
    };
    return true;
  }
}
