import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '#src/config/app-config.js';
import { LiveHookGuard } from '#src/live/controllers/live-hook.guard.js';
import { LiveHooksController } from '#src/live/controllers/live-hooks.controller.js';
import { LiveHooksService } from '#src/live/live-hooks.service.js';
import { LiveRoomsRepository } from '#src/live/live-rooms.repository.js';
import { LiveRoomsService } from '#src/live/live-rooms.service.js';
import { LocalStreamProvider } from '#src/live/local-stream.provider.js';
import { PiliStreamProvider } from '#src/live/pili-stream.provider.js';
import { StreamProvider } from '#src/live/stream-provider.js';

/**
 * Live rooms. The provider is chosen from LIVE_PROVIDER when the module is built; the media server's callback route
 * exists only for the local provider. Global: the mrpyq room controllers and the friends list use LiveRoomsService.
 */
@Global()
@Module({})
export class LiveModule {
  static forRoot(config: AppConfig): DynamicModule {
    const provider: StreamProvider =
      config.live.provider === 'pili'
        ? new PiliStreamProvider(config.live.pili)
        : new LocalStreamProvider(config.live.local);
    return {
      module: LiveModule,
      controllers: provider.kind === 'local' ? [LiveHooksController] : [],
      providers: [
        { provide: StreamProvider, useValue: provider },
        LiveRoomsRepository,
        LiveRoomsService,
        LiveHooksService,
        LiveHookGuard,
      ],
      exports: [LiveRoomsService],
    };
  }
}
