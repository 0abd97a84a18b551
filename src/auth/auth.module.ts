import { Module, type DynamicModule } from '@nestjs/common';
import { AccountsRepository } from '#src/auth/accounts.repository.js';
import { NuzzlePassportController } from '#src/auth/controllers/nuzzle-passport.controller.js';
import { PasswordResetPageController } from '#src/auth/controllers/password-reset-page.controller.js';
import { XiaomaAccountController } from '#src/auth/controllers/xiaoma-account.controller.js';
import { CredentialsRepository } from '#src/auth/credentials.repository.js';
import { LoginAttemptsService } from '#src/auth/login-attempts.service.js';
import { PasswordCheck } from '#src/auth/password-check.js';
import { PasswordsModule } from '#src/auth/passwords.module.js';
import { PasswordResetService } from '#src/auth/password-reset.service.js';
import { PhoneCodesService } from '#src/auth/phone-codes.service.js';
import { RegistrationService } from '#src/auth/registration.service.js';
import { SessionsModule } from '#src/auth/sessions.module.js';
import { SignInService } from '#src/auth/sign-in.service.js';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import type { AppConfig } from '#src/config/app-config.js';
import { DevicesModule } from '#src/devices/devices.module.js';
import { UsersModule } from '#src/users/users.module.js';
import { VerificationModule } from '#src/verification/verification.module.js';

/**
 * Accounts and credentials: sign-in, registration, password changes and phone codes, for every dialect and for
 * the operators. Imported once by the app (its dialect routes depend on the enabled dialects); the operators' area
 * receives the same module to sign operators in.
 */
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        SessionsModule,
        PasswordsModule,
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
        PasswordCheck,
        SignInService,
        RegistrationService,
        PasswordResetService,
        PhoneCodesService,
        CredentialsRepository,
        AccountsRepository,
        LoginAttemptsService,
      ],
      exports: [
        SessionsModule,
        SignInService,
        RegistrationService,
        PasswordResetService,
        PhoneCodesService,
        PasswordsModule,
      ],
    };
  }
}
