import { Module } from '@nestjs/common';
import { CosmeticsModule } from '#src/cosmetics/cosmetics.module.js';
import { DevicesModule } from '#src/devices/devices.module.js';
import { ImModule } from '#src/im/im.module.js';
import { NggirlCredentialsService } from '#src/nggirl/nggirl-credentials.service.js';
import { NggirlSigningModule } from '#src/nggirl-signing/nggirl-signing.module.js';
import { RefreshTokensModule } from '#src/refresh-tokens/refresh-tokens.module.js';

/**
 * The domain beneath the nggirl dialect: request signing, refresh-token families, IM identities, the cosmetics
 * catalogue (with its /admin routes) and push registration. The nggirl controllers join this module.
 */
@Module({
  imports: [NggirlSigningModule, RefreshTokensModule, ImModule, CosmeticsModule, DevicesModule],
  providers: [NggirlCredentialsService],
  exports: [NggirlSigningModule, RefreshTokensModule, ImModule, CosmeticsModule, NggirlCredentialsService],
})
export class NggirlModule {}
