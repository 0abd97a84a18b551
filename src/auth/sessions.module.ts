import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { SessionAuthGuard } from '#src/auth/session-auth.guard.js';
import { SESSION_STRATEGY_NAME, SessionJwtStrategy } from '#src/auth/session-jwt.strategy.js';
import { SessionService } from '#src/auth/session.service.js';
import { SessionsRepository } from '#src/auth/sessions.repository.js';
import { signingKey } from '#src/auth/signing-key.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';

/**
 * Sessions and their check: what every area with authenticated routes imports. The passport strategy's name is
 * drawn per app (see SessionJwtStrategy) and handed to the guards, which authenticate with it.
 */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secretOrKeyProvider: () => signingKey(config.auth.jwtSecret),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [
    { provide: SESSION_STRATEGY_NAME, useFactory: () => `concord-session-${randomUUID()}` },
    SessionService,
    SessionsRepository,
    SessionJwtStrategy,
    SessionAuthGuard,
  ],
  exports: [SESSION_STRATEGY_NAME, SessionService, SessionAuthGuard, JwtModule],
})
export class SessionsModule {}
