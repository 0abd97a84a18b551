import type { Request } from 'express';
import type { DomainErrorCode } from '#src/common/errors/domain-error.js';
import type { TransportFailureCode } from '#src/common/errors/transport-failure.js';

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
 * One shape of a dialect's JSON answers. Most dialects have one; moretv's login answers `{status, err_msg}` where
 * every other moretv route answers `{status:200, errcode, message}`.
 */
export interface Envelope<C> {
  /** The code this envelope answers success with, where it is not the dialect's (moretv's login: `status` 0). */
  readonly successCode?: C;
  /** `fields`: extra top-level members a route sets beside the payload (mrpyq's friend search `flag`). */
  wrapSuccess(data: unknown, status: ReplyStatus<C>, fields?: Readonly<Record<string, unknown>>): unknown;
  wrapFailure(status: ReplyStatus<C>): unknown;
  successSchema(data: JsonSchema): JsonSchema;
  failureSchema(): JsonSchema;
}

/**
 * One legacy client API: how its bodies look, which codes it documents, where its clients put their token and
 * whether they choose a language. Everything else about a dialect (its routes, its field names, its request checks
 * such as nggirl's signature) lives next to its controllers in the areas.
 *
 * `C` is the dialect's code type, `V` the names of its envelope variants beside the default one.
 */
export interface DialectDefinition<C extends string | number = string | number, V extends string = string> {
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
  /**
   * Whether its clients choose the language of messages with a `locale` parameter (`en`, `en_US`…); the others
   * always answer in Chinese, as their documents do.
   */
  readonly honoursLocale: boolean;
  readonly success: { code: C; message: LocalizedText };
  /** The documented code for each domain failure, unless a route overrides it. */
  readonly errors: Record<DomainErrorCode, C>;
  /**
   * The code for each failure of the transport itself (a bad signature, an unknown operation marker, a refused
   * origin): they are no domain outcome, but a client of this dialect must still get one of its codes.
   */
  readonly transportErrors: Record<TransportFailureCode, C>;
  /** What the dialect's request checks (its guard) may refuse on every route, documented with each route. */
  readonly guardFailures?: readonly TransportFailureCode[];
  /** The message catalogue, keyed by the dialect's own codes. */
  readonly messages: Record<C, LocalizedText>;
  readonly envelope: Envelope<C>;
  readonly variants: Readonly<Record<V, Envelope<C>>>;
  /**
   * The page an HTML route of this dialect answers when it fails before it could render its own (a crash, a
   * missing session, a refused origin). Escaped text only: `message` is a catalogue text. `mount` is where the
   * dialect is served (`DIALECT_PREFIX_<NAME>`, '' at the root), for the page's links.
   */
  errorPage?(status: ReplyStatus<C>, locale: Locale, mount: string): string;
  /** Where this dialect's clients put the access token. */
  extractToken(req: Request, params: Record<string, unknown>): string | undefined;
}

/** Any dialect, as the pipeline handles them side by side. */
export type AnyDialect = DialectDefinition<string | number, string>;

/** The envelope a route answers in: its variant, or the dialect's default. */
export function envelopeOf<C extends string | number>(
  dialect: DialectDefinition<C, string>,
  variant: string | undefined,
): Envelope<C> {
  if (variant === undefined) return dialect.envelope;
  const envelope = (dialect.variants as Record<string, Envelope<C> | undefined>)[variant];
  if (!envelope) throw new Error(`dialect ${dialect.name} has no envelope variant "${variant}"`);
  return envelope;
}

/** A string parameter, whatever transport brought it; arrays and objects are not tokens. */
export function stringParam(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}
