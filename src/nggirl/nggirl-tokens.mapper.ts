import type { ImCredentials } from '#src/im/im-accounts.js';
import type { TokenPair } from '#src/refresh-tokens/refresh-tokens.service.js';

/** `data` of nggirl's logon, create, updatePasswordForgot and authorization, as api-docs/nggirl.md shows it. */
export interface NggirlTokens {
  /** A JSON number, as the document shows (ids stay far below 2^53). */
  userId: number;
  accessToken: string;
  refreshToken: string;
  /** Unix seconds when the access token expires (ACCESS_TOKEN_TTL after it was issued). */
  expireTime: number;
  imAccount: string;
  /** The IM password, base64-encoded as documented ("已使用base64处理"). */
  imPassword: string;
}

export function toNggirlTokens(pair: TokenPair, im: ImCredentials): NggirlTokens {
  return {
    userId: Number(pair.userId),
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expireTime: Math.floor(pair.accessExpiresAt.getTime() / 1000),
    imAccount: im.account,
    imPassword: Buffer.from(im.password, 'utf8').toString('base64'),
  };
}
