import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { CookieOptions, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { ReplyOutcome, SeeOther, type ReplyOptions } from '#src/common/dialect/reply-outcome.js';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import { localeOf } from '#src/common/http/locale.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { envelopeOf } from '#src/dialects/dialect.js';
import { DIALECTS } from '#src/dialects/index.js';

/**
 * Turns a controller's plain result into the dialect's answer: the success envelope (its variant, extra fields), or
 * for HTML routes the page. A ReplyOutcome's cookies and redirect are applied here, so controllers never touch the
 * response. Controllers never build envelopes.
 */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  private readonly cookieDefaults: CookieOptions;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.cookieDefaults = { httpOnly: true, sameSite: 'lax', secure: config.isProduction, path: '/' };
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<ConcordRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const route = req.concord;
    if (!route?.dialect || route.reply?.raw) return next.handle();
    const dialect = DIALECTS[route.dialect];
    const reply = route.reply;
    if (reply?.html) {
      return next.handle().pipe(
        map((result: unknown) => {
          const page = result instanceof ReplyOutcome ? this.apply(res, result.options, result.data) : result;
          if (!(page instanceof SeeOther)) res.type('html');
          return page;
        }),
      );
    }
    const envelope = envelopeOf(dialect, reply?.variant);
    const code = reply?.success?.code ?? envelope.successCode ?? dialect.success.code;
    const message = reply?.success?.message ?? dialect.success.message[localeOf(req, route.dialect)];
    return next.handle().pipe(
      map((result: unknown) => {
        if (!(result instanceof ReplyOutcome)) return envelope.wrapSuccess(result, { code, message });
        const { options } = result;
        this.apply(res, options, undefined);
        return envelope.wrapSuccess(
          result.data,
          { code: options.code ?? code, message: options.message ?? message },
          options.fields,
        );
      }),
    );
  }

  /** Cookies and redirect of an outcome; answers the body to send. */
  private apply(res: Response, options: ReplyOptions, body: unknown): unknown {
    for (const name of options.clearCookies ?? []) res.clearCookie(name, this.cookieDefaults);
    for (const cookie of options.setCookies ?? []) {
      res.cookie(cookie.name, cookie.value, { ...this.cookieDefaults, maxAge: cookie.maxAgeMs });
    }
    return options.redirectTo === undefined ? body : new SeeOther(options.redirectTo);
  }
}
