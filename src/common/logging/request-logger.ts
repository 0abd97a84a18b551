import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stdSerializers, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { redactUrl } from '#src/common/logging/redact.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * One JSON line per request with a request id (taken from a sane `X-Request-Id`, else generated, and echoed back).
 * Headers and bodies are not logged at all; the URL is logged only after redaction.
 */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req) => req.url === '/health' },
    // A crash is logged once, at error level, by the failure responder; its access line is only a warning.
    customLogLevel(_req, res, err) {
      if (err) return 'error';
      if (res.statusCode >= 500) return 'warn';
      return 'info';
    },
    // wrapSerializers: false hands these the raw objects, so nothing but what is listed here is ever logged.
    serializers: {
      req: (req: IncomingMessage & { id?: string; originalUrl?: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.originalUrl ?? req.url ?? ''),
        remoteAddress: req.ip ?? req.socket?.remoteAddress,
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      err: stdSerializers.err,
    },
    wrapSerializers: false,
    quietReqLogger: true,
  });
}
