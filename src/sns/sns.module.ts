import { Module, type DynamicModule } from '@nestjs/common';
import { PasswordsModule } from '#src/auth/passwords.module.js';
import type { AppConfig } from '#src/config/app-config.js';
import { FacebookGraph, facebookGraphFromConfig } from '#src/sns/facebook-graph.client.js';
import { SnsAccountsService } from '#src/sns/sns-accounts.service.js';
import { SnsIdentitiesRepository } from '#src/sns/sns-identities.repository.js';
import { SnsLoginService } from '#src/sns/sns-login.service.js';
import { SnsProviders } from '#src/sns/sns-providers.js';
import { SnsStateStore } from '#src/sns/sns-state.store.js';

/**
 * External identities: the QQ/Weibo/Douban/WeChat sign-in flow and bindings (moretv), and the Facebook Graph check
 * (nuzzle). No controllers: the moretv and nuzzle routes call these services. Needs the global config, clock,
 * counter store and TypeORM. Providers are chosen from config when the module is built.
 */
const built = new WeakMap<AppConfig, DynamicModule>();

@Module({})
export class SnsModule {
  /** The same module object for the same config, so every area that imports it (moretv, nuzzle) shares one. */
  static forRoot(config: AppConfig): DynamicModule {
    const existing = built.get(config);
    if (existing) return existing;
    const module: DynamicModule = {
      module: SnsModule,
      imports: [PasswordsModule],
      providers: [
        { provide: SnsProviders, useValue: SnsProviders.fromConfig(config) },
        { provide: FacebookGraph, useValue: facebookGraphFromConfig(config.facebook) },
        SnsStateStore,
        SnsIdentitiesRepository,
        SnsAccountsService,
        SnsLoginService,
      ],
      exports: [SnsLoginService, SnsAccountsService, FacebookGraph],
    };
    built.set(config, module);
    return module;
  }
}
