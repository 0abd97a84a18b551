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

export interface QqClientConfig {
  clientId: string;
  clientSecret: string;
  /** https://graph.qq.com */
  baseUrl: string;
}

/** QQ's codes for a code that cannot be exchanged: 100019 "code to access token error", 100020 "code is reused". */
const REFUSED_CODE_ERRORS = new Set(['100019', '100020']);

/**
 * QQ answers some calls JSONP-style, `callback( {...} );`, whatever the caller asked for: the openid call always,
 * and the token call when it fails. Also accepts bare JSON. Returns undefined for anything else.
 */
export function parseQqCallback(text: string): Record<string, unknown> | undefined {
  const match =
    /^\s*callback\s*\(\s*(\{[\s\S]*\})\s*\)\s*;?\s*$/.exec(text) ?? /^\s*(\{[\s\S]*\})\s*$/.exec(text);
  if (!match) return undefined;
  try {
    const value: unknown = JSON.parse(match[1]);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * QQ Connect (graph.qq.com, OAuth 2.0): the token call answers form-encoded (`access_token=…&expires_in=…`) on
 * success and JSONP on failure; the openid needs a call of its own (`/oauth2.0/me`), which also says which app the
 * token belongs to; the profile (`/user/get_user_info`) wants the app id again as `oauth_consumer_key` and answers
 * JSON labelled text/html, with `ret` 0 for success.
 */
export class QqProvider extends SnsProvider {
  readonly name = 'qq';

  constructor(
    private readonly config: QqClientConfig,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  authorizeUrl(state: string, redirectUri: string): string {
    return `${this.config.baseUrl}/oauth2.0/authorize?${queryString({
      response_type: 'code',
      client_id: this.config.clientId,
      redirect_uri: redirectUri,
      state,
      scope: 'get_user_info',
    })}`;
  }

  async exchangeCode(code: string, redirectUri: string): Promise<SnsIdentity> {
    const accessToken = await this.accessToken(code, redirectUri);
    const openid = await this.openid(accessToken);
    const profile = await this.profile(accessToken, openid);
    return {
      provider: 'qq',
      subject: openid,
      formerSubjects: [],
      nickname: textField(profile, 'nickname'),
      // figureurl_qq_2 is 100×100 and not always present; figureurl_qq_1 (40×40) always is.
      avatarUrl: textField(profile, 'figureurl_qq_2') || textField(profile, 'figureurl_qq_1'),
    };
  }

  private async accessToken(code: string, redirectUri: string): Promise<string> {
    const { status, text } = await callProvider(
      'qq',
      `${this.config.baseUrl}/oauth2.0/token?${queryString({
        grant_type: 'authorization_code',
        client_id: this.config.clientId,
        client_secret: this.config.clientSecret,
        code,
        redirect_uri: redirectUri,
      })}`,
      { method: 'GET' },
      this.timeoutMs,
    );
    const failure = parseQqCallback(text);
    if (failure) {
      const error = idField(failure, 'error') ?? 'unknown';
      if (REFUSED_CODE_ERRORS.has(error)) throw codeRefused('qq', error);
      throw upstreamFailed('qq', 'token refused', error);
    }
    if (status !== 200) throw upstreamFailed('qq', 'token refused', `http ${status}`);
    const token = new URLSearchParams(text.trim()).get('access_token');
    if (!token) throw upstreamFailed('qq', 'malformed answer');
    return token;
  }

  private async openid(accessToken: string): Promise<string> {
    const { text } = await callProvider(
      'qq',
      `${this.config.baseUrl}/oauth2.0/me?${queryString({ access_token: accessToken })}`,
      { method: 'GET' },
      this.timeoutMs,
    );
    const body = parseQqCallback(text);
    if (!body) throw upstreamFailed('qq', 'malformed answer');
    const error = idField(body, 'error');
    if (error) throw upstreamFailed('qq', 'openid refused', error);
    // The token was just issued to us; a different client_id means something between us and QQ is wrong.
    if (idField(body, 'client_id') !== this.config.clientId)
      throw upstreamFailed('qq', 'token of another app');
    const openid = idField(body, 'openid');
    if (!openid) throw upstreamFailed('qq', 'malformed answer');
    return openid;
  }

  private async profile(accessToken: string, openid: string): Promise<Record<string, unknown>> {
    const { status, text } = await callProvider(
      'qq',
      `${this.config.baseUrl}/user/get_user_info?${queryString({
        access_token: accessToken,
        oauth_consumer_key: this.config.clientId,
        openid,
      })}`,
      { method: 'GET' },
      this.timeoutMs,
    );
    if (status !== 200) throw upstreamFailed('qq', 'profile refused', `http ${status}`);
    const body = parseJsonObject('qq', text);
    if (body.ret !== 0) throw upstreamFailed('qq', 'profile refused', idField(body, 'ret') ?? 'unknown');
    return body;
  }
}
