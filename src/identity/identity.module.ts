import { Global, Module, type DynamicModule } from '@nestjs/common';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import type { AppConfig } from '#src/config/app-config.js';
import { XiaomaIdentityController } from '#src/identity/controllers/xiaoma-identity.controller.js';
import { IdentityVerificationsRepository } from '#src/identity/identity-verifications.repository.js';
import { IdentityService } from '#src/identity/identity.service.js';
import { LocalRealNameVerifier, RealNameVerifier } from '#src/identity/real-name-verifier.js';
import { SessionsModule } from '#src/auth/sessions.module.js';

/** Real-name and qualification checks. Global: account and profile routes of several areas show the state. */
@Global()
@Module({})
export class IdentityModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: IdentityModule,
      imports: [SessionsModule],
      controllers: dialectControllers(config.dialects.enabled, [XiaomaIdentityController]),
      providers: [
        { provide: RealNameVerifier, useValue: new LocalRealNameVerifier() },
        IdentityVerificationsRepository,
        IdentityService,
      ],
      exports: [IdentityService],
    };
  }
}
