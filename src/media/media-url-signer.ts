import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';

export const SIGNED_MEDIA_PATH = '/media/signed/';

/**
 * Addresses for private files (paid videos): `/media/signed/<key>?expires=<epoch s>&signature=<HMAC>`, the HMAC-
 * SHA256 over path and expiry under a key derived from the server secret. A leaked address stops working after
 * MEDIA_URL_TTL. Expiry is rounded up to the minute, so the addresses a client gets within a minute are the same
 * (caches and players keep working across list refreshes).
 */
@Injectable()
export class MediaUrlSigner {
  private readonly key: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', config.auth.jwtSecret, 'concord', 'media-urls', 32));
  }

  sign(objectKey: string): string {
    const ttl = this.config.content.mediaUrlTtlMs;
    const expires = Math.ceil((this.clock.now().getTime() + ttl) / 60_000) * 60;
    const path = `${SIGNED_MEDIA_PATH}${objectKey}`;
    return `${this.config.http.publicBaseUrl}${path}?expires=${expires}&signature=${this.mac(path, expires)}`;
  }

  /** Seconds the address stays valid, or undefined when it is forged, altered or expired. */
  verify(objectKey: string, expires: unknown, signature: unknown): number | undefined {
    if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires) || typeof signature !== 'string') {
      return undefined;
    }
    const expected = Buffer.from(this.mac(`${SIGNED_MEDIA_PATH}${objectKey}`, Number(expires)), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const left = Number(expires) - Math.floor(this.clock.now().getTime() / 1000);
    return left > 0 ? left : undefined;
  }

  private mac(path: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${path}\n${expires}`).digest('base64url');
  }
}
