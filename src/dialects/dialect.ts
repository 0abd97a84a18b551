import type { Request } from 'express';
import type { DomainErrorCode } from '#src/common/errors/domain-error.js';

export const DIALECT_NAMES = ['nuzzle', 'moretv', 'mrpyq', 'nggirl', 'xiaoma'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

export function isDialectName(value: string): value is DialectName {
  return (DIALECT_NAMES as readonly string[]).includes(value);
}

export type Locale = 'zh' | 'en';

export interface LocalizedText {
  zh: string;
  en: string;
}

/** The code and message a reply carries, already resolved for one request. */
export interface ReplyStatus<C> {
  code: C;
  message: string;
}

/** A JSON schema fragment, as OpenAPI 3 writes it. */
export type JsonSchema = Record<string, unknown>;

/**
 * One legacy client API: how its bodies look and which codes it documents. Everything else about a dialect (its
 * routes, its field names) lives next to its controllers in the areas.
 */
export interface DialectDefinition<C extends string | number = string | number> {
  readonly name: DialectName;
  readonly title: string;
  readonly document: string;
  /**
   * Documented path prefixes. A request that matched no route is answered in the dialect of the longest prefix
   * it starts with (`/user/login` is moretv's, `/user/profile` nuzzle's).
   */
  readonly pathPrefixes: readonly string[];
  /** Whether paths match case-insensitively (PHP-era routers did). */
  readonly caseInsensitivePaths?: boolean;
  readonly success: { code: C; message: LocalizedText };
  /** The documented code for each domain failure, unless a route overrides it. */
  readonly errors: Record<DomainErrorCode, C>;
  /** The message catalogue, keyed by the dialect's own codes. */
  readonly messages: Record<C, LocalizedText>;
  wrapSuccess(data: unknown, status: ReplyStatus<C>, variant?: string): unknown;
  wrapFailure(status: ReplyStatus<C>, variant?: string): unknown;
  /** Where this dialect's clients put the access token. */
  extractToken(req: Request, params: Record<string, unknown>): string | undefined;
  successSchema(data: JsonSchema, variant?: string): JsonSchema;
  failureSchema(variant?: string): JsonSchema;
}

export function messageFor<C extends string | number>(
  dialect: DialectDefinition<C>,
  code: C,
  locale: Locale,
): string {
  const text = dialect.messages[code];
  return text[locale];
}

/** A string parameter, whatever transport brought it; arrays and objects are not tokens. */
export function stringParam(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
