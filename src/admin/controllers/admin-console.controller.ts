import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CONSOLE_PAGE } from '#src/admin/console/admin-console.page.js';
import { Public } from '#src/common/dialect/public.decorator.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';

/** Express answers 304 itself when a request's If-None-Match carries this tag (the app computes no ETags). */
const entityTag = (body: string) => `"${createHash('sha1').update(body).digest('base64url')}"`;

/**
 * A file of the build, read once. The package's `imports` map sends `#src/` to dist/, where `npm run build` puts the
 * browser script (compiled by its own DOM tsconfig) and the style sheet; under jest too, which builds first.
 */
function builtAsset(specifier: string): { body: string; tag: string } {
  const body = readFileSync(fileURLToPath(import.meta.resolve(specifier)), 'utf8');
  return { body, tag: entityTag(body) };
}

/**
 * The reviewers' web console: one static page with its script and style sheet, all public (they hold no data; the
 * script signs in and calls the JSON API beside them like any client). Nothing outside the app may be loaded, run,
 * framed or posted to; certificate images are private, fetched with the token and shown as blob: URLs.
 */
@ApiExcludeController()
@Public()
@Controller('admin')
export class AdminConsoleController {
  private readonly headers: Record<string, string>;
  private readonly scriptFile = builtAsset('#src/admin/console/browser/console.js');
  private readonly styleFile = builtAsset('#src/admin/console/browser/console.css');

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
      ETag: this.scriptFile.tag,
    });
    return this.scriptFile.body;
  }

  @Get('console.css')
  style(@Res({ passthrough: true }) res: Response): string {
    res.set({
      ...this.headers,
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'no-cache',
      ETag: this.styleFile.tag,
    });
    return this.styleFile.body;
  }
}
