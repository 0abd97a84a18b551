import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { signingKey } from '#src/auth/signing-key.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { DevicesModule } from '#src/devices/devices.module.js';
import { RefreshTokensRepository } from '#src/refresh-tokens/refresh-tokens.repository.js';
import { RefreshTokensService } from '#src/refresh-tokens/refresh-tokens.service.js';

/**
 * nggirl's refresh-token families. Sessions come from the global AuthModule's SessionService; the JwtService here is
 * this module's own, under the same key, because auth does not export its own.
 */
@Module({
  imports: [
    DevicesModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secretOrKeyProvider: () => signingKey(config.auth.jwtSecret),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [RefreshTokensService, RefreshTokensRepository],
  exports: [RefreshTokensService],
})
export class RefreshTokensModule {}
