import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeFacebookGraph, type GraphRequest } from '#test/helpers/fake-facebook-graph.js';
import { registerNuzzleUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const ALICE = { id: '10150000000000101', name: 'Alice Liddell', email: 'alice.fb@example.com' };
const BOB = { id: '10150000000000102', name: 'Bob Builder' };
const CAROL = { id: '10150000000000103', name: 'Carol' };
const DAVE = { id: '10150000000000104', name: 'Dave' };
const ERIN = { id: '10150000000000105', name: 'Erin' };
const FRANK = { id: '10150000000000106', name: 'Frank' };
const GRACE = { id: '10150000000000107', name: 'Grace' };
const HEIDI = { id: '10150000000000108', name: 'Heidi' };
const IVAN = { id: '10150000000000109', name: 'Ivan' };
const OTHER_APP = { id: '999999999999999', secret: 'other-app-secret' };
const COMMON = { tz: 'Asia/Shanghai', pf: 'android', locale: 'zh_CN' };
const graphPicture = (id: string) => `https://platform-lookaside.fbsbx.example/${id}/picture`;

describe('nuzzle /passport/facebook/login', () => {
  let graph: FakeFacebookGraph;
  let t: TestApp;

  beforeAll(async () => {
    graph = await FakeFacebookGraph.start();
    for (const user of [ALICE, BOB, CAROL, DAVE, ERIN, FRANK, GRACE, HEIDI, IVAN]) graph.addUser(user);
    graph.addApp(OTHER_APP.id, OTHER_APP.secret);
    t = await createTestApp({ env: graph.env() });
  });
  afterAll(async () => {
    await t?.close();
    await graph?.close();
  });

  const login = (body: Record<string, unknown>) =>
    t.http
      .post('/passport/facebook/login')
      .type('form')
      .send({ ...COMMON, ...body });
  const profile = (token: string) => t.http.get('/user/profile').set('Authorization', token);
  const registerTimeOf = async (id: string) =>
    Number(
      (
        await t.db.query<Array<{ ms: string }>>(
          `SELECT (extract(epoch FROM created_at) * 1000)::bigint::text AS ms FROM users WHERE id = $1`,
          [id],
        )
      )[0].ms,
    );
  const accountsOf = async (facebookId: string) =>
    t.db.query<Array<{ id: string; status: string }>>(
      `SELECT id::text, status FROM users WHERE facebook_id = $1 ORDER BY id`,
      [facebookId],
    );
  const requestsDuring = async (run: () => Promise<unknown>): Promise<GraphRequest[]> => {
    const before = graph.requests.length;
    await run();
    return graph.requests.slice(before);
  };

  it('should create the account on the first sign-in and answer the document’s fields, isFirstTime true', async () => {
    const accessToken = graph.issueToken(ALICE.id);

    const res = await login({
      accessToken,
      oauthId: ALICE.id,
      nickname: 'alice.l',
      avatar: 'https://img.facebook.com/user/alice/avatar.png',
    });

    expect(res.status).toBe(200);
    const id = res.body.data?.id as string;
    expect(res.body).toEqual({
      ret: 200,
      data: {
        id,
        userId: id,
        token: expect.any(String),
        status: 'NORMAL',
        email: '',
        nickname: 'alice.l',
        facebookId: ALICE.id,
        regDone: false,
        type: 'nobody',
        isFirstTime: true,
        avatar: 'https://img.facebook.com/user/alice/avatar.png',
        thumbnail: 'https://img.facebook.com/user/alice/avatar.png',
        registerTime: await registerTimeOf(id),
      },
    });
    const me = await profile(res.body.data.token as string);
    expect(me.body).toMatchObject({ ret: 200, data: { id, facebookId: ALICE.id, nickname: 'alice.l' } });
    // Graph's email joins nothing and is not stored: the document's example answers an empty email.
    expect(await t.db.query(`SELECT email FROM users WHERE id = $1`, [id])).toEqual([{ email: null }]);
    expect(t.logs.some((line) => line.includes(accessToken))).toBe(false);
  });

  it('should sign in to the same account the second time, isFirstTime false, ignoring new hints', async () => {
    const first = await login({ accessToken: graph.issueToken(BOB.id), oauthId: BOB.id, nickname: 'bob' });
    expect(first.body).toMatchObject({ ret: 200, data: { isFirstTime: true, nickname: 'bob' } });

    const second = await t.http.post('/passport/facebook/login').send({
      ...COMMON,
      accessToken: graph.issueToken(BOB.id),
      oauthId: BOB.id,
      nickname: 'robert',
      avatar: 'https://scontent.fbcdn.net/robert.jpg',
    });

    expect(second.body).toMatchObject({
      ret: 200,
      data: {
        id: first.body.data.id,
        facebookId: BOB.id,
        nickname: 'bob',
        avatar: graphPicture(BOB.id),
        isFirstTime: false,
      },
    });
    expect(second.body.data.token).not.toBe(first.body.data.token);
    expect(await accountsOf(BOB.id)).toHaveLength(1);
    // Both sessions work.
    for (const token of [first.body.data.token, second.body.data.token] as string[]) {
      expect((await profile(token)).body).toMatchObject({ ret: 200, data: { id: first.body.data.id } });
    }
  });

  it('should sign in the Graph user of the token, not the one oauthId names', async () => {
    const alice = await login({ accessToken: graph.issueToken(ALICE.id), oauthId: ALICE.id });
    expect(alice.body).toMatchObject({ ret: 200, data: { facebookId: ALICE.id, isFirstTime: false } });

    // Carol's token, claiming to be Alice (with Alice's name and picture as hints).
    const res = await login({
      accessToken: graph.issueToken(CAROL.id),
      oauthId: ALICE.id,
      nickname: 'alice.l',
      avatar: 'https://img.facebook.com/user/alice/avatar.png',
    });

    expect(res.body).toMatchObject({ ret: 200, data: { facebookId: CAROL.id, isFirstTime: true } });
    expect(res.body.data.id).not.toBe(alice.body.data.id);
    expect((await profile(res.body.data.token as string)).body.data.facebookId).toBe(CAROL.id);
  });

  it('should refuse a token Facebook issued to another app, without creating an account', async () => {
    const foreign = graph.issueToken(DAVE.id, { appId: OTHER_APP.id });

    const requests = await requestsDuring(async () => {
      const res = await login({ accessToken: foreign, oauthId: DAVE.id, nickname: 'dave' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
    });

    expect(requests.map((r) => r.path)).toEqual(['/v21.0/debug_token']);
    expect(await accountsOf(DAVE.id)).toEqual([]);
  });

  it('should refuse an invalid, an expired and a made-up token', async () => {
    for (const accessToken of [graph.issueToken(DAVE.id, { valid: false }), 'EAAmadeup', 'x'.repeat(5000)]) {
      const res = await login({ accessToken, oauthId: DAVE.id });
      expect(res.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
    }
    expect(await accountsOf(DAVE.id)).toEqual([]);
  });

  it('should answer SERVER_ERROR while Graph is down, and sign in once it is back', async () => {
    const accessToken = graph.issueToken(DAVE.id);
    graph.down = true;
    try {
      const res = await login({ accessToken, oauthId: DAVE.id });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ret: 500, errcode: 'SERVER_ERROR' });
    } finally {
      graph.down = false;
    }
    expect(await accountsOf(DAVE.id)).toEqual([]);

    const res = await login({ accessToken, oauthId: DAVE.id });
    expect(res.body).toMatchObject({ ret: 200, data: { facebookId: DAVE.id, isFirstTime: true } });
  });

  it('should answer PARAM_ERROR without a usable accessToken, and never ask Graph', async () => {
    const requests = await requestsDuring(async () => {
      for (const body of [
        { oauthId: ALICE.id, nickname: 'alice' },
        { accessToken: '', oauthId: ALICE.id },
        { accessToken: ['a', 'b'], oauthId: ALICE.id },
      ]) {
        const res = await login(body);
        expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
      }
      const json = await t.http
        .post('/passport/facebook/login')
        .send({ ...COMMON, accessToken: 12345, oauthId: ALICE.id });
      expect(json.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
    });
    expect(requests).toEqual([]);
  });

  it('should answer PARAM_ERROR for a malformed hint, after the token was checked', async () => {
    const res = await t.http
      .post('/passport/facebook/login')
      .send({ ...COMMON, accessToken: graph.issueToken(ALICE.id), nickname: { a: 1 } });
    expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
  });

  it('should never send the Authorization header (the nuzzle session token) to Graph', async () => {
    const session = await registerNuzzleUser(t);

    // No accessToken: passport-facebook-token alone would take `Authorization: Bearer …` as the Facebook token.
    const withoutToken = await requestsDuring(async () => {
      for (const header of [`Bearer ${session.token}`, session.token]) {
        const res = await login({ oauthId: ALICE.id }).set('Authorization', header);
        expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
      }
    });
    expect(withoutToken).toEqual([]);

    // With one, Graph hears of the Facebook token only.
    const accessToken = graph.issueToken(ALICE.id);
    const withToken = await requestsDuring(async () => {
      const res = await login({ accessToken, oauthId: ALICE.id }).set(
        'Authorization',
        `Bearer ${session.token}`,
      );
      expect(res.body).toMatchObject({ ret: 200, data: { facebookId: ALICE.id } });
    });
    expect(withToken.map((r) => r.path)).toEqual(['/v21.0/debug_token', '/v21.0/me']);
    expect(JSON.stringify(withToken)).not.toContain(session.token);
    expect(withToken.map((r) => r.params.access_token)).toEqual([
      `${graph.appId}|${graph.appSecret}`,
      accessToken,
    ]);
  });

  it('should take the token from the query string too, and keep it out of the logs', async () => {
    const accessToken = graph.issueToken(ALICE.id);

    const res = await t.http
      .post('/passport/facebook/login')
      .query({ ...COMMON, accessToken })
      .type('form')
      .send({ oauthId: ALICE.id });

    expect(res.body).toMatchObject({ ret: 200, data: { facebookId: ALICE.id, isFirstTime: false } });
    expect(t.logs.some((line) => line.includes(accessToken))).toBe(false);
  });

  it('should never take over an email account with the same email: the Facebook identity gets its own', async () => {
    const owner = await registerNuzzleUser(t, { email: 'erin@example.com', nickname: 'Erin by email' });
    graph.addUser({ ...ERIN, email: 'erin@example.com' });

    const res = await login({
      accessToken: graph.issueToken(ERIN.id),
      oauthId: ERIN.id,
      nickname: 'erin.fb',
    });

    expect(res.body).toMatchObject({
      ret: 200,
      data: { email: '', facebookId: ERIN.id, nickname: 'erin.fb', isFirstTime: true },
    });
    expect(res.body.data.id).not.toBe(owner.id);
    // The email account is untouched and still its owner's.
    expect(
      await t.db.query(`SELECT email, facebook_id AS "facebookId", nickname FROM users WHERE id = $1`, [
        owner.id,
      ]),
    ).toEqual([{ email: 'erin@example.com', facebookId: null, nickname: 'Erin by email' }]);
    const byEmail = await t.http
      .post('/passport/email/login')
      .send({ email: owner.email, password: owner.password });
    expect(byEmail.body).toMatchObject({ ret: 200, data: { id: owner.id, facebookId: '' } });
    // And the email stays the email account's alone: registering it again is still refused.
    const again = await t.http
      .post('/passport/email/register')
      .send({ email: 'erin@example.com', password: owner.password, nickname: 'x' });
    expect(again.body).toEqual({ ret: 500, errcode: 'USER_HAS_EXIST' });
  });

  it('should answer USER_IS_CANCELED for a banned account, as login does, without opening a session', async () => {
    const first = await login({ accessToken: graph.issueToken(FRANK.id), oauthId: FRANK.id });
    const id = first.body.data.id as string;
    await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [id]);
    const sessionsBefore = await t.db.query(`SELECT id FROM sessions WHERE user_id = $1`, [id]);

    const res = await login({ accessToken: graph.issueToken(FRANK.id), oauthId: FRANK.id });

    expect(res.body).toEqual({ ret: 500, errcode: 'USER_IS_CANCELED' });
    expect(await t.db.query(`SELECT id FROM sessions WHERE user_id = $1`, [id])).toEqual(sessionsBefore);
  });

  it('should treat the Facebook id of a closed account as new, as email registration treats its email', async () => {
    const first = await login({ accessToken: graph.issueToken(GRACE.id), oauthId: GRACE.id });
    await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [first.body.data.id]);

    const res = await login({ accessToken: graph.issueToken(GRACE.id), oauthId: GRACE.id });

    expect(res.body).toMatchObject({ ret: 200, data: { facebookId: GRACE.id, isFirstTime: true } });
    expect(res.body.data.id).not.toBe(first.body.data.id);
  });

  it('should seed only valid nicknames and Facebook-hosted avatars', async () => {
    const long = 'Maria Fernanda de los Santos Gutiérrez y Rodríguez';
    const cases: Array<[Record<string, string>, { nickname: string; avatar: string }]> = [
      // Too long: cut to 30 characters. An avatar elsewhere than Facebook: Graph's picture instead.
      [
        { nickname: long, avatar: 'https://tracker.example.com/pixel.png' },
        { nickname: [...long].slice(0, 30).join('').trim(), avatar: graphPicture(HEIDI.id) },
      ],
      // Reserved or invisible: Graph's name. Plain http: Graph's picture.
      [
        { nickname: 'Nuzzle Official', avatar: 'http://img.facebook.com/a.png' },
        { nickname: IVAN.name, avatar: graphPicture(IVAN.id) },
      ],
    ];
    for (const [index, [hints, expected]] of cases.entries()) {
      const who = [HEIDI, IVAN][index];
      const res = await login({ accessToken: graph.issueToken(who.id), oauthId: who.id, ...hints });
      expect(res.body).toMatchObject({ ret: 200, data: { ...expected, isFirstTime: true } });
    }
  });

  it('should create one account when the first sign-ins of one person race', async () => {
    const person = { id: '10150000000000199', name: 'Racer' };
    graph.addUser(person);

    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        login({ accessToken: graph.issueToken(person.id), oauthId: person.id }),
      ),
    );

    const bodies = answers.map((a) => a.body as { ret: number; data: { id: string; isFirstTime: boolean } });
    expect(bodies.map((b) => b.ret)).toEqual(Array(6).fill(200));
    expect(new Set(bodies.map((b) => b.data.id)).size).toBe(1);
    expect(bodies.filter((b) => b.data.isFirstTime)).toHaveLength(1);
    expect(await accountsOf(person.id)).toHaveLength(1);
  });

  it('should record the pushToken as a device of the new session', async () => {
    const person = { id: '10150000000000198', name: 'Pusher' };
    graph.addUser(person);

    const res = await login({ accessToken: graph.issueToken(person.id), pushToken: 'push-fb-1' });

    expect(res.body.ret).toBe(200);
    expect(
      await t.db.query(
        `SELECT user_id::text AS "userId", push_provider AS provider, platform FROM devices WHERE push_token = $1`,
        ['push-fb-1'],
      ),
    ).toEqual([{ userId: res.body.data.id, provider: 'nuzzle', platform: 'android' }]);
  });

  it('should answer only POST, as the document says', async () => {
    const res = await t.http
      .get('/passport/facebook/login')
      .query({ accessToken: graph.issueToken(ALICE.id) });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ ret: 500, errcode: 'NOT_ALLOWED' });
  });

  describe('without FACEBOOK_APP_ID and FACEBOOK_APP_SECRET', () => {
    let unconfigured: TestApp;

    beforeAll(async () => {
      unconfigured = await createTestApp({ env: { FACEBOOK_GRAPH_URL: graph.url } });
    });
    afterAll(async () => {
      await unconfigured?.close();
    });

    it('should start, and answer SERVER_ERROR to every token without asking Graph', async () => {
      const requests = await requestsDuring(async () => {
        const res = await unconfigured.http
          .post('/passport/facebook/login')
          .send({ accessToken: graph.issueToken(ALICE.id), oauthId: ALICE.id });
        expect(res.body).toEqual({ ret: 500, errcode: 'SERVER_ERROR' });
      });
      expect(requests).toEqual([]);
    });
  });

  describe('beside another app in the same process', () => {
    let otherGraph: FakeFacebookGraph;
    let other: TestApp;

    beforeAll(async () => {
      otherGraph = await FakeFacebookGraph.start('888888888888888', 'second-app-secret');
      otherGraph.addUser(ALICE);
      other = await createTestApp({ env: { ...otherGraph.env(), ACCOUNT_IP_LIMIT_PER_HOUR: '2' } });
    });
    afterAll(async () => {
      await other?.close();
      await otherGraph?.close();
    });

    it('should check tokens against its own Graph and app id, and leave the first app’s strategy alone', async () => {
      const mine = await other.http
        .post('/passport/facebook/login')
        .send({ accessToken: otherGraph.issueToken(ALICE.id) });
      expect(mine.body).toMatchObject({ ret: 200, data: { facebookId: ALICE.id, isFirstTime: true } });
      // A token of the first app's Graph means nothing to the second app's.
      const theirs = await other.http
        .post('/passport/facebook/login')
        .send({ accessToken: graph.issueToken(ALICE.id) });
      expect(theirs.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
      // The first app still checks with its own.
      const first = await login({ accessToken: graph.issueToken(ALICE.id) });
      expect(first.body).toMatchObject({ ret: 200, data: { facebookId: ALICE.id } });
    });

    it('should spend the address’s account budget before asking Graph: NOT_ALLOWED past it', async () => {
      // A budget of 2 an hour for this app's one address (the test before may have spent it already).
      const send = () =>
        other.http.post('/passport/facebook/login').send({ accessToken: otherGraph.issueToken(ALICE.id) });
      for (let i = 0; i < 2; i++) await send();
      const before = otherGraph.requests.length;

      const res = await send();

      expect(res.status).toBe(429);
      expect(res.body).toEqual({ ret: 500, errcode: 'NOT_ALLOWED' });
      expect(otherGraph.requests.length).toBe(before);
    });
  });
});
