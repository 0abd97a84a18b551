import { Module, type DynamicModule } from '@nestjs/common';
import { SessionsModule } from '#src/auth/sessions.module.js';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import type { AppConfig } from '#src/config/app-config.js';
import { MrpyqFriendController } from '#src/friends/controllers/mrpyq-friend.controller.js';
import { MrpyqListController } from '#src/friends/controllers/mrpyq-list.controller.js';
import { FriendsRepository } from '#src/friends/friends.repository.js';
import { FriendsService } from '#src/friends/friends.service.js';

/** Friends by phone (mrpyq's `/friend` and `/list`). Who is live comes from the global LiveModule. */
@Module({})
export class FriendsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: FriendsModule,
      imports: [SessionsModule],
      controllers: dialectControllers(config.dialects.enabled, [MrpyqFriendController, MrpyqListController]),
      providers: [FriendsRepository, FriendsService],
      exports: [FriendsService],
    };
  }
}
