import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { NggirlClient, nggirlEnv, registerNggirlUser, type NggirlTokens } from '#test/helpers/nggirl.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const fail = (code: number, message: string) => ({ code, data: null, message });
const NOT_SIGNED_IN = fail(3, '授权令牌无效或已过期');

/** `authorization`: refresh tokens rotated, replays detected, concurrent refreshes settled, over HTTP. */
describe('nggirl authorization (refresh tokens)', () => {
  let t: TestApp;
  let client: NggirlClient;
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await createTestApp({ clock, env: nggirlEnv() });
    client = new NggirlClient(t, { clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const refresh = (pair: Pick<NggirlTokens, 'accessToken' | 'refreshToken'>) =>
    client.call('authorization', { accessToken: pair.accessToken, refreshToken: pair.refreshToken });
  const pairOf = (res: { body: unknown }) => {
    const body = res.body as { code: number; data: NggirlTokens };
    if (body.code !== 0) throw new Error(`authorization failed: ${JSON.stringify(body)}`);
    return body.data;
  };
  const works = async (accessToken: string) =>
    ((await client.get('listCosmeticsClass', { accessToken })).body as { code: number }).code === 0;

  it('should rotate: a new pair of the same user, the old access token ended, the old refresh token spent', async () => {
    const { tokens } = await registerNggirlUser(client);
    const res = await refresh(tokens);
    expect(res.body).toEqual({
      code: 0,
      data: {
        userId: tokens.userId,
        accessToken: expect.stringMatching(/^eyJ/),
        refreshToken: expect.stringMatching(/^rt_/),
        expireTime: Math.floor(clock.now().getTime() / 1000) + 7200,
        imAccount: tokens.imAccount,
        imPassword: tokens.imPassword,
      },
    });
    const next = pairOf(res);
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect(await works(tokens.accessToken)).toBe(false);
    expect(await works(next.accessToken)).toBe(true);
  });

  it('should rotate with an access token that has expired, and not with one of another pair', async () => {
    const { tokens } = await registerNggirlUser(client);
    const other = await registerNggirlUser(client);
    clock.advance(2 * 3600_000 + 1000);
    expect(await works(tokens.accessToken)).toBe(false);
    expect(
      (await refresh({ accessToken: other.tokens.accessToken, refreshToken: tokens.refreshToken })).body,
    ).toEqual(NOT_SIGNED_IN);
    const next = pairOf(await refresh(tokens));
    expect(await works(next.accessToken)).toBe(true);
  });

  it('should revoke the whole family when the first refresh token is replayed after three rotations', async () => {
    const { tokens: first } = await registerNggirlUser(client);
    let pair = first;
    for (let i = 0; i < 3; i++) {
      clock.advance(11_000);
      pair = pairOf(await refresh(pair));
    }
    expect(await works(pair.accessToken)).toBe(true);
    expect((await refresh(first)).body).toEqual(NOT_SIGNED_IN);
    // The newest pair went with the family.
    expect(await works(pair.accessToken)).toBe(false);
    expect((await refresh(pair)).body).toEqual(NOT_SIGNED_IN);
    const [family] = await t.db.query<Array<{ revoke_reason: string }>>(
      `SELECT revoke_reason FROM refresh_token_families WHERE user_id = $1`,
      [String(first.userId)],
    );
    expect(family.revoke_reason).toBe('reuse');
  });

  it('should answer a retry of the last rotation within 10 s with a fresh pair that replaces the one it lost', async () => {
    const { tokens } = await registerNggirlUser(client);
    const lost = pairOf(await refresh(tokens));
    clock.advance(9_000);
    const retried = pairOf(await refresh(tokens));
    expect(retried.refreshToken).not.toBe(lost.refreshToken);
    expect(await works(lost.accessToken)).toBe(false);
    expect(await works(retried.accessToken)).toBe(true);
    expect(pairOf(await refresh(retried)).accessToken).toMatch(/^eyJ/);
  });

  it('should treat the same retry after 10 s as a replay', async () => {
    const { tokens } = await registerNggirlUser(client);
    const next = pairOf(await refresh(tokens));
    clock.advance(10_001);
    expect((await refresh(tokens)).body).toEqual(NOT_SIGNED_IN);
    expect(await works(next.accessToken)).toBe(false);
    expect((await refresh(next)).body).toEqual(NOT_SIGNED_IN);
  });

  it('should leave at most one live pair after 10 concurrent refreshes of one token', async () => {
    const { tokens } = await registerNggirlUser(client);
    const answers = await Promise.all(Array.from({ length: 10 }, () => refresh(tokens)));
    const pairs = answers
      .map((res) => res.body as { code: number; data: NggirlTokens | null })
      .filter((body) => body.code === 0)
      .map((body) => body.data!);
    for (const res of answers) expect([0, 3]).toContain((res.body as { code: number }).code);
    expect(pairs.length).toBeGreaterThanOrEqual(1);
    const live = [];
    for (const pair of pairs) if (await works(pair.accessToken)) live.push(pair);
    expect(live).toHaveLength(1);
    // The live pair rotates; every other refresh token answered is dead (or kills the family, which is fine too).
    clock.advance(11_000);
    expect(pairOf(await refresh(live[0])).accessToken).toMatch(/^eyJ/);
  });

  it('should end a family REFRESH_TOKEN_TTL after its sign-in, however it was used', async () => {
    const { tokens } = await registerNggirlUser(client);
    let pair = tokens;
    for (let day = 0; day < 29; day++) {
      clock.advance(24 * 3600_000);
      pair = pairOf(await refresh(pair));
    }
    clock.advance(24 * 3600_000 + 1000);
    expect((await refresh(pair)).body).toEqual(NOT_SIGNED_IN);
  });

  it('should refuse garbage and missing tokens (3 and 2), and answer 1 and 10 for closed and banned accounts', async () => {
    expect((await refresh({ accessToken: 'garbage', refreshToken: 'rt_garbage' })).body).toEqual(
      NOT_SIGNED_IN,
    );
    expect((await client.call('authorization', { accessToken: 'x' })).body).toEqual(fail(2, '参数错误'));
    const closed = await registerNggirlUser(client);
    await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [String(closed.tokens.userId)]);
    expect((await refresh(closed.tokens)).body).toEqual(fail(1, '用户未注册'));
    const banned = await registerNggirlUser(client);
    await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [String(banned.tokens.userId)]);
    expect((await refresh(banned.tokens)).body).toEqual(fail(10, '账号已被锁定'));
  });
});
