import { SnsProvider, type SnsIdentity } from '#src/sns/sns-provider.js';
import {
  callProvider,
  codeRefused,
  idField,
  parseJsonObject,
  queryString,
  textField,
  upstreamFailed,
} from '#src/sns/providers/sns-http.js';

export interface DoubanClientConfig {
  clientId: string;
  clientSecret: string;
  /** https://www.douban.com: the authorize page and the token endpoint (`/service/auth2/…`). */
  authUrl: string;
  /** https://api.douban.com: the profile (`/v2/user/~me`). */
  apiUrl: string;
}

/** Douban's `code` 118 is `invalid_authorization_code` (unknown, expired or used). */
const INVALID_AUTHORIZATION_CODE = '118';

/**
 * Douban (OAuth 2.0 at www.douban.com/service/auth2): the token answer names the person as `douban_user_id`; the
 * profile lives on another host (api.douban.com/v2/user/~me) and wants the token as a Bearer header. Errors are
 * JSON `{msg, code, request}` with HTTP 400/403.
 */
export class DoubanProvider extends SnsProvider {
  readonly name = 'db';

  constructor(
    private readonly config: DoubanClientConfig,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  authorizeUrl(state: string, redirectUri: string): string {
    return `${this.config.authUrl}/service/auth2/auth?${queryString({
      client_id: this.config.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'douban_basic_common',
      state,
    })}`;
  }

  async exchangeCode(code: string, redirectUri: string): Promise<SnsIdentity> {
    const token = await callProvider(
      'db',
      `${this.config.authUrl}/service/auth2/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: queryString({
          client_id: this.config.clientId,
          client_secret: this.config.clientSecret,
          redirect_uri: redirectUri,
          grant_type: 'authorization_code',
          code,
        }),
      },
      this.timeoutMs,
    );
    const tokenBody = parseJsonObject('db', token.text);
    if (token.status !== 200 || tokenBody.access_token === undefined) {
      const error = idField(tokenBody, 'code');
      if (error === INVALID_AUTHORIZATION_CODE) throw codeRefused('db', error);
      throw upstreamFailed('db', 'token refused', error ?? `http ${token.status}`);
    }
    const accessToken = idField(tokenBody, 'access_token');
    const userId = idField(tokenBody, 'douban_user_id');
    if (!accessToken || !userId) throw upstreamFailed('db', 'malformed answer');

    const me = await callProvider(
      'db',
      `${this.config.apiUrl}/v2/user/~me`,
      { method: 'GET', headers: { authorization: `Bearer ${accessToken}` } },
      this.timeoutMs,
    );
    const user = parseJsonObject('db', me.text);
    if (me.status !== 200) {
      throw upstreamFailed('db', 'profile refused', idField(user, 'code') ?? `http ${me.status}`);
    }
    if (idField(user, 'id') !== userId) throw upstreamFailed('db', 'profile of another user');
    return {
      provider: 'db',
      subject: userId,
      formerSubjects: [],
      nickname: textField(user, 'name'),
      avatarUrl: textField(user, 'large_avatar') || textField(user, 'avatar'),
    };
  }
}
