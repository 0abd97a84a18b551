import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import { FailureResponder } from '#src/common/http/failure-responder.js';

/** Every failure of every route (and unknown routes) leaves through here, in the dialect's envelope. */
@Catch()
export class DialectExceptionFilter implements ExceptionFilter {
  constructor(private readonly responder: FailureResponder) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.responder.respond(exception, http.getRequest<ConcordRequest>(), http.getResponse<Response>());
  }
}
