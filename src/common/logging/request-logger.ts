import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { redactUrl } from '#src/common/logging/redact.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * One JSON line per request with a request id (taken from a sane `X-Request-Id`, else generated, and echoed back).
 * Headers and bodies are not logged at all; the URL is logged only after redaction. Written by hand rather than
 * with pino-http: no child logger or serializer chain per request on the hot path.
 */
export function requestLogger(logger: Logger) {
  return (req: Request & { id?: string }, res: Response, next: NextFunction): void => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    // Nothing is built for a line the level would drop (production often runs at warn).
    if (req.url === '/health' || !logger.isLevelEnabled('warn')) {
      next();
      return;
    }
    const info = logger.isLevelEnabled('info');
    const started = process.hrtime.bigint();
    const line = (finished: boolean) => ({
      reqId: id,
      req: { id, method: req.method, url: redactUrl(req.originalUrl ?? req.url), remoteAddress: req.ip },
      res: { statusCode: res.statusCode },
      responseTime: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      ...(finished ? {} : { aborted: true }),
    });
    res.once('finish', () => {
      // A crash is logged once, at error level, by the failure responder; its access line is only a warning.
      if (res.statusCode >= 500) logger.warn(line(true), 'request completed');
      else if (info) logger.info(line(true), 'request completed');
    });
    res.once('close', () => {
      if (!res.writableFinished) logger.warn(line(false), 'request aborted');
    });
    next();
  };
}
