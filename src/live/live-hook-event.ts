import { DomainError } from '#src/common/errors/domain-error.js';

/** What a media server's callback asks or reports, whichever server sent it. */
export interface LiveHookEvent {
  /** nginx-rtmp posts forms and keeps confirming a publish (on_update); SRS posts JSON and does not. */
  server: 'nginx' | 'srs';
  /** `ignored`: a call Concord has no business with (play, connect…), answered with an allow. */
  kind: 'publish' | 'update' | 'publish_done' | 'ignored';
  app: string;
  streamKey: string;
  /** The `key` the publisher put in its URL's query; '' when absent. */
  publishKey: string;
}

const NGINX_CALLS: Record<string, LiveHookEvent['kind']> = {
  publish: 'publish',
  update_publish: 'update',
  publish_done: 'publish_done',
};
const SRS_ACTIONS: Record<string, LiveHookEvent['kind']> = {
  on_publish: 'publish',
  on_unpublish: 'publish_done',
};

const invalid = (field: string) =>
  new DomainError('INVALID_PARAMS', 'malformed media server callback', { fields: [field] });

/**
 * A field that must be there once. nginx-rtmp appends the publisher's own query string to its form unescaped, so a
 * publisher can add a second `name=` or `call=`; a field given twice is refused rather than guessed at.
 */
function single(body: Record<string, unknown>, field: string, required = true): string {
  const value = body[field];
  if (value === undefined && !required) return '';
  if (typeof value !== 'string') throw invalid(field);
  return value;
}

/** The publisher's `key` from SRS's `param` (`?key=…&…`); refused when given twice. */
function keyFromParam(param: string): string {
  const keys = new URLSearchParams(param.replace(/^\?/, '')).getAll('key');
  if (keys.length > 1) throw invalid('param');
  return keys[0] ?? '';
}

/**
 * Reads nginx-rtmp's form-encoded notifications (`call`, `app`, `name`, the publisher's query as further fields)
 * and SRS's JSON hooks (`action`, `app`, `stream`, `param`). Throws INVALID_PARAMS for anything else.
 */
export function parseLiveHookEvent(body: unknown): LiveHookEvent {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body');
  const fields = body as Record<string, unknown>;
  if ('action' in fields) {
    const action = single(fields, 'action');
    const kind = Object.hasOwn(SRS_ACTIONS, action) ? SRS_ACTIONS[action] : 'ignored';
    if (kind === 'ignored') return { server: 'srs', kind, app: '', streamKey: '', publishKey: '' };
    return {
      server: 'srs',
      kind,
      app: single(fields, 'app'),
      streamKey: single(fields, 'stream'),
      publishKey: keyFromParam(single(fields, 'param', false)),
    };
  }
  const call = single(fields, 'call');
  const kind = Object.hasOwn(NGINX_CALLS, call) ? NGINX_CALLS[call] : 'ignored';
  if (kind === 'ignored') return { server: 'nginx', kind, app: '', streamKey: '', publishKey: '' };
  return {
    server: 'nginx',
    kind,
    app: single(fields, 'app'),
    streamKey: single(fields, 'name'),
    publishKey: single(fields, 'key', false),
  };
}
