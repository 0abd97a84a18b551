import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule } from '#src/auth/auth.module.js';
import { SessionsModule } from '#src/auth/sessions.module.js';
import { dialectControllers } from '#src/common/dialect/dialect-controllers.js';
import { dialectGuardToken } from '#src/common/dialect/dialect.decorator.js';
import type { AppConfig } from '#src/config/app-config.js';
import { CosmeticsModule } from '#src/cosmetics/cosmetics.module.js';
import { DevicesModule } from '#src/devices/devices.module.js';
import { ImModule } from '#src/im/im.module.js';
import { ArtistProfilesRepository } from '#src/nggirl/artist-profiles.repository.js';
import { ArtistProfilesService } from '#src/nggirl/artist-profiles.service.js';
import { NggirlAccountController } from '#src/nggirl/controllers/nggirl-account.controller.js';
import { NggirlCosmeticsController } from '#src/nggirl/controllers/nggirl-cosmetics.controller.js';
import { NggirlProfileController } from '#src/nggirl/controllers/nggirl-profile.controller.js';
import { NggirlPushController } from '#src/nggirl/controllers/nggirl-push.controller.js';
import { NggirlCredentialsService } from '#src/nggirl/nggirl-credentials.service.js';
import { NggirlSignatureGuard } from '#src/nggirl-signing/nggirl-signature.guard.js';
import { NggirlSigningModule } from '#src/nggirl-signing/nggirl-signing.module.js';
import { RefreshTokensModule } from '#src/refresh-tokens/refresh-tokens.module.js';
import { VerificationModule } from '#src/verification/verification.module.js';

/**
 * The nggirl dialect: its routes, its request check (the signature, provided under `dialectGuardToken('nggirl')`
 * so that every nggirl controller runs it through `@Dialect`), and the domain beneath them: refresh-token families,
 * IM identities, the cosmetics catalogue (with its /admin routes), push registration and the artist profile.
 * Accounts, codes and sessions are the shared ones (AuthModule, VerificationModule).
 */
@Module({})
export class NggirlModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: NggirlModule,
      imports: [
        AuthModule.forRoot(config),
        SessionsModule,
        VerificationModule,
        NggirlSigningModule,
        RefreshTokensModule,
        ImModule,
        CosmeticsModule,
        DevicesModule,
      ],
      controllers: dialectControllers(config.dialects.enabled, [
        NggirlAccountController,
        NggirlProfileController,
        NggirlCosmeticsController,
        NggirlPushController,
      ]),
      providers: [
        NggirlCredentialsService,
        ArtistProfilesRepository,
        ArtistProfilesService,
        NggirlSignatureGuard,
        { provide: dialectGuardToken('nggirl'), useExisting: NggirlSignatureGuard },
      ],
      exports: [
        NggirlSigningModule,
        RefreshTokensModule,
        ImModule,
        CosmeticsModule,
        NggirlCredentialsService,
      ],
    };
  }
}
