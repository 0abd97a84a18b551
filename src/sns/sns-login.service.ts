import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { allowedRedirectUrl } from '#src/sns/allowed-origins.js';
import { type PendingSignup, SnsAccountsService } from '#src/sns/sns-accounts.service.js';
import type { SnsProviderName } from '#src/sns/sns-provider.js';
import { SnsProviders } from '#src/sns/sns-providers.js';
import { type SnsAction, SnsStateStore } from '#src/sns/sns-state.store.js';
import type { UserEntity } from '#src/users/user.entity.js';

export interface PreauthInput {
  browserSessionId: string;
  /** moretv's `type`: qq, wb, db or wx. */
  type: unknown;
  action: SnsAction;
  /** moretv's `redirect_url`; kept only if it is on an allowed origin. */
  redirectUrl?: string;
  /** The signed-in account (required for `bind`). */
  userId?: string;
}

export interface CallbackInput {
  browserSessionId: string;
  /** The `{TYPE}` of `/sns/login/callback/{TYPE}`. */
  type: unknown;
  /** The provider's query parameters. */
  code?: unknown;
  state?: unknown;
  /** The account signed in now (a `bind` must come back to the account that started it). */
  currentUserId?: string;
}

interface OutcomeBase {
  provider: SnsProviderName;
  /** Where the flow wanted to end (already checked), or null for the caller's default page. */
  redirectUrl: string | null;
}

export type SnsCallbackOutcome =
  /** An existing account: open a session for it. */
  | (OutcomeBase & { kind: 'signed-in'; user: UserEntity })
  /** A new person: send the browser to `pending.fillPath`. */
  | (OutcomeBase & { kind: 'needs-signup'; pending: PendingSignup })
  /** `action=bind` done for the signed-in account. */
  | (OutcomeBase & { kind: 'bound'; userId: string })
  /** The person declined at the provider (the provider came back without a code). */
  | (OutcomeBase & { kind: 'cancelled' });

/**
 * moretv's SNS sign-in flow, HTTP-free: `preauth` gives the URL to redirect the browser to; `callback` takes what
 * the provider sent back and says what to do next. The redirect_uri given to providers is
 * `PUBLIC_BASE_URL + moretv prefix + /sns/login/callback/{type}`: the integrator's route must answer there.
 */
@Injectable()
export class SnsLoginService {
  constructor(
    private readonly providers: SnsProviders,
    private readonly states: SnsStateStore,
    private readonly accounts: SnsAccountsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The providers that are configured, in moretv's order. */
  get enabledProviders(): SnsProviderName[] {
    return this.providers.enabled;
  }

  /** The callback URL registered with each provider (and sent as redirect_uri). */
  callbackUrl(provider: SnsProviderName): string {
    return `${this.config.http.publicBaseUrl}${this.config.dialects.prefixes.moretv}/sns/login/callback/${provider}`;
  }

  /**
   * Starts a sign-in or a bind: INVALID_PARAMS (detail `reason: 'type'`) for an unknown or unconfigured type,
   * UNAUTHENTICATED for a bind without a signed-in account. A redirect_url off the allowed origins is dropped
   * (the flow ends on the default page), not refused.
   */
  async preauth(input: PreauthInput): Promise<{ authorizeUrl: string; redirectUrl: string | null }> {
    const provider = this.providers.get(input.type);
    if (input.action === 'bind' && !input.userId) throw new DomainError('UNAUTHENTICATED');
    const redirectUrl = allowedRedirectUrl(
      input.redirectUrl,
      this.config.moretv.allowedOrigins,
      this.config.http.publicBaseUrl,
    );
    const state = await this.states.issue(input.browserSessionId, {
      action: input.action,
      provider: provider.name,
      redirectUrl,
      userId: input.action === 'bind' ? (input.userId ?? null) : null,
    });
    return { authorizeUrl: provider.authorizeUrl(state, this.callbackUrl(provider.name)), redirectUrl };
  }

  /**
   * Finishes what preauth started. Throws INVALID_PARAMS for an unknown type (`reason: 'type'`), a bad state
   * (`reason: 'state'`: unknown, expired, used, another browser session or provider) or a code the provider
   * refuses (`reason: 'code'`: expired or replayed); UPSTREAM_FAILED when the provider fails; ACCOUNT_DISABLED
   * when the bound account is banned; for `bind`, UNAUTHENTICATED when nobody is signed in any more, FORBIDDEN when
   * another account is signed in now, and what SnsAccountsService.bind throws.
   */
  async callback(input: CallbackInput): Promise<SnsCallbackOutcome> {
    const provider = this.providers.get(input.type);
    const started = await this.states.take(input.browserSessionId, input.state, provider.name);
    const base: OutcomeBase = { provider: provider.name, redirectUrl: started.redirectUrl };
    if (typeof input.code !== 'string' || input.code === '') return { ...base, kind: 'cancelled' };
    if (input.code.length > 512) {
      throw new DomainError('INVALID_PARAMS', 'malformed code', { reason: 'code' });
    }
    if (started.action === 'bind') {
      if (!input.currentUserId) throw new DomainError('UNAUTHENTICATED');
      if (input.currentUserId !== started.userId) {
        throw new DomainError('FORBIDDEN', 'another account is signed in than the one that asked to bind');
      }
    }
    // The provider is called before any transaction opens.
    const identity = await provider.exchangeCode(input.code, this.callbackUrl(provider.name));
    switch (started.action) {
      case 'bind':
        await this.accounts.bind(input.currentUserId!, identity);
        return { ...base, kind: 'bound', userId: input.currentUserId! };
      case 'login': {
        const user = await this.accounts.findBoundAccount(identity);
        if (!user) {
          return {
            ...base,
            kind: 'needs-signup',
            pending: await this.accounts.startSignup(input.browserSessionId, identity),
          };
        }
        if (user.status !== 'active') throw new DomainError('ACCOUNT_DISABLED');
        return { ...base, kind: 'signed-in', user };
      }
    }
  }
}
