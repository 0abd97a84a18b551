import { Controller, Inject, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { Params } from '#src/common/http/params.decorator.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { nuzzle } from '#src/dialects/nuzzle.dialect.js';
import { appSharePage, feedSharePage, goneSharePage } from '#src/feeds/controllers/nuzzle-share.page.js';
import { NuzzleFeedShareDto } from '#src/feeds/dto/nuzzle-feed.dto.js';
import { FeedsService } from '#src/feeds/feeds.service.js';
import { Public } from '#src/common/dialect/public.decorator.js';

const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  // Only pictures and videos load, from anywhere (storage may be a CDN); no script runs, nothing frames it.
  'Content-Security-Policy':
    "default-src 'none'; img-src https: http: data:; media-src https: http:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The page a shared link opens, for people and for link-preview crawlers: public, no session. */
@Dialect('nuzzle')
// Share pages are opened by anyone the link was sent to.
@Public()
@Controller('feed')
export class NuzzleShareController {
  constructor(
    private readonly feeds: FeedsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @GetOrPost('share')
  @ApiOperation({
    summary:
      '分享接口 — an HTML page with Open Graph and Twitter card tags (404 page for a feed that is gone)',
    description:
      'No session needed. A paid video’s page shows its cover only: its video address is never on the page.',
  })
  @ApiParams(NuzzleFeedShareDto)
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The page', schema: { type: 'string' } })
  @ApiNotFoundResponse({
    description: 'The feed was deleted, hidden or never existed',
    schema: { type: 'string' },
  })
  @Reply(nuzzle, { raw: true, errors: ['INVALID_PARAMS'] })
  async share(
    @Params() params: NuzzleFeedShareDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const query = new URLSearchParams({ type: params.type, ...(params.id ? { id: params.id } : {}) });
    const pageUrl = `${this.config.http.publicBaseUrl}${this.config.dialects.prefixes.nuzzle}/feed/share?${query.toString()}`;
    if (params.type === 'app') {
      res.set({ ...HEADERS, 'Cache-Control': 'public, max-age=3600' });
      return appSharePage(pageUrl);
    }
    const feed = params.id ? await this.feeds.forShare(params.id, params.type) : undefined;
    if (!feed) {
      res.status(404).set({ ...HEADERS, 'Cache-Control': 'no-store' });
      return goneSharePage();
    }
    // Short: a deleted or hidden feed's page must not outlive it for long in caches.
    res.set({ ...HEADERS, 'Cache-Control': 'public, max-age=60' });
    return feedSharePage(feed, pageUrl);
  }
}
