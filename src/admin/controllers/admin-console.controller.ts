import { createHash } from 'node:crypto';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CONSOLE_PAGE } from '#src/admin/console/admin-console.page.js';
import { CONSOLE_SCRIPT } from '#src/admin/console/admin-console.script.js';
import { CONSOLE_STYLE } from '#src/admin/console/admin-console.style.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';

/**
 * The reviewers' web console: one static page with its script and style sheet, all public (they hold no data; the
 * script signs in and calls the JSON API beside them like any client). Nothing outside the app may be loaded, run,
 * framed or posted to; certificate images are private, fetched with the token and shown as blob: URLs.
 */
/** Express answers 304 itself when a request's If-None-Match carries this tag (the app computes no ETags). */
const entityTag = (body: string) => `"${createHash('sha1').update(body).digest('base64url')}"`;
const SCRIPT_TAG = entityTag(CONSOLE_SCRIPT);
const STYLE_TAG = entityTag(CONSOLE_STYLE);

@ApiExcludeController()
@Controller('admin')
export class AdminConsoleController {
  private readonly headers: Record<string, string>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // Reported feeds show their pictures and videos from where storage serves them (this host, or a bucket/CDN).
    const media = [config.http.publicBaseUrl, config.content.storage.s3.publicBaseUrl]
      .filter(Boolean)
      .map((url) => new URL(url).origin)
      .join(' ');
    this.headers = {
      'Content-Security-Policy': [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        `img-src 'self' blob: ${media}`,
        `media-src 'self' ${media}`,
        "form-action 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    };
  }

  @Get(['', '/'])
  page(@Res({ passthrough: true }) res: Response): string {
    res.set({ ...this.headers, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    return CONSOLE_PAGE;
  }

  /** The script and style sheet may be kept, but are checked again each time (by ETag) so a deploy shows at once. */
  @Get('console.js')
  script(@Res({ passthrough: true }) res: Response): string {
    res.set({
      ...this.headers,
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
      ETag: SCRIPT_TAG,
    });
    return CONSOLE_SCRIPT;
  }

  @Get('console.css')
  style(@Res({ passthrough: true }) res: Response): string {
    res.set({
      ...this.headers,
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'no-cache',
      ETag: STYLE_TAG,
    });
    return CONSOLE_STYLE;
  }
}
