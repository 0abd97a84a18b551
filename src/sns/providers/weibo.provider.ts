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

export interface WeiboClientConfig {
  clientId: string;
  clientSecret: string;
  /** https://api.weibo.com */
  baseUrl: string;
}

/** Weibo's answer for a code that is unknown, expired or used: `invalid_grant`, error_code 21325. */
function isRefusedCode(body: Record<string, unknown>): boolean {
  return body.error === 'invalid_grant' || idField(body, 'error_code') === '21325';
}

/**
 * Sina Weibo (api.weibo.com, OAuth 2.0): the token is a form POST whose JSON answer carries the person's `uid`
 * (a string there); the profile is `2/users/show.json?uid=…`, where the id comes back as a number (`id`) and as a
 * string (`idstr`, used here: Weibo ids outgrew JavaScript's safe integers in other APIs). Errors are JSON with
 * `error` and `error_code`, HTTP 400/403.
 */
export class WeiboProvider extends SnsProvider {
  readonly name = 'wb';

  constructor(
    private readonly config: WeiboClientConfig,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  authorizeUrl(state: string, redirectUri: string): string {
    return `${this.config.baseUrl}/oauth2/authorize?${queryString({
      client_id: this.config.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      state,
    })}`;
  }

  async exchangeCode(code: string, redirectUri: string): Promise<SnsIdentity> {
    const token = await callProvider(
      'wb',
      `${this.config.baseUrl}/oauth2/access_token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: queryString({
          client_id: this.config.clientId,
          client_secret: this.config.clientSecret,
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
        }),
      },
      this.timeoutMs,
    );
    const tokenBody = parseJsonObject('wb', token.text);
    if (token.status !== 200 || tokenBody.error !== undefined) {
      if (isRefusedCode(tokenBody))
        throw codeRefused('wb', idField(tokenBody, 'error_code') ?? 'invalid_grant');
      throw upstreamFailed('wb', 'token refused', idField(tokenBody, 'error_code') ?? `http ${token.status}`);
    }
    const accessToken = idField(tokenBody, 'access_token');
    const uid = idField(tokenBody, 'uid');
    if (!accessToken || !uid) throw upstreamFailed('wb', 'malformed answer');

    const show = await callProvider(
      'wb',
      `${this.config.baseUrl}/2/users/show.json?${queryString({ access_token: accessToken, uid })}`,
      { method: 'GET' },
      this.timeoutMs,
    );
    const user = parseJsonObject('wb', show.text);
    if (show.status !== 200 || user.error !== undefined) {
      throw upstreamFailed('wb', 'profile refused', idField(user, 'error_code') ?? `http ${show.status}`);
    }
    if ((idField(user, 'idstr') ?? idField(user, 'id')) !== uid)
      throw upstreamFailed('wb', 'profile of another uid');
    return {
      provider: 'wb',
      subject: uid,
      formerSubjects: [],
      nickname: textField(user, 'screen_name'),
      avatarUrl: textField(user, 'avatar_large') || textField(user, 'profile_image_url'),
    };
  }
}
