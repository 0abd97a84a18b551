import type { ConcordRequest } from '#src/common/http/concord-request.js';

/**
 * The documents mix GET and POST freely and clients send parameters wherever they like: query string, path,
 * urlencoded, JSON or multipart fields all land in one object. Body wins over path, path over query.
 */
export function mergeParams(req: ConcordRequest): Record<string, unknown> {
  if (req.mergedParams) return req.mergedParams;
  const body: unknown = req.body;
  const fromBody = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
  const merged: Record<string, unknown> = Object.assign(
    Object.create(null) as Record<string, unknown>,
    req.query as Record<string, unknown>,
    req.params,
    fromBody,
  );
  req.mergedParams = merged;
  return merged;
}
