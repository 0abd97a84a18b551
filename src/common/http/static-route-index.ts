import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** What this index needs of the `router` package's layers (Express 5). */
export interface RouterLayer {
  handle: unknown;
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  match(path: string): unknown;
  handleRequest(req: Request, res: Response, next: NextFunction): void;
}

/** A path with no parameter, wildcard or optional part: the router would match it literally. */
const STATIC_PATH = /^\/[^:*?(){}]*$/;

/**
 * The router's matching rules for a literal path, with its default settings: case-insensitive, and one trailing
 * slash optional. The raw (still percent-encoded) path is compared, as the router compares it.
 */
function key(method: string, path: string): string {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return `${method} ${trimmed.toLowerCase()}`;
}

/**
 * Express tries its layers one after another until one matches: a request for a route registered late walks every
 * earlier route's pattern first (`/user/profile` was the 71st layer, a sixth of the memory a profile read
 * allocated). This middleware sits before the routes and sends a request for a literal path straight to the route
 * layer that the walk would have reached, and leaves everything else (parameters, HEAD, OPTIONS, unknown paths) to
 * the walk.
 *
 * The index is built on the first request, once every route is registered. A route is left out when a layer
 * between this middleware and it (a static folder, another route) would have matched its path first, or when an
 * earlier route already claimed the same method and path: the walk's first match is the one kept.
 * Route handlers here never call `next()` without an error (Nest answers or throws); an error goes on down the
 * stack as it would from the walk.
 */
export function staticRouteIndex(stackOf: () => RouterLayer[]): RequestHandler {
  let index: Map<string, RouterLayer> | undefined;
  const middleware: RequestHandler = (req, res, next) => {
    index ??= buildIndex(stackOf(), middleware);
    const url = req.url;
    const query = url.indexOf('?');
    const layer = index.get(key(req.method, query < 0 ? url : url.slice(0, query)));
    if (!layer) {
      next();
      return;
    }
    req.params = {};
    layer.handleRequest(req, res, next);
  };
  return middleware;
}

function buildIndex(stack: RouterLayer[], self: unknown): Map<string, RouterLayer> {
  const index = new Map<string, RouterLayer>();
  const start = stack.findIndex((layer) => layer.handle === self);
  if (start < 0) return index;
  for (let i = start + 1; i < stack.length; i++) {
    const route = stack[i].route;
    if (!route) continue;
    const path = route.path;
    if (typeof path !== 'string' || !STATIC_PATH.test(path)) continue;
    const earlier = stack.slice(start + 1, i).filter((layer) => matches(layer, path));
    for (const [method, handles] of Object.entries(route.methods)) {
      if (!handles || method === '_all' || method === 'head') continue;
      // The walk would stop first at a middleware for this path, or at an earlier route (a parameter one included)
      // that serves this method: then the request stays on the walk.
      const first = earlier.every(
        (layer) => layer.route && !layer.route.methods[method] && !layer.route.methods._all,
      );
      if (first) index.set(key(method.toUpperCase(), path), stack[i]);
    }
  }
  return index;
}

function matches(layer: RouterLayer, path: string): boolean {
  try {
    return layer.match(path) !== false;
  } catch {
    return true;
  }
}
