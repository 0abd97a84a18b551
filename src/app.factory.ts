import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import type { Logger } from 'pino';
import { AppModule } from '#src/app.module.js';
import { applyDialectPrefixes } from '#src/common/dialect/dialect-prefix.js';
import type { Clock } from '#src/common/time/clock.js';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import { ConcordExpressAdapter } from '#src/common/http/concord-express.adapter.js';
import { DialectResolver } from '#src/common/http/dialect-resolver.js';
import { FailureResponder } from '#src/common/http/failure-responder.js';
import { PinoNestLogger } from '#src/common/logging/logger.js';
import { requestLogger } from '#src/common/logging/request-logger.js';
import { type RouterLayer, staticRouteIndex } from '#src/common/http/static-route-index.js';
import type { AppConfig } from '#src/config/app-config.js';
import { setupSwagger } from '#src/docs/swagger.js';

export interface CreateAppOptions {
  logger: Logger;
  /** Serve Swagger UI at /docs (on by default). */
  docs?: boolean;
  clock?: Clock;
  /** Build the module graph without connecting anything (OpenAPI generation). */
  preview?: boolean;
}

/**
 * Builds the whole HTTP application: body parsing whose failures answer in the request's dialect, request logs,
 * proxy trust, the dialect pipeline and Swagger. `main.ts`, the e2e suites and the OpenAPI generator all use it.
 */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions,
): Promise<NestExpressApplication> {
  const { logger } = options;
  const responder = new FailureResponder(new DialectResolver(config), logger);
  const appModule = AppModule.forRoot({ config, logger, responder, clock: options.clock });
  applyDialectPrefixes(config);
  const app = await NestFactory.create<NestExpressApplication>(appModule, new ConcordExpressAdapter(), {
    bodyParser: false,
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    abortOnError: false,
    preview: options.preview ?? false,
  });
  if (options.preview) return app;

  // X-Forwarded-For counts only from TRUSTED_PROXIES; otherwise the socket address is the client.
  app.set('trust proxy', config.http.trustedProxies.length > 0 ? config.http.trustedProxies : false);
  app.disable('x-powered-by');
  // No ETag computed over every JSON answer (a SHA-1 per response on the hot path): the legacy clients never
  // revalidate. The few static assets that want revalidation set their own (the admin console).
  app.set('etag', false);
  app.use(requestLogger(logger));

  const limit = config.http.bodyLimit;
  const json = express.json({ limit, type: ['application/json', 'application/*+json', 'text/json'] });
  const urlencoded = express.urlencoded({ limit, extended: false, parameterLimit: 1000 });
  const multipart = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: config.http.uploadMaxBytes, files: 5, fields: 100, fieldSize: limit },
  }).any();
  // One layer for all body types, and nothing at all for the body-less requests that dominate (GET with a token).
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) next();
    else if (req.is('multipart/form-data')) multipart(req, res, next);
    else if (req.is('application/x-www-form-urlencoded')) urlencoded(req, res, next);
    else json(req, res, next);
  });
  // Errors of the parsers above (malformed JSON, a body over the limit) arrive here before any route matched.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    responder.respond(error, req as ConcordRequest, res);
  });

  // Requests for a literal path go straight to their route instead of trying every route registered before it.
  const instance = app.getHttpAdapter().getInstance() as unknown as { router: { stack: RouterLayer[] } };
  app.use(staticRouteIndex(() => instance.router.stack));

  // Uploaded media, read-only: no directory listing, no dotfiles, and never sniffed into another type by browsers.
  app.use(
    '/media',
    express.static(config.media.dir, {
      index: false,
      dotfiles: 'deny',
      fallthrough: true,
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
    }),
  );

  if (options.docs !== false) setupSwagger(app, config);
  return app;
}
