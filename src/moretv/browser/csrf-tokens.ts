import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';

/** The form field every moretv page form carries. */
export const CSRF_FIELD = '_csrf';

/**
 * The pages' CSRF tokens: an HMAC of the browser id under a key of their own (derived from the server secret), so
 * the token is bound to the browser's HttpOnly cookie and needs no storage. Another site can neither read the
 * cookie nor compute the token; a token shown in one browser is worth nothing in another.
 */
@Injectable()
export class CsrfTokens {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.auth.jwtSecret, 'concord', 'moretv-csrf', 32));
  }

  tokenFor(browserId: string): string {
    return createHmac('sha256', this.key).update(`csrf\n${browserId}`).digest('base64url');
  }

  /** Whether `token` is this browser's, compared in constant time. */
  matches(browserId: string, token: unknown): boolean {
    if (typeof token !== 'string' || token.length > 128) return false;
    const expected = Buffer.from(this.tokenFor(browserId));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
