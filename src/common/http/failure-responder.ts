import { HttpException } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { DomainError, httpStatusOf, type DomainErrorCode } from '#src/common/errors/domain-error.js';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import type { DialectResolver } from '#src/common/http/dialect-resolver.js';
import { localeOf } from '#src/common/http/locale.js';
import { DIALECTS } from '#src/dialects/index.js';

/** Maps anything thrown to a domain code; what is not recognised is a crash. */
export function domainCodeOf(exception: unknown): DomainErrorCode {
  if (exception instanceof DomainError) return exception.code;
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
  // body-parser and multer errors carry `status`/`statusCode` or a multer `code`.
  if (exception && typeof exception === 'object') {
    const e = exception as { status?: unknown; statusCode?: unknown; code?: unknown; name?: unknown };
    if (e.name === 'MulterError') return e.code === 'LIMIT_FILE_SIZE' ? 413 : 400;
    const status = typeof e.status === 'number' ? e.status : e.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 600) return status;
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
      this.logger.error({ err: exception, reqId: req.id }, 'unhandled error');
    }
    if (res.headersSent) return;
    const dialectName = req.concord?.dialect ?? this.resolver.fromPath(req.path);
    const status = httpStatusOf(domainCode);
    if (!dialectName) {
      res
        .status(status)
        .json({
          error: { code: domainCode, message: plainMessage(exception, domainCode) },
          requestId: req.id,
        });
      return;
    }
    const dialect = DIALECTS[dialectName];
    const reply = req.concord?.reply;
    const override = reply?.dialect === dialectName ? reply.overrides?.[domainCode] : undefined;
    const code = override?.code ?? dialect.errors[domainCode];
    const message = override?.message ?? dialect.messages[code][localeOf(req, dialectName)];
    res.status(status).json(dialect.wrapFailure({ code, message }, reply?.variant));
  }
}

function plainMessage(exception: unknown, code: DomainErrorCode): string {
  if (code === 'INTERNAL') return 'Internal server error';
  if (exception instanceof DomainError || exception instanceof HttpException) return exception.message;
  return code;
}
