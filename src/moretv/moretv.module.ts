import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule } from '#src/auth/auth.module.js';
import { SessionsModule } from '#src/auth/sessions.module.js';
import { CaptchaModule } from '#src/captcha/captcha.module.js';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import { dialectGuardToken } from '#src/common/dialect/dialect.decorator.js';
import type { AppConfig } from '#src/config/app-config.js';
import { CsrfTokens } from '#src/moretv/browser/csrf-tokens.js';
import { DevCaptchaController } from '#src/moretv/controllers/dev-captcha.controller.js';
import { MoretvAccountController } from '#src/moretv/controllers/moretv-account.controller.js';
import { MoretvCaptchaController } from '#src/moretv/controllers/moretv-captcha.controller.js';
import { MoretvEmailController } from '#src/moretv/controllers/moretv-email.controller.js';
import { MoretvSnsController } from '#src/moretv/controllers/moretv-sns.controller.js';
import { MoretvUserInfoController } from '#src/moretv/controllers/moretv-user-info.controller.js';
import { MoretvAccountsRepository } from '#src/moretv/moretv-accounts.repository.js';
import { MoretvAccountsService } from '#src/moretv/moretv-accounts.service.js';
import { MoretvCaptcha } from '#src/moretv/moretv-captcha.service.js';
import { MoretvRequestGuard } from '#src/moretv/moretv-request.guard.js';
import { OptionalSessionGuard } from '#src/moretv/optional-session.guard.js';
import { MoretvPages } from '#src/moretv/pages/moretv-pages.service.js';
import { SnsModule } from '#src/sns/sns.module.js';
import { VerificationModule } from '#src/verification/verification.module.js';

/**
 * moretv's web account centre: its pages, its JSON endpoints, the browser id and CSRF tokens, and its request guard
 * (origin and CSRF checks, provided under `dialectGuardToken('moretv')`). Accounts, sessions and codes are the shared
 * ones (AuthModule, VerificationModule); SNS sign-in and the captcha are src/sns and src/captcha. Needs the global
 * config, clock, counters, outbox and media modules.
 */
@Module({})
export class MoretvModule {
  static forRoot(config: AppConfig): DynamicModule {
    const enabled = config.dialects.enabled.includes('moretv');
    return {
      module: MoretvModule,
      imports: [
        AuthModule.forRoot(config),
        SessionsModule,
        VerificationModule,
        SnsModule.forRoot(config),
        CaptchaModule,
      ],
      controllers: [
        ...dialectControllers(config.dialects.enabled, [
          MoretvAccountController,
          MoretvEmailController,
          MoretvCaptchaController,
          MoretvUserInfoController,
          MoretvSnsController,
        ]),
        ...(enabled && !config.isProduction ? [DevCaptchaController] : []),
      ],
      providers: [
        CsrfTokens,
        MoretvRequestGuard,
        { provide: dialectGuardToken('moretv'), useExisting: MoretvRequestGuard },
        OptionalSessionGuard,
        MoretvAccountsRepository,
        MoretvAccountsService,
        MoretvCaptcha,
        MoretvPages,
      ],
    };
  }
}
