import { createHmac } from 'node:crypto';
import type { Request } from 'express';

/** One request parameter as it is signed: its name and its decoded value as text. */
export type SigningParam = readonly [name: string, value: string];

/**
 * How the body's values were sent. In a query string, an urlencoded or a multipart body a repeated name arrives as
 * an array, and each occurrence is a parameter of its own; in a JSON body each top-level member is one parameter,
 * whatever its value.
 */
export type BodyFormat = 'json' | 'form' | 'none';

/** The parameter that carries the signature: never part of the string to sign. */
export const SIGN_PARAM = 'sign';

/**
 * The value of a JSON member that is not a string, as signed: its JSON text as `JSON.stringify` writes it (no
 * spaces, members in the order sent, non-ASCII characters as they are). `cosmeticsInfo` sent as a JSON array signs
 * as `[{"cosmeticsClass":"粉底液","cosmeticsBrand":["Dior迪奥"]}]`; a number as `1427814380`; `true`; `null`.
 */
export function renderJsonValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  // Parsed parameters hold no functions or symbols: only undefined has no JSON text.
  return value === undefined ? undefined : JSON.stringify(value);
}

function addRepeatable(out: SigningParam[], source: unknown): void {
  if (source === null || typeof source !== 'object') return;
  for (const [name, value] of Object.entries(source)) {
    const occurrences: unknown[] = Array.isArray(value) ? value : [value];
    for (const occurrence of occurrences) {
      // Flat parsers only give strings; anything else (multipart's `a[b]` nesting) is signed as its JSON text,
      // which a client cannot reproduce: such field names are not part of the contract.
      const text = renderJsonValue(occurrence);
      if (text !== undefined) out.push([name, text]);
    }
  }
}

/** The parameters of a request as signed, from its parsed query string and body. Files are never parameters. */
export function signingParams(input: {
  query?: unknown;
  body?: unknown;
  bodyFormat: BodyFormat;
}): SigningParam[] {
  const out: SigningParam[] = [];
  addRepeatable(out, input.query);
  switch (input.bodyFormat) {
    case 'form':
      addRepeatable(out, input.body);
      break;
    case 'json': {
      const body = input.body;
      // A JSON body that is not an object carries no parameters (the routes read none from it either).
      if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
        for (const [name, value] of Object.entries(body)) {
          const text = renderJsonValue(value);
          if (text !== undefined) out.push([name, text]);
        }
      }
      break;
    }
    case 'none':
      break;
  }
  return out;
}

/**
 * The parameters an Express request carries, as signed: query string, then the urlencoded, multipart (fields only)
 * or JSON body. Path parameters are not included: the nggirl paths are literal.
 */
export function signingParamsOfRequest(req: Request): SigningParam[] {
  const hasBody = req.body !== undefined && req.body !== null;
  const form = hasBody && Boolean(req.is(['multipart/form-data', 'application/x-www-form-urlencoded']));
  return signingParams({
    query: req.query,
    body: req.body as unknown,
    bodyFormat: !hasBody ? 'none' : form ? 'form' : 'json',
  });
}

/**
 * The string to sign: every parameter but `sign`, sorted by name in byte order (UTF-8) and, for a repeated name, by
 * value, each as `name=value` with the decoded value, joined with `&`. Nothing is escaped.
 */
export function canonicalString(params: readonly SigningParam[]): string {
  return params
    .filter(([name]) => name !== SIGN_PARAM)
    .map(([name, value]) => ({ name, value, nameBytes: Buffer.from(name), valueBytes: Buffer.from(value) }))
    .sort((a, b) => Buffer.compare(a.nameBytes, b.nameBytes) || Buffer.compare(a.valueBytes, b.valueBytes))
    .map(({ name, value }) => `${name}=${value}`)
    .join('&');
}

/** `sign`: lowercase hex HMAC-SHA256 of the string to sign, keyed with the app's secret (its UTF-8 bytes). */
export function signCanonicalString(secret: string, canonical: string): string {
  return createHmac('sha256', secret).update(canonical, 'utf8').digest('hex');
}
