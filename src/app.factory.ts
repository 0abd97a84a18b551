import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import multer from 'multer';
import type { Logger } from 'pino';
import { AppModule, type AppModuleOptions } from '#src/app.module.js';
import { OperationRouter } from '#src/common/dialect/operation-router.js';
import { applyDialectPrefixes } from '#src/common/dialect/dialect-prefix.js';
import type { Clock } from '#src/common/time/clock.js';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import { ConcordExpressAdapter } from '#src/common/http/concord-express.adapter.js';
import { DialectResolver } from '#src/common/http/dialect-resolver.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { requestBounds } from '#src/common/http/request-bounds.js';
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
  extraImports?: AppModuleOptions['extraImports'];
  /** Told of every failure a dialect route answers (the e2e run records which documented codes were reached). */
  onFailure?: FailureResponder['onFailure'];
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
  responder.onFailure = options.onFailure;
  const appModule = AppModule.forRoot({
    config,
    logger,
    responder,
    clock: options.clock,
    extraImports: options.extraImports,
  });
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
  app.use(securityHeaders(config));

  const limit = config.http.bodyLimit;
  const json = express.json({ limit, type: ['application/json', 'application/*+json', 'text/json'] });
  const urlencoded = express.urlencoded({
    limit,
    extended: false,
    parameterLimit: config.http.bounds.maxParams,
  });
  const multipart = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: config.http.uploadMaxBytes, files: 5, fields: 100, fieldSize: limit },
  }).any();
  // One layer for all body types, and nothing at all for the body-less requests that dominate (GET with a token).
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) next();
    else if (req.is('multipart/form-data'))
      multipart(req, res, (error?: unknown) => next(multipartFailure(error)));
    else if (req.is('application/x-www-form-urlencoded')) {
      urlencoded(req, res, (error?: unknown) => next(tooManyParameters(error) ?? error));
    } else json(req, res, next);
  });
  app.use(requestBounds(config.http.bounds));
  // moretv's browser session and its pages' language switch travel in cookies.
  app.use(cookieParser());
  // Shared paths (mrpyq's `/friend?search=1`) are routed to their operation's own handler before Nest routes.
  app.use(app.get(OperationRouter).middleware);
  // Errors of the parsers above (malformed JSON, a body over the limit, parameters out of bounds) arrive here
  // before any route matched.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    responder.respond(error, req as ConcordRequest, res);
  });

  // Requests for a literal path go straight to their route instead of trying every route registered before it.
  const instance = app.getHttpAdapter().getInstance() as unknown as { router: { stack: RouterLayer[] } };
  app.use(staticRouteIndex(() => instance.router.stack));

  // Uploaded media, read-only: no directory listing or redirect, no dotfiles, and never sniffed into another type by
  // browsers. Anything that is not a stored file falls through to the router's 404.
  app.use(
    '/media',
    express.static(config.media.dir, {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      fallthrough: true,
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
    }),
  );

  if (options.docs !== false) setupSwagger(app, config);
  return app;
}

/**
 * A malformed multipart body (no boundary, a boundary that does not match, a truncated body, a bad part header) is
 * the client's parameter error, never a crash. Multer's own limit errors keep their meaning (413 for a file too
 * large).
 */
function multipartFailure(error: unknown): unknown {
  if (error === undefined || error === null) return undefined;
  if (error instanceof Error && error.name === 'MulterError') return error;
  return new DomainError('INVALID_PARAMS', 'malformed multipart body', {
    reason: error instanceof Error ? error.message : typeof error,
  });
}

/** body-parser answers too many urlencoded fields with 413; it is a parameter error like any other bound. */
function tooManyParameters(error: unknown): DomainError | undefined {
  return (error as { type?: unknown } | undefined)?.type === 'parameters.too.many'
    ? new DomainError('INVALID_PARAMS', 'request parameters out of bounds: too many form fields')
    : undefined;
}

/**
 * Headers every answer carries (helmet): no MIME sniffing, no framing, a CSP that Swagger UI works under (its
 * script is a file of its own; it styles elements inline and shows data: images). Pages with their own policy
 * (the admin console, the reset page) set a stricter one. Answers are not stored by caches: most carry a token or
 * personal data; static files (media, the console's script) set their own caching.
 */
function securityHeaders(config: AppConfig) {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Media are fetched by apps and by pages of other origins (an avatar in a web client).
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: config.isProduction,
    xFrameOptions: { action: 'deny' },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    headers(req, res, next);
  };
}
