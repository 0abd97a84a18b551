import { Body, Controller, Header, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { LiveHookGuard } from '#src/live/controllers/live-hook.guard.js';
import { parseLiveHookEvent } from '#src/live/live-hook-event.js';
import { LiveHooksService } from '#src/live/live-hooks.service.js';
import { Public } from '#src/common/dialect/public.decorator.js';

/**
 * The media server's callbacks (no dialect: plain JSON and real statuses). nginx-rtmp's on_publish, on_update and
 * on_publish_done post forms here; SRS's on_publish and on_unpublish post JSON. 200 with body `0` allows (nginx
 * reads any 2xx as allow, SRS wants `0`); 403 refuses the publish, or cuts it on an update; 400 for a malformed
 * call. Configure as `http://127.0.0.1:<port>/live/hooks?secret=<LIVE_HOOK_SECRET>` (`npm run live-server` does).
 */
@ApiExcludeController()
// Called by the media server, not by a signed-in user: the hook guard checks the shared secret and the peer.
@Public()
@Controller('live/hooks')
@UseGuards(LiveHookGuard)
export class LiveHooksController {
  constructor(private readonly hooks: LiveHooksService) {}

  @Post()
  @HttpCode(200)
  @Header('Content-Type', 'application/json')
  @Header('Cache-Control', 'no-store')
  async receive(@Body() body: unknown): Promise<string> {
    await this.hooks.handle(parseLiveHookEvent(body));
    return '0';
  }
}
