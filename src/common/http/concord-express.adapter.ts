import http from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';
import { SeeOther } from '#src/common/dialect/reply-outcome.js';

/**
 * Express's adapter, with one change: Node's HTTP server creates each request and response as an instance of a
 * class whose prototype Express then uses as its own (`app.request`, `app.response`), so every request is born with
 * the prototype Express wants.
 *
 * Why: otherwise Express swaps the prototype of every request and response (`Object.setPrototypeOf` in
 * `app.handle`), and V8 handles objects that change prototype far worse. Measured on a bare Express 5 route: a third
 * of what a request allocated outlived two young-generation collections and was copied to the old generation
 * (none without the swap), each scavenge took several times longer, and the old generation filled within seconds.
 * With the prototypes in place at birth, Express's swap finds nothing to change. Classes, not `Reflect.construct`
 * with another `new.target`: V8 builds those objects on a slow path (a bare server served a quarter as many
 * requests).
 *
 * It also answers a page route's redirect (`SeeOther`, from a ReplyOutcome): Nest's reply would otherwise set the
 * route's fixed status over it.
 */
export class ConcordExpressAdapter extends ExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    if (body instanceof SeeOther) {
      response.redirect(303, body.location);
      return undefined;
    }
    return super.reply(response, body, statusCode);
  }

  override initHttpServer(options: NestApplicationOptions): void {
    // These options have their own server set-up in Nest's adapter, which Concord does not use: keep Nest's.
    if (options?.httpsOptions || options?.forceCloseConnections || options?.return503OnClosing) {
      super.initHttpServer(options);
      return;
    }
    const app = this.getInstance<Express>();
    class ExpressRequest extends http.IncomingMessage {}
    class ExpressResponse extends http.ServerResponse {}
    // Express's methods stay where Express put them, one step up the chain.
    Object.setPrototypeOf(ExpressRequest.prototype, app.request);
    Object.setPrototypeOf(ExpressResponse.prototype, app.response);
    app.request = ExpressRequest.prototype as unknown as Request;
    app.response = ExpressResponse.prototype as unknown as Response;
    this.httpServer = http.createServer(
      { IncomingMessage: ExpressRequest, ServerResponse: ExpressResponse },
      app,
    );
  }
}
