import { Module } from '@nestjs/common';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { ImAccounts } from '#src/im/im-accounts.js';
import { ImAccountsRepository } from '#src/im/im-accounts.repository.js';
import { ImPasswordCipher } from '#src/im/im-password-cipher.js';
import { ImProvider, LocalImProvider } from '#src/im/im-provider.js';
import { ProvisionedImAccounts } from '#src/im/provisioned-im-accounts.js';

/** IM identities for the dialects whose sign-in hands out IM credentials (nggirl). Provider chosen from config. */
@Module({
  providers: [
    ImAccountsRepository,
    {
      provide: ImProvider,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): ImProvider => {
        switch (config.im.provider) {
          case 'local':
            return new LocalImProvider();
        }
      },
    },
    {
      provide: ImPasswordCipher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new ImPasswordCipher(config.im.secretKey),
    },
    { provide: ImAccounts, useClass: ProvisionedImAccounts },
  ],
  exports: [ImAccounts],
})
export class ImModule {}
