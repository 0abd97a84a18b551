import { randomUUID } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { AccountsRepository } from '#src/auth/accounts.repository.js';
import { MrpyqAccountController } from '#src/auth/controllers/mrpyq-account.controller.js';
import { NuzzlePassportController } from '#src/auth/controllers/nuzzle-passport.controller.js';
import { PasswordResetPageController } from '#src/auth/controllers/password-reset-page.controller.js';
import { XiaomaAccountController } from '#src/auth/controllers/xiaoma-account.controller.js';
import { CredentialsRepository } from '#src/auth/credentials.repository.js';
import { FacebookAuthGuard } from '#src/auth/facebook-auth.guard.js';
import { FACEBOOK_STRATEGY_NAME, FacebookLoginStrategy } from '#src/auth/facebook.strategy.js';
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
import { FacebookAccountsRepository } from '#src/sns/facebook-accounts.repository.js';
import { facebookGraphFromConfig, FacebookGraph } from '#src/sns/facebook-graph.client.js';
import { FacebookLoginService } from '#src/sns/facebook-login.service.js';
import { UsersModule } from '#src/users/users.module.js';
import { VerificationModule } from '#src/verification/verification.module.js';

const built = new WeakMap<AppConfig, DynamicModule>();

/**
 * Accounts and credentials: sign-in, registration, password changes and phone codes, for every dialect and for
 * the operators. Its routes depend on the enabled dialects, so it is built from the config; `forRoot` answers the
 * same module object for the same config, so every area that imports it (the app, the operators' area, a dialect's
 * account routes) shares one instance instead of building a second.
 */
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    const existing = built.get(config);
    if (existing) return existing;
    const module: DynamicModule = {
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
        MrpyqAccountController,
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
        // nuzzle's Facebook login: the strategy's passport name is drawn per app, like the session strategy's.
        { provide: FACEBOOK_STRATEGY_NAME, useFactory: () => `concord-facebook-${randomUUID()}` },
        { provide: FacebookGraph, useFactory: () => facebookGraphFromConfig(config.facebook) },
        FacebookLoginStrategy,
        FacebookAuthGuard,
        FacebookLoginService,
        FacebookAccountsRepository,
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
    built.set(config, module);
    return module;
  }
}
