import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import passport from 'passport';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { FacebookGraph } from '#src/sns/facebook-graph.client.js';
import { FacebookTokenAuthStrategy } from '#src/sns/facebook-token.strategy.js';

/** The name this app's Facebook strategy is registered under in passport's process-wide registry. */
export const FACEBOOK_STRATEGY_NAME = Symbol('FACEBOOK_STRATEGY_NAME');

/**
 * nuzzle's Facebook login as a passport strategy (passport-facebook-token, with the Graph checks of
 * FacebookTokenAuthStrategy). Like the session strategy (SessionJwtStrategy), it is registered under a name drawn
 * per app and taken out of passport's process-wide registry when the app shuts down: under the package's fixed
 * name 'facebook-token', two apps in one process (the e2e suites boot several) would check tokens against each
 * other's Graph and app id.
 */
@Injectable()
export class FacebookLoginStrategy extends FacebookTokenAuthStrategy implements OnModuleDestroy {
  constructor(
    @Inject(FACEBOOK_STRATEGY_NAME) private readonly strategyName: string,
    @Inject(APP_CONFIG) config: AppConfig,
    graph: FacebookGraph,
  ) {
    super(config, graph);
    passport.use(strategyName, this);
  }

  onModuleDestroy(): void {
    passport.unuse(this.strategyName);
  }
}
