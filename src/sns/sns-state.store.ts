import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CounterStore } from '#src/common/counters/counter-store.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { browserSessionKey, sameKey } from '#src/sns/browser-session-key.js';
import { isSnsProviderName, type SnsProviderName } from '#src/sns/sns-provider.js';

export type SnsAction = 'login' | 'bind';

/** What a sign-in started with, handed back once when the provider sends the browser back. */
export interface SnsStateData {
  action: SnsAction;
  provider: SnsProviderName;
  /** Already checked against the allowed origins; null: the caller's default page. */
  redirectUrl: string | null;
  /** `bind`: the account that asked for it. */
  userId: string | null;
}

interface StoredState extends SnsStateData {
  session: string;
  expiresAt: number;
}

const KEY = 'sns:state:';
const CLAIM = 'sns:state-claim:';

function stateKey(state: string): string {
  return createHash('sha256').update(state).digest('base64url');
}

function invalidState(why: string): DomainError {
  return new DomainError('INVALID_PARAMS', 'invalid sign-in state', { reason: 'state', why });
}

/**
 * The OAuth `state`: 256 random bits, bound to the browser session that started the sign-in, good once, for
 * SNS_STATE_TTL. Kept in the counter store: in Redis when REDIS_URL is set (any instance may receive the callback),
 * in memory otherwise. The deadline is read from the injectable clock; the store's TTL only lets keys go away.
 */
@Injectable()
export class SnsStateStore {
  constructor(
    private readonly store: CounterStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(browserSessionId: string, data: SnsStateData): Promise<string> {
    const state = randomBytes(32).toString('base64url');
    const ttlMs = this.config.sns.stateTtlMs;
    const stored: StoredState = {
      ...data,
      session: browserSessionKey(browserSessionId),
      expiresAt: this.clock.now().getTime() + ttlMs,
    };
    await this.store.set(KEY + stateKey(state), JSON.stringify(stored), ttlMs);
    return state;
  }

  /**
   * The data a state was issued with, once. INVALID_PARAMS (detail `reason: 'state'`) when the state is missing,
   * unknown, expired, already taken, issued to another browser session or for another provider. A state shown
   * with the wrong session or provider stays usable by its own browser: a third party who saw it cannot burn it.
   */
  async take(browserSessionId: string, state: unknown, provider: SnsProviderName): Promise<SnsStateData> {
    const session = browserSessionKey(browserSessionId);
    if (typeof state !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(state)) throw invalidState('malformed');
    const key = stateKey(state);
    const raw = await this.store.get(KEY + key);
    if (raw === undefined) throw invalidState('unknown');
    const stored = JSON.parse(raw) as StoredState;
    if (stored.expiresAt <= this.clock.now().getTime()) throw invalidState('expired');
    if (!sameKey(stored.session, session)) throw invalidState('other session');
    if (stored.provider !== provider || !isSnsProviderName(stored.provider))
      throw invalidState('other provider');
    // One winner even when two callbacks race on several instances: the first increment of the claim.
    if ((await this.store.increment(CLAIM + key, this.config.sns.stateTtlMs)) !== 1)
      throw invalidState('used');
    await this.store.delete(KEY + key);
    return {
      action: stored.action,
      provider: stored.provider,
      redirectUrl: stored.redirectUrl,
      userId: stored.userId,
    };
  }
}
