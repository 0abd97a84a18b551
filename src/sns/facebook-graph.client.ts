import { createHmac } from 'node:crypto';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { AppConfig } from '#src/config/app-config.js';
import {
  callProvider,
  idField,
  parseJsonObject,
  textField,
  upstreamFailed,
} from '#src/sns/providers/sns-http.js';

/** What Facebook itself says about the owner of an access token. */
export interface FacebookProfile {
  /** The app-scoped Facebook user id: the only thing an account may be keyed by. */
  id: string;
  name: string;
  /** Absent when the person has none or did not grant `email`. Never a reason to join an existing account. */
  email: string | null;
  avatarUrl: string | null;
}

/**
 * Checks a Facebook user access token. `verifyUserToken` throws BAD_CREDENTIALS (detail `reason`: 'invalid-token',
 * 'other-app', 'not-a-user-token', 'other-user') when the token is not a valid user token issued to our app, and
 * UPSTREAM_FAILED when Graph cannot be asked (unreachable, our app token refused, an answer that does not parse)
 * or Facebook login is not configured.
 */
export abstract class FacebookGraph {
  abstract readonly configured: boolean;
  abstract verifyUserToken(accessToken: string): Promise<FacebookProfile>;
}

/** Without FACEBOOK_APP_ID and FACEBOOK_APP_SECRET there is nothing to check a token against. */
export class UnconfiguredFacebookGraph extends FacebookGraph {
  readonly configured = false;
  verifyUserToken(): Promise<FacebookProfile> {
    return Promise.reject(upstreamFailed('facebook', 'not configured'));
  }
}

/** `appsecret_proof`: HMAC-SHA256 of the access token keyed by the app secret, hex. */
export function appSecretProof(accessToken: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

/** Graph's error code for an access token that is invalid, expired or revoked. */
const OAUTH_INVALID_TOKEN = '190';

function badToken(reason: string): DomainError {
  return new DomainError('BAD_CREDENTIALS', 'Facebook access token refused', {
    provider: 'facebook',
    reason,
  });
}

/**
 * The Graph API (FACEBOOK_GRAPH_URL, FACEBOOK_GRAPH_VERSION). First `debug_token` with the app token
 * (`<app_id>|<app_secret>`): the token must be valid, a USER token and issued to FACEBOOK_APP_ID (a token another
 * app obtained for the same person must not sign in here). Then `/me?fields=id,name,email,picture` with the user
 * token and `appsecret_proof`, whose id must be the debug_token's user_id.
 */
export class GraphFacebookClient extends FacebookGraph {
  readonly configured = true;
  private readonly base: string;

  constructor(private readonly config: AppConfig['facebook'] & { appId: string; appSecret: string }) {
    super();
    this.base = `${config.graphUrl}/${config.graphVersion}`;
  }

  async verifyUserToken(accessToken: string): Promise<FacebookProfile> {
    if (typeof accessToken !== 'string' || accessToken.length === 0 || accessToken.length > 4096) {
      throw badToken('invalid-token');
    }
    const userId = await this.debugToken(accessToken);
    const me = await this.get('me', {
      fields: 'id,name,email,picture',
      access_token: accessToken,
      appsecret_proof: appSecretProof(accessToken, this.config.appSecret),
    });
    if (me.status !== 200) {
      const code = idField(graphError(me.body), 'code');
      if (code === OAUTH_INVALID_TOKEN) throw badToken('invalid-token');
      throw upstreamFailed('facebook', 'profile refused', code ?? `http ${me.status}`);
    }
    const id = idField(me.body, 'id');
    if (!id) throw upstreamFailed('facebook', 'malformed answer');
    if (id !== userId) throw badToken('other-user');
    const email = textField(me.body, 'email');
    return { id, name: textField(me.body, 'name'), email: email || null, avatarUrl: pictureUrl(me.body) };
  }

  /** The token's user id, once debug_token says it is a valid user token of our app. */
  private async debugToken(accessToken: string): Promise<string> {
    const answer = await this.get('debug_token', {
      input_token: accessToken,
      access_token: `${this.config.appId}|${this.config.appSecret}`,
    });
    // A top-level error is about the app token (ours), not the user's: a configuration problem.
    if (answer.status !== 200) {
      throw upstreamFailed('facebook', 'debug_token refused', idField(graphError(answer.body), 'code'));
    }
    const data = answer.body.data;
    if (typeof data !== 'object' || data === null) throw upstreamFailed('facebook', 'malformed answer');
    const info = data as Record<string, unknown>;
    if (info.is_valid !== true) throw badToken('invalid-token');
    if (idField(info, 'app_id') !== this.config.appId) throw badToken('other-app');
    if (info.type !== undefined && info.type !== 'USER') throw badToken('not-a-user-token');
    const userId = idField(info, 'user_id');
    if (!userId) throw badToken('not-a-user-token');
    return userId;
  }

  private async get(
    path: string,
    params: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const { status, text } = await callProvider(
      'facebook',
      `${this.base}/${path}?${new URLSearchParams(params).toString()}`,
      { method: 'GET' },
      this.config.timeoutMs,
    );
    return { status, body: parseJsonObject('facebook', text) };
  }
}

function graphError(body: Record<string, unknown>): Record<string, unknown> {
  const error = body.error;
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
}

/** `picture` comes back as `{data: {url, is_silhouette, …}}`. */
function pictureUrl(body: Record<string, unknown>): string | null {
  const picture = body.picture as { data?: { url?: unknown } } | undefined;
  const url = picture?.data?.url;
  return typeof url === 'string' && url !== '' ? url : null;
}

export function facebookGraphFromConfig(config: AppConfig['facebook']): FacebookGraph {
  const { appId, appSecret } = config;
  return appId && appSecret
    ? new GraphFacebookClient({ ...config, appId, appSecret })
    : new UnconfiguredFacebookGraph();
}
