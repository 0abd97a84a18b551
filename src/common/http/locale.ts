import type { ConcordRequest } from '#src/common/http/concord-request.js';
import type { DialectName, Locale } from '#src/dialects/dialect.js';
import { DIALECTS } from '#src/dialects/index.js';

/**
 * The language of a request's messages: English when its dialect honours a `locale` parameter (query, body, or for
 * browsers a `locale` cookie set by a page's language switch) and the client asks for English; Chinese otherwise.
 */
export function localeOf(req: ConcordRequest, dialect: DialectName): Locale {
  if (!DIALECTS[dialect].honoursLocale) return 'zh';
  const query = req.query as Record<string, unknown> | undefined;
  const body = req.body as Record<string, unknown> | undefined;
  const cookies = req.cookies as Record<string, unknown> | undefined;
  const raw =
    (body && typeof body === 'object' ? body.locale : undefined) ?? query?.locale ?? cookies?.locale;
  return typeof raw === 'string' && /^en\b|^en[_-]/i.test(raw) ? 'en' : 'zh';
}
