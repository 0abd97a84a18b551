/** moretv's `type` values: QQ, Weibo, Douban, WeChat. */
export const SNS_PROVIDER_NAMES = ['qq', 'wb', 'db', 'wx'] as const;
export type SnsProviderName = (typeof SNS_PROVIDER_NAMES)[number];

export function isSnsProviderName(value: unknown): value is SnsProviderName {
  return typeof value === 'string' && (SNS_PROVIDER_NAMES as readonly string[]).includes(value);
}

/** A person as an OAuth provider vouches for them after a code exchange. */
export interface SnsIdentity {
  provider: SnsProviderName;
  /**
   * The stable id an account is bound by: QQ's openid, Weibo's uid, Douban's douban_user_id, WeChat's unionid when
   * the app belongs to an Open Platform account (the same person across the company's apps), else its openid.
   */
  subject: string;
  /**
   * Ids that may key an older binding of the same person, tried after `subject` (WeChat's openid when `subject` is
   * the unionid: a binding made before the app joined an Open Platform account). A binding found by one of them is
   * moved to `subject`.
   */
  formerSubjects: string[];
  /** Hints for the fill-userinfo page, as the provider has them; never trusted for anything else. */
  nickname: string;
  avatarUrl: string;
}

/**
 * One OAuth provider's authorization-code flow with its quirks. `redirectUri` must be the same in both calls (the
 * providers compare them).
 *
 * `exchangeCode` throws DomainError `INVALID_PARAMS` (detail `reason: 'code'`) when the provider refuses the code
 * itself (unknown, expired, already used: the person may simply start again), and `UPSTREAM_FAILED` for anything
 * else (unreachable, a refused client id or secret, an answer that does not parse or does not add up).
 */
export abstract class SnsProvider {
  abstract readonly name: SnsProviderName;
  abstract authorizeUrl(state: string, redirectUri: string): string;
  abstract exchangeCode(code: string, redirectUri: string): Promise<SnsIdentity>;
}
