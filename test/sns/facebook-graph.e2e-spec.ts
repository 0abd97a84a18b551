import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import FacebookTokenStrategy from 'passport-facebook-token';
import {
  facebookGraphFromConfig,
  type FacebookGraph,
  GraphFacebookClient,
  UnconfiguredFacebookGraph,
} from '#src/sns/facebook-graph.client.js';
import { FacebookTokenAuthStrategy, facebookTokenStrategyOptions } from '#src/sns/facebook-token.strategy.js';
import { FakeFacebookGraph } from '#test/helpers/fake-facebook-graph.js';
import { domainOutcome } from '#test/sns/domain-outcome.js';
import { snsTestConfig } from '#test/sns/sns-test-kit.js';

const ALICE = { id: '10150000000000001', name: 'Alice Liddell', email: 'alice@example.com' };
const BOB = { id: '10150000000000002', name: 'Bob' };
const OTHER_APP = { id: '999999999999999', secret: 'other-app-secret' };

describe(GraphFacebookClient.name, () => {
  let graph: FakeFacebookGraph;
  let sut: FacebookGraph;

  beforeAll(async () => {
    graph = await FakeFacebookGraph.start();
    graph.addUser(ALICE);
    graph.addUser(BOB);
    graph.addApp(OTHER_APP.id, OTHER_APP.secret);
    sut = facebookGraphFromConfig(snsTestConfig(graph.env()).facebook);
  });
  afterAll(async () => {
    await graph.close();
  });

  const requestsDuring = async (run: () => Promise<unknown>) => {
    const before = graph.requests.length;
    await run().catch(() => undefined);
    return graph.requests.slice(before);
  };

  it('should answer what Graph says of the token’s owner: id, name, email, avatar', async () => {
    expect(sut.configured).toBe(true);
    expect(await sut.verifyUserToken(graph.issueToken(ALICE.id))).toEqual({
      id: ALICE.id,
      name: ALICE.name,
      email: ALICE.email,
      avatarUrl: `https://platform-lookaside.fbsbx.example/${ALICE.id}/picture`,
    });
  });

  it('should check the token with debug_token and the app token, then ask /me with appsecret_proof', async () => {
    const token = graph.issueToken(ALICE.id);
    const requests = await requestsDuring(() => sut.verifyUserToken(token));
    expect(requests).toEqual([
      {
        path: '/v21.0/debug_token',
        params: { input_token: token, access_token: `${graph.appId}|${graph.appSecret}` },
      },
      {
        path: '/v21.0/me',
        params: {
          fields: 'id,name,email,picture',
          access_token: token,
          appsecret_proof: createHmac('sha256', graph.appSecret).update(token).digest('hex'),
        },
      },
    ]);
  });

  it('should refuse a token issued to another app, without asking /me', async () => {
    const token = graph.issueToken(ALICE.id, { appId: OTHER_APP.id });
    const requests = await requestsDuring(async () =>
      expect(await domainOutcome(sut.verifyUserToken(token))).toEqual({
        code: 'BAD_CREDENTIALS',
        detail: { provider: 'facebook', reason: 'other-app' },
      }),
    );
    expect(requests.map((r) => r.path)).toEqual(['/v21.0/debug_token']);
  });

  it('should refuse an invalid, an expired and a made-up token, and a page token', async () => {
    for (const token of [graph.issueToken(ALICE.id, { valid: false }), 'EAAmadeup', '']) {
      expect(await domainOutcome(sut.verifyUserToken(token))).toEqual({
        code: 'BAD_CREDENTIALS',
        detail: { provider: 'facebook', reason: 'invalid-token' },
      });
    }
    expect(
      await domainOutcome(sut.verifyUserToken(graph.issueToken(ALICE.id, { type: 'PAGE' }))),
    ).toMatchObject({
      code: 'BAD_CREDENTIALS',
      detail: { reason: 'not-a-user-token' },
    });
  });

  it('should answer the id the token belongs to, whoever the client claims to be (oauthId is not asked)', async () => {
    // A client says oauthId = Alice but sends Bob's token: the id that counts is Bob's.
    const profile = await sut.verifyUserToken(graph.issueToken(BOB.id));
    expect(profile).toEqual({ id: BOB.id, name: BOB.name, email: null, avatarUrl: expect.any(String) });
    expect(profile.id).not.toBe(ALICE.id);
  });

  it('should report Graph down, unreachable, or refusing our app token as an upstream failure', async () => {
    const token = graph.issueToken(ALICE.id);
    graph.down = true;
    try {
      expect(await domainOutcome(sut.verifyUserToken(token))).toMatchObject({ code: 'UPSTREAM_FAILED' });
    } finally {
      graph.down = false;
    }
    const wrongSecret = facebookGraphFromConfig(
      snsTestConfig(graph.env({ FACEBOOK_APP_SECRET: 'stale' })).facebook,
    );
    const outcome = await domainOutcome(wrongSecret.verifyUserToken(token));
    expect(outcome).toMatchObject({ code: 'UPSTREAM_FAILED', detail: { reason: 'debug_token refused' } });
    expect(JSON.stringify(outcome)).not.toContain(token);
    const closed = facebookGraphFromConfig(
      snsTestConfig(graph.env({ FACEBOOK_GRAPH_URL: 'http://127.0.0.1:9' })).facebook,
    );
    expect(await domainOutcome(closed.verifyUserToken(token))).toMatchObject({
      code: 'UPSTREAM_FAILED',
      detail: { reason: 'unreachable' },
    });
  });

  it('should refuse every token when Facebook login is not configured', async () => {
    const unconfigured = facebookGraphFromConfig(snsTestConfig().facebook);
    expect(unconfigured).toBeInstanceOf(UnconfiguredFacebookGraph);
    expect(await domainOutcome(unconfigured.verifyUserToken('EAAx'))).toMatchObject({
      code: 'UPSTREAM_FAILED',
    });
  });

  describe('behind passport-facebook-token', () => {
    type Result =
      | { kind: 'success'; user: unknown }
      | { kind: 'fail'; info: unknown }
      | { kind: 'error'; error: unknown };

    /** What passport does with a strategy: a per-request object whose success/fail/error end the request. */
    const authenticate = (strategy: object, req: object) =>
      new Promise<Result>((resolve) => {
        const run = Object.create(strategy) as {
          success: (user: unknown) => void;
          fail: (info: unknown) => void;
          error: (error: unknown) => void;
          authenticate: (req: object, options: object) => void;
        };
        run.success = (user) => resolve({ kind: 'success', user });
        run.fail = (info) => resolve({ kind: 'fail', info });
        run.error = (error) => resolve({ kind: 'error', error });
        run.authenticate(req, {});
      });

    const request = (params: Record<string, string>, headers: Record<string, string> = {}) => ({
      body: params,
      query: {},
      headers,
    });

    it('on its own, should fetch /me from profileURL with appsecret_proof, but accept another app’s token', async () => {
      const options = facebookTokenStrategyOptions(snsTestConfig(graph.env()).facebook);
      const plain = new FacebookTokenStrategy(options, (_access, _refresh, profile, done) =>
        done(null, profile),
      );
      const token = graph.issueToken(ALICE.id);
      const requests = await requestsDuring(async () => {
        const result = await authenticate(plain, request({ accessToken: token }));
        expect(result).toMatchObject({ kind: 'success', user: { id: ALICE.id, displayName: ALICE.name } });
      });
      expect(requests).toEqual([
        {
          path: '/v21.0/me',
          params: {
            appsecret_proof: createHmac('sha256', graph.appSecret).update(token).digest('hex'),
            fields: 'id,name,email,picture',
            access_token: token,
          },
        },
      ]);
      // Why FacebookTokenAuthStrategy replaces its profile step: with the other app's secret configured (its own
      // backend), the package takes that app's token without ever calling debug_token.
      const otherBackend = new FacebookTokenStrategy(
        { ...options, clientID: OTHER_APP.id, clientSecret: OTHER_APP.secret },
        (_access, _refresh, profile, done) => done(null, profile),
      );
      const foreign = graph.issueToken(ALICE.id, { appId: OTHER_APP.id });
      expect(await authenticate(otherBackend, request({ accessToken: foreign }))).toMatchObject({
        kind: 'success',
      });
      // And why it replaces the token lookup: without the field, the package takes `Authorization: Bearer …`,
      // where a nuzzle client carries its Concord session token, and sends that to Graph.
      const leaked = await requestsDuring(() =>
        authenticate(plain, request({}, { authorization: 'Bearer concord-session-token' })),
      );
      expect(leaked.map((r) => r.params.access_token)).toEqual(['concord-session-token']);
    });

    it('as FacebookTokenAuthStrategy, should sign in with the Graph profile and refuse another app’s token', async () => {
      const config = snsTestConfig(graph.env());
      const strategy = new FacebookTokenAuthStrategy(config, facebookGraphFromConfig(config.facebook));
      expect(
        await authenticate(strategy, request({ accessToken: graph.issueToken(BOB.id), oauthId: ALICE.id })),
      ).toEqual({
        kind: 'success',
        user: { id: BOB.id, name: BOB.name, email: null, avatarUrl: expect.any(String) },
      });
      const foreign = graph.issueToken(ALICE.id, { appId: OTHER_APP.id });
      const refused = await authenticate(strategy, request({ accessToken: foreign }));
      expect(refused).toMatchObject({ kind: 'error', error: { code: 'BAD_CREDENTIALS' } });
    });

    it('as FacebookTokenAuthStrategy, should never send the Authorization header (nuzzle’s session token) to Graph', async () => {
      const config = snsTestConfig(graph.env());
      const strategy = new FacebookTokenAuthStrategy(config, facebookGraphFromConfig(config.facebook));
      const requests = await requestsDuring(async () => {
        const result = await authenticate(
          strategy,
          request({}, { authorization: 'Bearer concord-session-token', accesstoken: 'header-token' }),
        );
        expect(result.kind).toBe('fail');
      });
      expect(requests).toEqual([]);
    });
  });
});
