import type { Request } from 'express';
import FacebookTokenStrategy from 'passport-facebook-token';
import { mergeParams } from '#src/common/http/merge-params.js';
import type { AppConfig } from '#src/config/app-config.js';
import type { FacebookGraph, FacebookProfile } from '#src/sns/facebook-graph.client.js';

/** nuzzle's parameter name for the Facebook user access token. */
export const FACEBOOK_TOKEN_FIELD = 'accessToken';

/** The options passport-facebook-token reads (its published types omit most of them). */
export interface FacebookTokenStrategyOptions {
  clientID: string;
  clientSecret: string;
  fbGraphVersion: string;
  /** Where the strategy's own profile fetch goes: `<FACEBOOK_GRAPH_URL>/<version>/me` (the fake Graph in tests). */
  profileURL: string;
  tokenURL: string;
  profileFields: string[];
  accessTokenField: string;
  enableProof: boolean;
}

/**
 * passport-oauth2 refuses to construct a strategy without a client id; without FACEBOOK_APP_ID the app must still
 * start (Facebook login is optional), and every token is then refused by UnconfiguredFacebookGraph, never by this id.
 */
const UNCONFIGURED_APP_ID = 'unconfigured';

export function facebookTokenStrategyOptions(config: AppConfig['facebook']): FacebookTokenStrategyOptions {
  const base = `${config.graphUrl}/${config.graphVersion}`;
  return {
    clientID: config.appId ?? UNCONFIGURED_APP_ID,
    clientSecret: config.appSecret ?? '',
    fbGraphVersion: config.graphVersion,
    profileURL: `${base}/me`,
    tokenURL: `${base}/oauth/access_token`,
    profileFields: ['id', 'displayName', 'emails', 'photos'],
    accessTokenField: FACEBOOK_TOKEN_FIELD,
    enableProof: true,
  };
}

type Done = (error: unknown, profile?: unknown) => void;

/**
 * passport-facebook-token with Concord's two safer steps; a plain passport strategy that registers itself nowhere
 * (src/auth/facebook.strategy.ts registers it per app). A successful authentication yields the FacebookProfile.
 *
 * passport-facebook-token (4.0.0) finds the token in the request and fetches `/me` itself from `profileURL`, with
 * `appsecret_proof` when `enableProof` is on; it never calls `debug_token`, so on its own it would accept a token
 * issued to any app. Here its profile step is FacebookGraph.verifyUserToken (debug_token, then /me with the proof,
 * ids compared), so one code path checks tokens whether or not passport is in front of it.
 *
 * Its token lookup also falls back to headers and to `Authorization: Bearer …`, which is where nuzzle clients send
 * their Concord session token: that fallback would forward our own token to Facebook. Only the request's
 * parameters (query and body, merged as every route merges them) are read here.
 */
export class FacebookTokenAuthStrategy extends FacebookTokenStrategy {
  constructor(
    config: AppConfig,
    private readonly graph: FacebookGraph,
  ) {
    // The verify step: the profile is already checked; the client's oauthId, nickname and avatar play no part.
    super(facebookTokenStrategyOptions(config.facebook), (_accessToken, _refreshToken, profile, done) =>
      done(null, profile),
    );
  }

  lookup(req: Request, field: string): string | undefined {
    const value = mergeParams(req)[field];
    return typeof value === 'string' && value ? value : undefined;
  }

  userProfile(accessToken: string, done: Done): void {
    this.graph.verifyUserToken(accessToken).then(
      (profile: FacebookProfile) => done(null, profile),
      (error: unknown) => done(error),
    );
  }
}
