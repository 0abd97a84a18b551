import { Module, type DynamicModule } from '@nestjs/common';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import type { DialectName } from '#src/dialects/dialect.js';
import { DevicesModule } from '#src/devices/devices.module.js';
import { NuzzleUserController } from '#src/users/controllers/nuzzle-user.controller.js';
import { XiaomaUserController } from '#src/users/controllers/xiaoma-user.controller.js';
import { UsersRepository } from '#src/users/users.repository.js';
import { UsersService } from '#src/users/users.service.js';
import { SessionsModule } from '#src/auth/sessions.module.js';
import { CoinsModule } from '#src/coins/coins.module.js';

@Module({})
export class UsersModule {
  static forDialects(enabled: readonly DialectName[]): DynamicModule {
    return {
      module: UsersModule,
      imports: [DevicesModule, SessionsModule, CoinsModule],
      controllers: dialectControllers(enabled, [NuzzleUserController, XiaomaUserController]),
      providers: [UsersRepository, UsersService],
      exports: [UsersRepository, UsersService],
    };
  }
}
