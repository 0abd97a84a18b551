import { DomainError } from '#src/common/errors/domain-error.js';
import type { AppConfig } from '#src/config/app-config.js';
import { DoubanProvider } from '#src/sns/providers/douban.provider.js';
import { QqProvider } from '#src/sns/providers/qq.provider.js';
import { WechatProvider } from '#src/sns/providers/wechat.provider.js';
import { WeiboProvider } from '#src/sns/providers/weibo.provider.js';
import {
  isSnsProviderName,
  SNS_PROVIDER_NAMES,
  type SnsProvider,
  type SnsProviderName,
} from '#src/sns/sns-provider.js';

/**
 * The configured OAuth providers (a provider is on when its SNS_<TYPE>_CLIENT_ID and _SECRET are set). The DI token
 * for the sign-in flow; tests build it from config pointing at loopback fakes, or hand it providers of their own.
 */
export class SnsProviders {
  private readonly byName: ReadonlyMap<SnsProviderName, SnsProvider>;

  constructor(providers: readonly SnsProvider[]) {
    this.byName = new Map(providers.map((p) => [p.name, p]));
  }

  static fromConfig(config: AppConfig): SnsProviders {
    const { providers, httpTimeoutMs } = config.sns;
    const built: SnsProvider[] = [];
    if (providers.qq) built.push(new QqProvider(providers.qq, httpTimeoutMs));
    if (providers.wb) built.push(new WeiboProvider(providers.wb, httpTimeoutMs));
    if (providers.db) built.push(new DoubanProvider(providers.db, httpTimeoutMs));
    if (providers.wx) built.push(new WechatProvider(providers.wx, httpTimeoutMs));
    return new SnsProviders(built);
  }

  /** The configured providers, in moretv's order (for the account page's bind buttons). */
  get enabled(): SnsProviderName[] {
    return SNS_PROVIDER_NAMES.filter((name) => this.byName.has(name));
  }

  /** The provider for moretv's `type`; INVALID_PARAMS (detail `reason: 'type'`) if unknown or not configured. */
  get(type: unknown): SnsProvider {
    const provider = isSnsProviderName(type) ? this.byName.get(type) : undefined;
    if (!provider) {
      throw new DomainError('INVALID_PARAMS', 'unknown or unconfigured sign-in type', { reason: 'type' });
    }
    return provider;
  }
}
