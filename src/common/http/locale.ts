import type { ConcordRequest } from '#src/common/http/concord-request.js';
import type { DialectName, Locale } from '#src/dialects/dialect.js';

/** Dialects whose documents have a `locale` parameter; the others always answer in Chinese, as documented. */
const LOCALE_AWARE: ReadonlySet<DialectName> = new Set(['nuzzle']);

export function localeOf(req: ConcordRequest, dialect: DialectName): Locale {
  if (!LOCALE_AWARE.has(dialect)) return 'zh';
  const query = req.query as Record<string, unknown> | undefined;
  const body = req.body as Record<string, unknown> | undefined;
  const raw = (body && typeof body === 'object' ? body.locale : undefined) ?? query?.locale;
  return typeof raw === 'string' && /^en\b|^en[_-]/i.test(raw) ? 'en' : 'zh';
}
