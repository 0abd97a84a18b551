import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { ReplyOutcome } from '#src/common/dialect/reply-outcome.js';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import { localeOf } from '#src/common/http/locale.js';
import { DIALECTS } from '#src/dialects/index.js';

/** Wraps a controller's plain result in its dialect's success envelope. Controllers never build envelopes. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<ConcordRequest>();
    const route = req.concord;
    if (!route?.dialect || route.reply?.raw) return next.handle();
    const dialect = DIALECTS[route.dialect];
    const reply = route.reply;
    const code = reply?.success?.code ?? dialect.success.code;
    const message = reply?.success?.message ?? dialect.success.message[localeOf(req, route.dialect)];
    return next
      .handle()
      .pipe(
        map((result: unknown) =>
          result instanceof ReplyOutcome
            ? dialect.wrapSuccess(
                result.data,
                { code: result.status.code ?? code, message: result.status.message ?? message },
                reply?.variant,
              )
            : dialect.wrapSuccess(result, { code, message }, reply?.variant),
        ),
      );
  }
}
