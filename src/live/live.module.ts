import { Global, Module, type DynamicModule } from '@nestjs/common';
import { SessionsModule } from '#src/auth/sessions.module.js';
import { CoinsModule } from '#src/coins/coins.module.js';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import type { AppConfig } from '#src/config/app-config.js';
import { LiveHookGuard } from '#src/live/controllers/live-hook.guard.js';
import { LiveHooksController } from '#src/live/controllers/live-hooks.controller.js';
import { MrpyqRoomController } from '#src/live/controllers/mrpyq-room.controller.js';
import { LiveGiftsService } from '#src/live/live-gifts.service.js';
import { LiveHooksService } from '#src/live/live-hooks.service.js';
import { LiveRoomsRepository } from '#src/live/live-rooms.repository.js';
import { LiveRoomsService } from '#src/live/live-rooms.service.js';
import { LocalStreamProvider } from '#src/live/local-stream.provider.js';
import { PiliStreamProvider } from '#src/live/pili-stream.provider.js';
import { StreamProvider } from '#src/live/stream-provider.js';
import { UsersRepository } from '#src/users/users.repository.js';

/**
 * Live rooms. The provider is chosen from LIVE_PROVIDER when the module is built; the media server's callback route
 * exists only for the local provider. Global: the friends list uses LiveRoomsService, mrpyq's gold coins
 * LiveGiftsService.
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
      imports: [SessionsModule, CoinsModule],
      controllers: [
        ...(provider.kind === 'local' ? [LiveHooksController] : []),
        ...dialectControllers(config.dialects.enabled, [MrpyqRoomController]),
      ],
      providers: [
        { provide: StreamProvider, useValue: provider },
        LiveRoomsRepository,
        LiveRoomsService,
        LiveHooksService,
        LiveHookGuard,
        LiveGiftsService,
        // Stateless (the data source only): the gift's anchor is looked up by phone.
        UsersRepository,
      ],
      exports: [LiveRoomsService, LiveGiftsService],
    };
  }
}
