import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '#src/common/time/clock.js';
import {
  canonicalString,
  SIGN_PARAM,
  signCanonicalString,
  type SigningParam,
} from '#src/nggirl-signing/canonical-string.js';
import { NggirlApps } from '#src/nggirl-signing/nggirl-apps.js';
import { NonceStore } from '#src/nggirl-signing/nonce-store.js';
import { SignatureRejected } from '#src/nggirl-signing/signature-rejected.js';

/** How far `timestamp` may be from the server's clock, either way; also how long a nonce is remembered. */
export const SIGNATURE_WINDOW_SECONDS = 300;

export interface VerifiedRequest {
  appId: string;
  /** false: the app is in its migration period and nothing was checked but its id; the caller logs the request. */
  signed: boolean;
}

const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^[0-9a-fA-F]{64}$/;
// Printable: a nonce is a key in PostgreSQL and Redis, and NUL is no text in PostgreSQL.
const NONCE_CHARACTERS = /^[^\p{Cc}]+$/u;

/** The one value of a protocol parameter: absent or empty is missing, given twice is ambiguous. */
function single(params: readonly SigningParam[], name: string): string {
  let found: string | undefined;
  for (const [key, value] of params) {
    if (key !== name) continue;
    if (found !== undefined) throw new SignatureRejected('invalid_parameter', name);
    found = value;
  }
  if (found === undefined || found === '') throw new SignatureRejected('missing_parameter', name);
  return found;
}

/**
 * Checks the signature of an nggirl request (docs/dialects/nggirl.md, "Request signing"): a known app, a fresh
 * timestamp, the HMAC compared in constant time, and then a nonce never seen within the window. The nonce is
 * claimed only for a request whose signature is good, so nobody can spend an app's nonces for it.
 */
@Injectable()
export class RequestSignatureVerifier {
  constructor(
    private readonly apps: NggirlApps,
    private readonly nonces: NonceStore,
    private readonly clock: Clock,
  ) {}

  /** Throws SignatureRejected naming the problem; never says what the signature should have been. */
  async verify(params: readonly SigningParam[]): Promise<VerifiedRequest> {
    const app = this.apps.find(single(params, 'app_id'));
    if (!app) throw new SignatureRejected('unknown_app');
    if (!app.signed) return { appId: app.id, signed: false };

    const timestampText = single(params, 'timestamp');
    const nonce = single(params, 'nonce');
    const sign = single(params, SIGN_PARAM);
    if (!TIMESTAMP.test(timestampText)) throw new SignatureRejected('invalid_parameter', 'timestamp');
    if ([...nonce].length > 64 || !NONCE_CHARACTERS.test(nonce)) {
      throw new SignatureRejected('invalid_parameter', 'nonce');
    }

    const timestamp = Number(timestampText);
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    if (timestamp < nowSeconds - SIGNATURE_WINDOW_SECONDS) throw new SignatureRejected('stale_timestamp');
    if (timestamp > nowSeconds + SIGNATURE_WINDOW_SECONDS) throw new SignatureRejected('future_timestamp');

    const expected = Buffer.from(signCanonicalString(app.secret, canonicalString(params)), 'hex');
    const given = SIGNATURE.test(sign) ? Buffer.from(sign, 'hex') : undefined;
    if (!given || !timingSafeEqual(given, expected)) throw new SignatureRejected('bad_signature');

    // Remembered until the request itself goes stale: a replay later than that fails on its timestamp.
    const expiresAt = new Date((timestamp + SIGNATURE_WINDOW_SECONDS) * 1000 + 1000);
    if (!(await this.nonces.claim(app.id, nonce, expiresAt))) throw new SignatureRejected('reused_nonce');
    return { appId: app.id, signed: true };
  }
}
