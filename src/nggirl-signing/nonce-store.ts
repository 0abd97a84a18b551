/**
 * Nonces already seen, per app, shared by every instance so that a replay is refused wherever it lands. PostgreSQL
 * by default, Redis when REDIS_URL is set.
 */
export abstract class NonceStore {
  abstract readonly kind: 'postgres' | 'redis';

  /**
   * Records `nonce` for `appId` until `expiresAt` and answers true, or answers false when it is already recorded
   * and not yet expired. Exactly one of any number of concurrent claims of the same pair answers true.
   */
  abstract claim(appId: string, nonce: string, expiresAt: Date): Promise<boolean>;
}
