import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import {
  OPERATION_METADATA,
  OPERATION_SEGMENT,
  type OperationMetadata,
} from '#src/common/dialect/operation.decorator.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { TransportFailure } from '#src/common/errors/transport-failure.js';

interface SharedPath {
  /** The operations, markers first. */
  operations: Array<OperationMetadata & { internalPath: string }>;
}

function normalise(path: string): string {
  const joined = `/${path}`.replace(/\/+/g, '/');
  return (joined.length > 1 ? joined.replace(/\/$/, '') : joined).toLowerCase();
}

/** A marker counts when it carries something: `register=1`, `register=true`; not `register=`, `0` or `false`. */
function isSet(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(isSet);
  return typeof value === 'string' ? value !== '' && value !== '0' && value.toLowerCase() !== 'false' : false;
}

/**
 * Chooses the operation of a shared path (see `@Operation`) before Nest routes the request: it reads the query
 * string and the parsed body, picks the one operation the markers (or else the parameters present) select, and
 * rewrites the request's path to that operation's own route, so Nest, the guards, the interceptor and the exception
 * filter all see one handler per operation. No marker that selects exactly one operation (none, an unknown one
 * with no default, or two) is the dialect's UNKNOWN_OPERATION. Operation routes are not reachable directly.
 */
@Injectable()
export class OperationRouter implements OnModuleInit {
  private readonly shared = new Map<string, SharedPath>();
  private readonly internal = new Set<string>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, wrapper.metatype) as string | undefined) ?? '';
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[method] as () => unknown;
        const metadata = this.reflector.get<OperationMetadata | undefined>(OPERATION_METADATA, handler);
        if (!metadata) continue;
        const sharedPath = normalise(`${base}/${metadata.sharedPath}`);
        const internalPath = `${sharedPath}/${OPERATION_SEGMENT}${metadata.name}`;
        const entry = this.shared.get(sharedPath) ?? { operations: [] };
        if (entry.operations.some((op) => op.name === metadata.name)) {
          throw new Error(`two operations named "${metadata.name}" on ${sharedPath}`);
        }
        entry.operations.push({ ...metadata, internalPath });
        this.shared.set(sharedPath, entry);
        this.internal.add(internalPath);
      }
    }
  }

  /** Express middleware: before the router, after the body parsers. */
  readonly middleware = (req: Request, _res: Response, next: NextFunction): void => {
    if (this.shared.size === 0) {
      next();
      return;
    }
    const path = normalise(req.path);
    const entry = this.shared.get(path);
    if (!entry) {
      next(this.internal.has(path) ? new DomainError('ROUTE_NOT_FOUND') : undefined);
      return;
    }
    if (req.method !== 'POST') {
      // Operations are POST only; a page may be served by GET on the same path (moretv's /user/login, whose form
      // posts to it): other methods go on to Nest's routes, which answer ROUTE_NOT_FOUND where there is none.
      next();
      return;
    }
    const chosen = choose(entry, parametersOf(req));
    if (typeof chosen === 'string') {
      next(new TransportFailure('UNKNOWN_OPERATION', undefined, { path, problem: chosen }));
      return;
    }
    const query = req.url.indexOf('?');
    req.url = `${chosen.internalPath}${query < 0 ? '' : req.url.slice(query)}`;
    next();
  };
}

function parametersOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return {
    ...(req.query as Record<string, unknown>),
    ...(body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {}),
  };
}

/** The operation, or why none. */
function choose(
  entry: SharedPath,
  params: Record<string, unknown>,
): SharedPath['operations'][number] | string {
  const marked = entry.operations.filter((op) => op.selector.marker && isSet(params[op.selector.marker]));
  if (marked.length > 1) return `markers ${marked.map((op) => op.selector.marker).join(', ')} together`;
  if (marked.length === 1) return marked[0];
  const byParams = entry.operations
    .filter((op) => !op.selector.marker && op.selector.present?.length)
    .filter((op) => op.selector.present!.every((name) => params[name] !== undefined && params[name] !== ''));
  if (byParams.length > 1) return 'parameters select several operations';
  if (byParams.length === 1) return byParams[0];
  return (
    entry.operations.find((op) => !op.selector.marker && !op.selector.present?.length) ??
    'no operation marker'
  );
}
