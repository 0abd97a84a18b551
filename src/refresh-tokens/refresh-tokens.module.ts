import { Module } from '@nestjs/common';
import { SessionsModule } from '#src/auth/sessions.module.js';
import { DevicesModule } from '#src/devices/devices.module.js';
import { RefreshTokensRepository } from '#src/refresh-tokens/refresh-tokens.repository.js';
import { RefreshTokensService } from '#src/refresh-tokens/refresh-tokens.service.js';

/** nggirl's refresh-token families, over the sessions (and the JwtService) of SessionsModule. */
@Module({
  imports: [SessionsModule, DevicesModule],
  providers: [RefreshTokensService, RefreshTokensRepository],
  exports: [RefreshTokensService],
})
export class RefreshTokensModule {}
