import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SnsAccountsService } from '#src/sns/sns-accounts.service.js';
import { type SnsCallbackOutcome, SnsLoginService } from '#src/sns/sns-login.service.js';
import type { SnsProviderName } from '#src/sns/sns-provider.js';
import { FakeClock } from '#test/helpers/fake-clock.js';
import {
  FakeDouban,
  type FakeOAuthProvider,
  type FakeSnsPerson,
  FakeQq,
  FakeWechat,
  FakeWeibo,
} from '#test/helpers/fake-sns-oauth.js';
import { deleteRedisKeys, redisAnswers, TEST_REDIS_URL } from '#test/helpers/redis.js';
import { domainOutcome } from '#test/sns/domain-outcome.js';
import { createSnsTestContext, createUser, type SnsTestContext } from '#test/sns/sns-test-kit.js';

const redisPrefix = `concord-e2e:${randomUUID()}:`;
const withRedis = await redisAnswers('the SNS state store runs in memory only, not in Redis');
const STORES = withRedis ? (['memory', 'redis'] as const) : (['memory'] as const);

let people = 0;
const newPerson = (extra: Partial<FakeSnsPerson> = {}): FakeSnsPerson => ({
  id: `${7_000_000_000 + ++people}`,
  nickname: `新人${people}`,
  avatar: `https://img.example/p/${people}.png`,
  ...extra,
});

describe.each(STORES)('SNS sign-in with the state in %s', (store) => {
  const clock = new FakeClock(new Date('2026-11-29T08:00:00Z'));
  let t: SnsTestContext;
  let sut: SnsLoginService;
  let accounts: SnsAccountsService;
  const fakes = {} as Record<SnsProviderName, FakeOAuthProvider>;

  beforeAll(async () => {
    fakes.qq = await FakeQq.start();
    fakes.wb = await FakeWeibo.start();
    fakes.db = await FakeDouban.start();
    fakes.wx = await FakeWechat.start();
    t = await createSnsTestContext(
      {
        ...fakes.qq.env(),
        ...fakes.wb.env(),
        ...fakes.db.env(),
        ...fakes.wx.env(),
        MORETV_ALLOWED_ORIGINS: 'https://www.moretv.test',
        ...(store === 'redis' ? { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redisPrefix } : {}),
      },
      clock,
    );
    sut = t.moduleRef.get(SnsLoginService);
    accounts = t.moduleRef.get(SnsAccountsService);
  });
  afterAll(async () => {
    await t.close();
    for (const fake of Object.values(fakes)) await fake.close();
    if (store === 'redis') await deleteRedisKeys(redisPrefix);
  });

  const browser = () => `browser-${randomUUID()}`;

  /** preauth, the person approves at the provider, and the browser comes back: the callback's input. */
  const roundTrip = async (
    type: SnsProviderName,
    session: string,
    options: {
      action?: 'login' | 'bind';
      userId?: string;
      redirectUrl?: string;
      person?: FakeSnsPerson;
    } = {},
  ) => {
    const started = await sut.preauth({
      browserSessionId: session,
      type,
      action: options.action ?? 'login',
      userId: options.userId,
      redirectUrl: options.redirectUrl,
    });
    fakes[type].person = options.person ?? newPerson();
    const approval = await fakes[type].approve(started.authorizeUrl);
    expect(approval.redirectUri).toBe(`https://account.moretv.test/sns/login/callback/${type}`);
    return { ...approval, started };
  };

  const signUp = async (
    type: SnsProviderName,
    person = newPerson(),
    input = { nickname: person.nickname },
  ) => {
    const session = browser();
    const { code, state } = await roundTrip(type, session, { person });
    const outcome = await sut.callback({ browserSessionId: session, type, code, state });
    if (outcome.kind !== 'needs-signup') throw new Error(`expected needs-signup, got ${outcome.kind}`);
    return { user: await accounts.completeSignup(session, outcome.pending.fillOpenid, input), person };
  };

  describe.each(['qq', 'wb', 'db', 'wx'] as const)('%s', (type) => {
    it('should send a new person to the fill page, create the account there, then sign them in', async () => {
      const session = browser();
      const person = newPerson();
      const { code, state } = await roundTrip(type, session, {
        person,
        redirectUrl: 'https://www.moretv.test/play/1',
      });
      const outcome = await sut.callback({ browserSessionId: session, type, code, state });

      const fillOpenid = Buffer.from(person.id).toString('base64');
      expect(outcome).toEqual({
        kind: 'needs-signup',
        provider: type,
        redirectUrl: 'https://www.moretv.test/play/1',
        pending: {
          provider: type,
          fillOpenid,
          fillPath: `/sns/login/fill?openid=${encodeURIComponent(fillOpenid)}`,
          nickname: person.nickname,
          avatarUrl: expect.stringContaining(person.avatar),
          expiresAt: new Date(clock.now().getTime() + 30 * 60_000),
        },
      });
      // The fill page receives the parameter URL-encoded or already decoded: both name the record.
      expect((await accounts.findPendingSignup(session, encodeURIComponent(fillOpenid))).fillOpenid).toBe(
        fillOpenid,
      );

      const user = await accounts.completeSignup(session, fillOpenid, { nickname: `${type}的新用户` });
      expect(user).toMatchObject({ nickname: `${type}的新用户`, email: null, status: 'active' });
      expect(await accounts.listBindings(user.id)).toEqual([
        { provider: type, nickname: person.nickname, avatarUrl: expect.any(String), boundAt: clock.now() },
      ]);

      const again = browser();
      const back = await roundTrip(type, again, { person });
      expect(
        await sut.callback({ browserSessionId: again, type, code: back.code, state: back.state }),
      ).toEqual({
        kind: 'signed-in',
        provider: type,
        redirectUrl: null,
        user: expect.objectContaining({ id: user.id }),
      });
    });

    it('should refuse a state it never issued, and lose nothing by it', async () => {
      const session = browser();
      const { code, state } = await roundTrip(type, session);
      const forged = Buffer.alloc(32, 7).toString('base64url');
      for (const wrong of [forged, undefined, '', 'short', ['x']]) {
        expect(
          await domainOutcome(sut.callback({ browserSessionId: session, type, code, state: wrong })),
        ).toMatchObject({
          code: 'INVALID_PARAMS',
          detail: { reason: 'state' },
        });
      }
      // The real state is still good for its own browser.
      expect((await sut.callback({ browserSessionId: session, type, code, state })).kind).toBe(
        'needs-signup',
      );
    });

    it('should refuse a state shown by another browser session or for another provider, without burning it', async () => {
      const session = browser();
      const { code, state } = await roundTrip(type, session);
      expect(
        await domainOutcome(sut.callback({ browserSessionId: browser(), type, code, state })),
      ).toMatchObject({
        code: 'INVALID_PARAMS',
        detail: { reason: 'state', why: 'other session' },
      });
      const other = type === 'qq' ? 'wb' : 'qq';
      expect(
        await domainOutcome(sut.callback({ browserSessionId: session, type: other, code, state })),
      ).toMatchObject({
        code: 'INVALID_PARAMS',
        detail: { reason: 'state', why: 'other provider' },
      });
      expect((await sut.callback({ browserSessionId: session, type, code, state })).kind).toBe(
        'needs-signup',
      );
    });

    it('should refuse a state used once already, and a replayed code under a fresh state', async () => {
      const session = browser();
      const { code, state } = await roundTrip(type, session);
      await sut.callback({ browserSessionId: session, type, code, state });
      // The state store refuses the second use of the state (gone once taken)...
      expect(
        await domainOutcome(sut.callback({ browserSessionId: session, type, code, state })),
      ).toMatchObject({
        code: 'INVALID_PARAMS',
        detail: { reason: 'state' },
      });
      // ...and the provider the second use of the code.
      const fresh = await sut.preauth({ browserSessionId: session, type, action: 'login' });
      const freshState = new URL(fresh.authorizeUrl.replace('#wechat_redirect', '')).searchParams.get(
        'state',
      );
      expect(
        await domainOutcome(sut.callback({ browserSessionId: session, type, code, state: freshState! })),
      ).toMatchObject({ code: 'INVALID_PARAMS', detail: { reason: 'code', provider: type } });
    });
  });

  it('should let only one of two racing callbacks with the same state through', async () => {
    const session = browser();
    const { code, state } = await roundTrip('qq', session);
    const outcomes = await Promise.all(
      [1, 2, 3].map(() =>
        domainOutcome(sut.callback({ browserSessionId: session, type: 'qq', code, state })),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    // The losers read the state before the winner removed it ('used'), or after ('unknown').
    const refused = {
      code: 'INVALID_PARAMS',
      detail: { reason: 'state', why: expect.stringMatching(/^(used|unknown)$/) },
    };
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([refused, refused]);
  });

  it('should refuse a state older than SNS_STATE_TTL', async () => {
    const session = browser();
    const { code, state } = await roundTrip('wb', session);
    clock.advance(10 * 60_000 + 1);
    expect(
      await domainOutcome(sut.callback({ browserSessionId: session, type: 'wb', code, state })),
    ).toMatchObject({
      code: 'INVALID_PARAMS',
      // Redis still holds the key (its TTL runs on real time) and the stored deadline refuses it; in memory the
      // key went with the fake clock.
      detail: { reason: 'state', why: store === 'redis' ? 'expired' : 'unknown' },
    });
  });

  it('should keep only redirect URLs on allowed origins', async () => {
    const session = browser();
    const kept = await sut.preauth({
      browserSessionId: session,
      type: 'db',
      action: 'login',
      redirectUrl: '/userInfo',
    });
    expect(kept.redirectUrl).toBe('https://account.moretv.test/userInfo');
    const dropped = await sut.preauth({
      browserSessionId: session,
      type: 'db',
      action: 'login',
      redirectUrl: 'https://evil.example/phish',
    });
    expect(dropped.redirectUrl).toBeNull();
    expect(dropped.authorizeUrl).not.toContain('evil.example');
  });

  it('should refuse an unknown type at preauth and at the callback', async () => {
    expect(
      await domainOutcome(sut.preauth({ browserSessionId: browser(), type: 'fb', action: 'login' })),
    ).toEqual({
      code: 'INVALID_PARAMS',
      detail: { reason: 'type' },
    });
    expect(
      await domainOutcome(sut.callback({ browserSessionId: browser(), type: 'xx', code: 'c', state: 's' })),
    ).toEqual({
      code: 'INVALID_PARAMS',
      detail: { reason: 'type' },
    });
  });

  it('should end a declined sign-in as cancelled, at the redirect URL it started with', async () => {
    const session = browser();
    const started = await sut.preauth({
      browserSessionId: session,
      type: 'wb',
      action: 'login',
      redirectUrl: 'https://www.moretv.test/',
    });
    const { state } = fakes.wb.decline(started.authorizeUrl);
    expect(await sut.callback({ browserSessionId: session, type: 'wb', state })).toEqual({
      kind: 'cancelled',
      provider: 'wb',
      redirectUrl: 'https://www.moretv.test/',
    });
  });

  it('should refuse to sign in to a banned account, and treat a closed account’s identity as a new person', async () => {
    const { user, person } = await signUp('qq');
    await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [user.id]);
    const session = browser();
    let trip = await roundTrip('qq', session, { person });
    expect(await outcomeCode(sut.callback({ browserSessionId: session, type: 'qq', ...trip }))).toBe(
      'ACCOUNT_DISABLED',
    );

    await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [user.id]);
    trip = await roundTrip('qq', session, { person });
    const outcome = await sut.callback({ browserSessionId: session, type: 'qq', ...trip });
    expect(outcome.kind).toBe('needs-signup');
    const again = await accounts.completeSignup(session, (outcome as NeedsSignup).pending.fillOpenid, {
      nickname: 'again',
    });
    expect(again.id).not.toBe(user.id);
  });

  describe('the fill page', () => {
    const pendingOf = async (type: SnsProviderName = 'db') => {
      const session = browser();
      const person = newPerson();
      const trip = await roundTrip(type, session, { person });
      const outcome = (await sut.callback({ browserSessionId: session, type, ...trip })) as NeedsSignup;
      return { session, person, fillOpenid: outcome.pending.fillOpenid };
    };

    it('should be good only in the browser session that signed in, once, for SNS_SIGNUP_TTL', async () => {
      const { session, fillOpenid } = await pendingOf();
      expect(await outcomeCode(accounts.findPendingSignup(browser(), fillOpenid))).toBe('NOT_FOUND');
      expect(await outcomeCode(accounts.completeSignup(browser(), fillOpenid, { nickname: 'x' }))).toBe(
        'NOT_FOUND',
      );
      expect(await outcomeCode(accounts.findPendingSignup(session, 'not base64!'))).toBe('NOT_FOUND');
      await accounts.completeSignup(session, fillOpenid, { nickname: 'first' });
      expect(await outcomeCode(accounts.completeSignup(session, fillOpenid, { nickname: 'second' }))).toBe(
        'NOT_FOUND',
      );

      const late = await pendingOf();
      clock.advance(30 * 60_000);
      expect(await outcomeCode(accounts.findPendingSignup(late.session, late.fillOpenid))).toBe('NOT_FOUND');
    });

    it('should create an account that also signs in by password when given an email and a password', async () => {
      const { session, fillOpenid } = await pendingOf();
      const user = await accounts.completeSignup(session, fillOpenid, {
        nickname: '有密码',
        email: ' New.Person@Example.COM ',
        passwordDigest: 'e10adc3949ba59abbe56e057f20f883e',
      });
      expect(user.email).toBe('new.person@example.com');
      const [row] = await t.db.query<Array<{ hash: string }>>(
        `SELECT password_hash AS hash FROM user_credentials WHERE user_id = $1`,
        [user.id],
      );
      expect(row.hash).toMatch(/^\$argon2id\$/);
    });

    it('should never join an existing account by its email, and keep the record for another try', async () => {
      await createUser(t.db, { email: 'taken@example.com', password: true });
      const { session, fillOpenid } = await pendingOf();
      expect(
        await outcomeCode(
          accounts.completeSignup(session, fillOpenid, { nickname: 'n', email: 'Taken@example.com' }),
        ),
      ).toBe('ACCOUNT_EXISTS');
      expect((await accounts.completeSignup(session, fillOpenid, { nickname: 'n' })).email).toBeNull();
    });

    it('should refuse a bad nickname, a malformed email and a password without an email', async () => {
      const { session, fillOpenid } = await pendingOf();
      expect(await outcomeCode(accounts.completeSignup(session, fillOpenid, { nickname: '   ' }))).toBe(
        'NICKNAME_INVALID',
      );
      expect(
        await outcomeCode(
          accounts.completeSignup(session, fillOpenid, { nickname: 'n', email: 'not-an-email' }),
        ),
      ).toBe('INVALID_PARAMS');
      expect(
        await outcomeCode(
          accounts.completeSignup(session, fillOpenid, {
            nickname: 'n',
            passwordDigest: 'e10adc3949ba59abbe56e057f20f883e',
          }),
        ),
      ).toBe('INVALID_PARAMS');
    });
  });

  describe('bind and unbind', () => {
    const bind = async (type: SnsProviderName, userId: string, person = newPerson()) => {
      const session = browser();
      const trip = await roundTrip(type, session, { action: 'bind', userId, person });
      return sut.callback({
        browserSessionId: session,
        type,
        code: trip.code,
        state: trip.state,
        currentUserId: userId,
      });
    };

    it('should bind an identity to the signed-in account, which then signs in with it', async () => {
      const userId = await createUser(t.db, { email: `b${++people}@example.com`, password: true });
      const person = newPerson();
      expect(await bind('wb', userId, person)).toEqual({
        kind: 'bound',
        provider: 'wb',
        redirectUrl: null,
        userId,
      });
      const session = browser();
      const trip = await roundTrip('wb', session, { person });
      const outcome = await sut.callback({ browserSessionId: session, type: 'wb', ...trip });
      expect(outcome).toMatchObject({ kind: 'signed-in', user: { id: userId } });
      // Binding the same identity again changes nothing.
      expect((await bind('wb', userId, person)).kind).toBe('bound');
      expect(await accounts.listBindings(userId)).toHaveLength(1);
    });

    it('should refuse an identity bound to someone else, and a second identity of one provider', async () => {
      const owner = await createUser(t.db, { email: `o${++people}@example.com`, password: true });
      const other = await createUser(t.db, { email: `x${++people}@example.com`, password: true });
      const person = newPerson();
      await bind('db', owner, person);
      expect(await outcomeCode(bind('db', other, person))).toBe('ACCOUNT_EXISTS');
      expect(await domainOutcome(bind('db', owner, newPerson()))).toEqual({
        code: 'CONFLICT',
        detail: { reason: 'provider-already-bound' },
      });
    });

    it('should need the account that started the bind to be signed in when it comes back', async () => {
      const userId = await createUser(t.db, { email: `s${++people}@example.com`, password: true });
      expect(
        await outcomeCode(sut.preauth({ browserSessionId: browser(), type: 'qq', action: 'bind' })),
      ).toBe('UNAUTHENTICATED');
      for (const [currentUserId, expected] of [
        [undefined, 'UNAUTHENTICATED'],
        [await createUser(t.db), 'FORBIDDEN'],
      ] as const) {
        const session = browser();
        const trip = await roundTrip('qq', session, { action: 'bind', userId });
        expect(
          await outcomeCode(sut.callback({ browserSessionId: session, type: 'qq', ...trip, currentUserId })),
        ).toBe(expected);
      }
      expect(await accounts.listBindings(userId)).toEqual([]);
    });

    it('should unbind when a password or another identity remains, and refuse to remove the last way in', async () => {
      const { user } = await signUp('qq');
      expect(await domainOutcome(accounts.unbind(user.id, 'qq'))).toEqual({
        code: 'CONFLICT',
        detail: { reason: 'last-sign-in-method' },
      });
      await bind('wx', user.id);
      expect(await accounts.unbind(user.id, 'qq')).toBe(true);
      expect(await outcomeCode(accounts.unbind(user.id, 'wx'))).toBe('CONFLICT');
      expect(await accounts.unbind(user.id, 'db')).toBe(false);

      const withPassword = await createUser(t.db, { email: `p${++people}@example.com`, password: true });
      await bind('qq', withPassword);
      expect(await accounts.unbind(withPassword, 'qq')).toBe(true);

      const withFacebook = await createUser(t.db, { facebookId: `fb${++people}` });
      await bind('qq', withFacebook);
      expect(await accounts.unbind(withFacebook, 'qq')).toBe(true);

      // A password nobody can give (no email, no phone) is not a way in.
      const passwordOnly = await createUser(t.db, { password: true });
      await bind('wb', passwordOnly);
      expect(await outcomeCode(accounts.unbind(passwordOnly, 'wb'))).toBe('CONFLICT');
      const withPhone = await createUser(t.db, {
        phone: `+86139${String(++people).padStart(8, '0')}`,
        password: true,
      });
      await bind('wb', withPhone);
      expect(await accounts.unbind(withPhone, 'wb')).toBe(true);
    });

    it('should never let two concurrent unbinds leave an account without a way in', async () => {
      const { user } = await signUp('db');
      await bind('wb', user.id);
      const outcomes = await Promise.all([
        outcomeCode(accounts.unbind(user.id, 'db')),
        outcomeCode(accounts.unbind(user.id, 'wb')),
      ]);
      expect(outcomes.sort()).toEqual(['CONFLICT', 'ok']);
      expect(await accounts.listBindings(user.id)).toHaveLength(1);
    });

    it('should move a WeChat binding made by openid to the unionid once WeChat gives one', async () => {
      const userId = await createUser(t.db, { email: `w${++people}@example.com`, password: true });
      const person = newPerson();
      await bind('wx', userId, person);
      const unionid = `union-${person.id}`;
      const session = browser();
      const trip = await roundTrip('wx', session, { person: { ...person, unionid } });
      expect(await sut.callback({ browserSessionId: session, type: 'wx', ...trip })).toMatchObject({
        kind: 'signed-in',
        user: { id: userId },
      });
      const rows = await t.db.query<Array<{ subject: string }>>(
        `SELECT subject FROM sns_identities WHERE user_id = $1`,
        [userId],
      );
      expect(rows).toEqual([{ subject: unionid }]);
    });
  });
});

type NeedsSignup = Extract<SnsCallbackOutcome, { kind: 'needs-signup' }>;

async function outcomeCode(promise: Promise<unknown>): Promise<string> {
  const outcome = await domainOutcome(promise);
  return outcome === 'ok' ? 'ok' : outcome.code;
}
