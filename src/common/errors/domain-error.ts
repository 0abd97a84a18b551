/**
 * The closed set of failures the domain can report. Every dialect maps each of these to one of its documented
 * codes in a `Record<DomainErrorCode, …>`, so adding a code here fails the build until every dialect decides.
 */
export const DOMAIN_ERROR_CODES = [
  /** A parameter is missing, malformed or of the wrong type; also a malformed request body. */
  'INVALID_PARAMS',
  /** No token, or a token whose session is expired, revoked or unknown. */
  'UNAUTHENTICATED',
  /** Authenticated but not allowed to do this. */
  'FORBIDDEN',
  /** No route answers this method and path. */
  'ROUTE_NOT_FOUND',
  /** The request body exceeds the configured limit. */
  'PAYLOAD_TOO_LARGE',
  /** Too many requests from this client or for this recipient. */
  'RATE_LIMITED',
  /** Anything unexpected. Never carries details to the client. */
  'INTERNAL',
  'USER_NOT_FOUND',
  'ACCOUNT_EXISTS',
  /** The account is banned by an operator. */
  'ACCOUNT_DISABLED',
  /** Too many failed sign-ins: the account is locked for this client for a while. */
  'ACCOUNT_LOCKED',
  'NICKNAME_INVALID',
  /** Wrong password, or an account that does not exist (deliberately indistinguishable at sign-in). */
  'BAD_CREDENTIALS',
  /** A verification code that does not match. */
  'CODE_INVALID',
  /** A verification code that expired, was used, or was burned by too many wrong tries. */
  'CODE_EXPIRED',
  'CODE_ATTEMPTS_EXCEEDED',
  'INSUFFICIENT_COINS',
  'ALREADY_PURCHASED',
  /** An upload whose content is not an accepted format (checked by its bytes). */
  'UNSUPPORTED_MEDIA',
  'FILE_TOO_LARGE',
  /** An external provider (SMS, streaming, verification) refused or failed. */
  'UPSTREAM_FAILED',
  /** An identity document number that cannot be real (format, birth date, check character). */
  'IDENTITY_INVALID',
  /** A real-name check that came back negative: the name and the number do not belong together. */
  'IDENTITY_REJECTED',
  /** A thing the request names by id (a review, an order) does not exist. */
  'NOT_FOUND',
  /** The thing is in a state that forbids this, e.g. a review someone already decided. */
  'CONFLICT',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message?: string,
    /** Safe, client-independent detail for logs (never secrets). */
    readonly detail?: Record<string, unknown>,
  ) {
    super(message ?? code);
    this.name = 'DomainError';
  }
}

/**
 * Legacy clients read the body, not the status line: documented business errors answer 200 with the error
 * envelope. Only failures a client cannot have caused by a documented business rule keep a meaningful status.
 */
export function httpStatusOf(code: DomainErrorCode): number {
  switch (code) {
    case 'INTERNAL':
      return 500;
    case 'ROUTE_NOT_FOUND':
      return 404;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'RATE_LIMITED':
      return 429;
    case 'INVALID_PARAMS':
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'USER_NOT_FOUND':
    case 'ACCOUNT_EXISTS':
    case 'ACCOUNT_DISABLED':
    case 'ACCOUNT_LOCKED':
    case 'NICKNAME_INVALID':
    case 'BAD_CREDENTIALS':
    case 'CODE_INVALID':
    case 'CODE_EXPIRED':
    case 'CODE_ATTEMPTS_EXCEEDED':
    case 'INSUFFICIENT_COINS':
    case 'ALREADY_PURCHASED':
    case 'UNSUPPORTED_MEDIA':
    case 'FILE_TOO_LARGE':
    case 'UPSTREAM_FAILED':
    case 'IDENTITY_INVALID':
    case 'IDENTITY_REJECTED':
    case 'NOT_FOUND':
    case 'CONFLICT':
      return 200;
  }
}
