import { Module, type DynamicModule } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AccountsRepository } from '#src/auth/accounts.repository.js';
import { AuthService } from '#src/auth/auth.service.js';
import { NuzzlePassportController } from '#src/auth/controllers/nuzzle-passport.controller.js';
import { XiaomaAccountController } from '#src/auth/controllers/xiaoma-account.controller.js';
import { PasswordResetPageController } from '#src/auth/controllers/password-reset-page.controller.js';
import { CredentialsRepository } from '#src/auth/credentials.repository.js';
import { LoginAttemptsService } from '#src/auth/login-attempts.service.js';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import { SessionAuthGuard } from '#src/auth/session-auth.guard.js';
import { signingKey } from '#src/auth/signing-key.js';
import { SessionService } from '#src/auth/session.service.js';
import { SessionsRepository } from '#src/auth/sessions.repository.js';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import type { AppConfig } from '#src/config/app-config.js';
import { DevicesModule } from '#src/devices/devices.module.js';
import { UsersModule } from '#src/users/users.module.js';
import { VerificationModule } from '#src/verification/verification.module.js';

@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuthModule,
      // Sessions and sign-in serve every area, the operators' API included.
      global: true,
      imports: [
        JwtModule.register({
          secretOrKeyProvider: () => signingKey(config.auth.jwtSecret),
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        }),
        UsersModule.forDialects(config.dialects.enabled),
        DevicesModule,
        VerificationModule,
      ],
      controllers: dialectControllers(config.dialects.enabled, [
        NuzzlePassportController,
        XiaomaAccountController,
        PasswordResetPageController,
      ]),
      providers: [
        AuthService,
        PasswordHasher,
        SessionService,
        SessionsRepository,
        CredentialsRepository,
        AccountsRepository,
        LoginAttemptsService,
        SessionAuthGuard,
      ],
      exports: [AuthService, SessionService, SessionAuthGuard, PasswordHasher],
    };
  }
}
