import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import FacebookTokenStrategy from 'passport-facebook-token';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { FacebookGraph, type FacebookProfile } from '#src/sns/facebook-graph.client.js';

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

export function facebookTokenStrategyOptions(config: AppConfig['facebook']): FacebookTokenStrategyOptions {
  const base = `${config.graphUrl}/${config.graphVersion}`;
  return {
    clientID: config.appId ?? '',
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
 * WRITTEN, NOT WIRED: the integrator registers it (a provider of the module serving /passport/facebook/login) and
 * guards the route with `AuthGuard('facebook-token')`; `req.user` is then the FacebookProfile.
 *
 * passport-facebook-token (4.0.0) finds the token in the request and fetches `/me` itself from `profileURL`, with
 * `appsecret_proof` when `enableProof` is on; it never calls `debug_token`, so on its own it would accept a token
 * issued to any app. Here its profile step is FacebookGraph.verifyUserToken (debug_token, then /me with the proof,
 * ids compared), so one code path checks tokens whether or not passport is in front of it.
 *
 * Its token lookup also falls back to headers and to `Authorization: Bearer …`, which is where nuzzle clients send
 * their Concord session token: that fallback would forward our own token to Facebook. Only the body and the query
 * are read here.
 */
@Injectable()
export class FacebookTokenAuthStrategy extends PassportStrategy(FacebookTokenStrategy, 'facebook-token') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly graph: FacebookGraph,
  ) {
    super(facebookTokenStrategyOptions(config.facebook));
  }

  lookup(req: Request, field: string): string | undefined {
    const fromBody: unknown = (req.body as Record<string, unknown> | undefined)?.[field];
    const fromQuery: unknown = (req.query as Record<string, unknown> | undefined)?.[field];
    const value = typeof fromBody === 'string' && fromBody ? fromBody : fromQuery;
    return typeof value === 'string' && value ? value : undefined;
  }

  userProfile(accessToken: string, done: Done): void {
    this.graph.verifyUserToken(accessToken).then(
      (profile) => done(null, profile),
      (error: unknown) => done(error),
    );
  }

  /** passport's verify step: the profile is already checked; the client's oauthId, nickname and avatar play no part. */
  validate(_accessToken: string, _refreshToken: string, profile: FacebookProfile): FacebookProfile {
    return profile;
  }
}
