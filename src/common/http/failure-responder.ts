import { HttpException } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { DomainError, httpStatusOf, type DomainErrorCode } from '#src/common/errors/domain-error.js';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import type { DialectResolver } from '#src/common/http/dialect-resolver.js';
import { localeOf } from '#src/common/http/locale.js';
import { TransportFailure } from '#src/common/errors/transport-failure.js';
import type { FailureCode } from '#src/common/dialect/reply.decorator.js';
import { envelopeOf, type AnyDialect, type Locale } from '#src/dialects/dialect.js';
import { DIALECTS } from '#src/dialects/index.js';

/** Maps anything thrown to a domain code; what is not recognised is a crash. */
export function domainCodeOf(exception: unknown): DomainErrorCode {
  if (exception instanceof DomainError) return exception.code;
  // A transport failure answers like a refused parameter (HTTP 200 in the legacy envelope, with its own code).
  if (exception instanceof TransportFailure) return 'INVALID_PARAMS';
  const status = statusOf(exception);
  if (status === undefined) return 'INTERNAL';
  if (status === 404 || status === 405) return 'ROUTE_NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 400 && status < 500) return 'INVALID_PARAMS';
  return 'INTERNAL';
}

function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  // body-parser errors are http-errors marked `expose` (the client caused them); multer's carry a `code`. Any other
  // object with a status (an upstream HTTP client's error, say) is our failure, not the client's.
  if (exception && typeof exception === 'object') {
    const e = exception as {
      status?: unknown;
      statusCode?: unknown;
      code?: unknown;
      name?: unknown;
      expose?: unknown;
    };
    if (e.name === 'MulterError') return e.code === 'LIMIT_FILE_SIZE' ? 413 : 400;
    const status = typeof e.status === 'number' ? e.status : e.statusCode;
    if (e.expose === true && typeof status === 'number' && status >= 400 && status < 500) return status;
  }
  return undefined;
}

/**
 * Writes the failure of one request in its dialect's envelope. Used by the global exception filter and by the
 * error handler behind the body parsers, which runs before any route matched.
 */
export class FailureResponder {
  constructor(
    private readonly resolver: DialectResolver,
    private readonly logger: Logger,
  ) {}

  respond(exception: unknown, req: ConcordRequest, res: Response): void {
    const domainCode = domainCodeOf(exception);
    if (domainCode === 'INTERNAL') {
      // Logged once, here, with the request id; the client sees only the dialect's generic server error.
      this.logger.error({ err: loggable(exception), reqId: req.id }, 'unhandled error');
    }
    if (res.headersSent) return;
    const dialectName = req.concord?.dialect ?? this.resolver.fromPath(req.path);
    const status = httpStatusOf(domainCode);
    if (!dialectName) {
      res.status(plainHttpStatusOf(domainCode)).json({
        error: { code: domainCode, message: plainMessage(exception, domainCode) },
        requestId: req.id,
      });
      return;
    }
    const dialect = DIALECTS[dialectName];
    const reply = req.concord?.reply?.dialect === dialectName ? req.concord.reply : undefined;
    const failure: FailureCode = exception instanceof TransportFailure ? exception.code : domainCode;
    const locale = localeOf(req, dialectName);
    const { code, message } = failureStatus(dialect, failure, reply?.overrides?.[failure], locale, exception);
    this.onFailure?.(req, failure);
    if (reply?.html && dialect.errorPage) {
      res
        .status(status)
        .type('html')
        .send(dialect.errorPage({ code, message }, locale, this.resolver.mountOf(dialectName)));
      return;
    }
    res.status(status).json(envelopeOf(dialect, reply?.variant).wrapFailure({ code, message }));
  }

  /** Called with every failure a dialect route answers: the e2e run records which documented codes were reached. */
  onFailure?: (req: ConcordRequest, failure: FailureCode) => void;
}

/** The dialect's code and message for a failure: the route's override, else its table; a transport reason appended. */
function failureStatus(
  dialect: AnyDialect,
  failure: FailureCode,
  override: { code?: string | number; message?: string } | undefined,
  locale: Locale,
  exception: unknown,
): { code: string | number; message: string } {
  const code =
    override?.code ??
    (exception instanceof TransportFailure
      ? dialect.transportErrors[exception.code]
      : dialect.errors[failure as DomainErrorCode]);
  let message = override?.message ?? dialect.messages[code][locale];
  if (exception instanceof TransportFailure && exception.reason) {
    message = `${message}${locale === 'zh' ? '：' : ': '}${exception.reason[locale]}`;
  }
  return { code, message };
}

/**
 * A failed query carries its bound parameters (password hashes, token digests), and a PostgreSQL error — TypeORM's
 * wrapped one or pg's own on the hot paths — its `detail`/`where` with the offending values (a unique violation
 * names the email): the crash log keeps the SQL text, SQLSTATE and stack, never the values.
 */
const VALUE_FIELDS = ['parameters', 'driverError', 'detail', 'where', 'internalQuery'] as const;

function loggable(exception: unknown): unknown {
  if (!(exception instanceof Error)) return exception;
  if (!VALUE_FIELDS.some((field) => field in exception)) return exception;
  const fields: Record<string, unknown> = { ...(exception as Error & Record<string, unknown>) };
  for (const field of VALUE_FIELDS) delete fields[field];
  const copy = Object.create(Object.getPrototypeOf(exception) as object) as Error;
  return Object.assign(copy, fields, { message: exception.message, stack: exception.stack });
}

/**
 * Routes outside any dialect (health, /dev/outbox, unknown paths) answer plain JSON to clients that read the status
 * line, so a refused request is a 4xx there, not the legacy 200 of `httpStatusOf`.
 */
function plainHttpStatusOf(code: DomainErrorCode): number {
  switch (code) {
    case 'INVALID_PARAMS':
      return 400;
    case 'UNAUTHENTICATED':
    case 'BAD_CREDENTIALS':
      return 401;
    case 'FORBIDDEN':
    case 'ACCOUNT_DISABLED':
      return 403;
    case 'ROUTE_NOT_FOUND':
    case 'USER_NOT_FOUND':
    case 'NOT_FOUND':
      return 404;
    case 'ACCOUNT_EXISTS':
    case 'INSUFFICIENT_COINS':
    case 'ALREADY_PURCHASED':
    case 'CONFLICT':
      return 409;
    case 'CODE_EXPIRED':
      return 410;
    case 'PAYLOAD_TOO_LARGE':
    case 'FILE_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA':
      return 415;
    case 'NICKNAME_INVALID':
    case 'CODE_INVALID':
    case 'IDENTITY_INVALID':
    case 'IDENTITY_REJECTED':
      return 422;
    case 'ACCOUNT_LOCKED':
    case 'RATE_LIMITED':
    case 'CODE_ATTEMPTS_EXCEEDED':
      return 429;
    case 'INTERNAL':
      return 500;
    case 'UPSTREAM_FAILED':
      return 502;
  }
}

function plainMessage(exception: unknown, code: DomainErrorCode): string {
  if (code === 'INTERNAL') return 'Internal server error';
  if (exception instanceof DomainError || exception instanceof HttpException) return exception.message;
  return code;
}
