import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { PasswordResetService } from '#src/auth/password-reset.service.js';
import { PhoneCodesService } from '#src/auth/phone-codes.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { DevicesService } from '#src/devices/devices.service.js';
import { refreshTokenHash } from '#src/refresh-tokens/refresh-token.js';
import {
  RefreshTokensService,
  ROTATION_RETRY_GRACE_MS,
  type TokenPair,
} from '#src/refresh-tokens/refresh-tokens.service.js';
import { FakeClock } from '#test/helpers/fake-clock.js';
import {
  authenticate,
  createMediumContext,
  createUser,
  md5,
  type MediumContext,
} from '#test/nggirl-domain/medium.js';

const ORIGIN = { ip: '203.0.113.9', userAgent: 'nggirl-test', platform: 'ios' };

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'resolved';
}

describe(RefreshTokensService.name, () => {
  let ctx: MediumContext;
  let sut: RefreshTokensService;
  const clock = new FakeClock(new Date('2026-11-30T08:00:00Z'));

  beforeAll(async () => {
    ctx = await createMediumContext({ clock });
    sut = ctx.get(RefreshTokensService);
  });
  afterAll(async () => {
    await ctx.close();
  });

  const open = async (userId: string): Promise<TokenPair> =>
    ctx.db.transaction((em) => sut.openPair(em, userId, ORIGIN));
  const rotate = (pair: Pick<TokenPair, 'accessToken' | 'refreshToken'>) =>
    sut.rotate({ accessToken: pair.accessToken, refreshToken: pair.refreshToken }, ORIGIN);
  const works = async (pair: TokenPair): Promise<boolean> =>
    authenticate(ctx, pair.accessToken).then(
      () => true,
      () => false,
    );
  const familyOf = async (pair: TokenPair) => {
    const [row] = await ctx.db.query<
      Array<{ familyId: string; revokedAt: Date | null; reason: string | null }>
    >(
      `SELECT f.id AS "familyId", f.revoked_at AS "revokedAt", f.revoke_reason AS reason
         FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id WHERE t.token_hash = $1`,
      [refreshTokenHash(pair.refreshToken)],
    );
    return row;
  };
  const liveSessionsOfFamily = async (familyId: string) =>
    Number(
      (
        await ctx.db.query<Array<{ n: string }>>(
          `SELECT count(*) AS n FROM sessions s
            WHERE s.revoked_at IS NULL AND s.id IN (SELECT session_id FROM refresh_tokens WHERE family_id = $1)`,
          [familyId],
        )
      )[0].n,
    );
  const liveTokensOfFamily = async (familyId: string) =>
    Number(
      (
        await ctx.db.query<Array<{ n: string }>>(
          `SELECT count(*) AS n FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
            WHERE t.family_id = $1 AND t.used_at IS NULL AND s.revoked_at IS NULL`,
          [familyId],
        )
      )[0].n,
    );

  it('should open an nggirl session that lasts ACCESS_TOKEN_TTL, with an opaque refresh token stored hashed', async () => {
    const user = await createUser(ctx);
    const pair = await open(user.id);
    expect(pair.refreshToken).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    // Token times come from the injectable clock, like the session's.
    expect(pair.accessExpiresAt.getTime()).toBe(
      Math.floor(clock.now().getTime() / 1000) * 1000 + ctx.config.auth.accessTokenTtlMs,
    );
    await expect(authenticate(ctx, pair.accessToken)).resolves.toMatchObject({
      userId: user.id,
      channel: 'nggirl',
    });
    const [session] = await ctx.db.query<Array<{ expiresAt: Date; dialect: string }>>(
      `SELECT expires_at AS "expiresAt", dialect FROM sessions WHERE id = $1`,
      [pair.sessionId],
    );
    expect(session).toEqual({
      dialect: 'nggirl',
      expiresAt: new Date(clock.now().getTime() + ctx.config.auth.accessTokenTtlMs),
    });
    const stored = await ctx.db.query<Array<{ hash: Buffer }>>(
      `SELECT token_hash AS hash FROM refresh_tokens`,
    );
    expect(stored.some((r) => r.hash.includes(Buffer.from(pair.refreshToken)))).toBe(false);
  });

  it('should rotate: a new pair works, the old session ends and the old refresh token is spent', async () => {
    const user = await createUser(ctx);
    const first = await open(user.id);
    const second = await rotate(first);
    expect(second.userId).toBe(user.id);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await works(second)).toBe(true);
    expect(await works(first)).toBe(false);
    const [old] = await ctx.db.query<Array<{ reason: string }>>(
      `SELECT revoke_reason AS reason FROM sessions WHERE id = $1`,
      [first.sessionId],
    );
    expect(old.reason).toBe('refresh_rotated');
  });

  it('should accept an expired access token, but only the one issued with the refresh token', async () => {
    const user = await createUser(ctx);
    const first = await open(user.id);
    const second = await rotate(first);
    const expired = new JwtService().sign(
      { sub: user.id, sid: second.sessionId, iat: Math.floor(clock.now().getTime() / 1000) - 7300 },
      { secret: ctx.config.auth.jwtSecret, expiresIn: 100 },
    );
    await expect(authenticate(ctx, expired)).rejects.toThrow();
    // First the access token of another pair (the first one's): refused, and nothing spent.
    expect(
      await failure(
        sut.rotate({ accessToken: first.accessToken, refreshToken: second.refreshToken }, ORIGIN),
      ),
    ).toBe('UNAUTHENTICATED');
    const other = await open((await createUser(ctx)).id);
    expect(
      await failure(
        sut.rotate({ accessToken: other.accessToken, refreshToken: second.refreshToken }, ORIGIN),
      ),
    ).toBe('UNAUTHENTICATED');
    const forged = new JwtService().sign({ sub: user.id, sid: second.sessionId }, { secret: 'x'.repeat(40) });
    expect(
      await failure(sut.rotate({ accessToken: forged, refreshToken: second.refreshToken }, ORIGIN)),
    ).toBe('UNAUTHENTICATED');
    const third = await sut.rotate({ accessToken: expired, refreshToken: second.refreshToken }, ORIGIN);
    expect(await works(third)).toBe(true);
  });

  it('should refuse tokens that are not ours', async () => {
    const user = await createUser(ctx);
    const pair = await open(user.id);
    expect(await failure(rotate({ ...pair, refreshToken: 'rt_' + 'A'.repeat(43) }))).toBe('UNAUTHENTICATED');
    expect(await failure(rotate({ ...pair, refreshToken: 'da7d0666a7706d64c4bf7283e71a1f8289bd8aa1' }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await failure(rotate({ ...pair, accessToken: 'garbage' }))).toBe('UNAUTHENTICATED');
    expect(await works(pair)).toBe(true);
  });

  it('should revoke the whole family, newest pair included, when a token rotated 3 times is replayed', async () => {
    const user = await createUser(ctx);
    const first = await open(user.id);
    let newest = first;
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      newest = await rotate(newest);
    }
    expect(await works(newest)).toBe(true);
    expect(await failure(rotate(first))).toBe('UNAUTHENTICATED');
    expect(await works(newest)).toBe(false);
    expect(await failure(rotate(newest))).toBe('UNAUTHENTICATED');
    expect(await familyOf(newest)).toMatchObject({ revokedAt: expect.any(Date), reason: 'reuse' });
    expect(await liveSessionsOfFamily((await familyOf(newest)).familyId)).toBe(0);
    const [session] = await ctx.db.query<Array<{ reason: string }>>(
      `SELECT revoke_reason AS reason FROM sessions WHERE id = $1`,
      [newest.sessionId],
    );
    expect(session.reason).toBe('refresh_reuse');
  });

  it('should replace the pair just issued when the same rotation is retried within 10 s', async () => {
    const user = await createUser(ctx);
    const first = await open(user.id);
    const lost = await rotate(first);
    clock.advance(ROTATION_RETRY_GRACE_MS - 1_000);
    const retried = await rotate(first);
    expect(await works(retried)).toBe(true);
    expect(await works(lost)).toBe(false);
    expect(await familyOf(retried)).toMatchObject({ revokedAt: null });
    // The retried pair rotates on normally.
    clock.advance(30_000);
    const next = await rotate(retried);
    expect(await works(next)).toBe(true);
    // The pair that was replaced is a spent token now: presenting it is a replay.
    expect(await failure(rotate(lost))).toBe('UNAUTHENTICATED');
    expect(await works(next)).toBe(false);
  });

  it('should revoke the family when the retry comes after 10 s', async () => {
    const user = await createUser(ctx);
    const first = await open(user.id);
    const second = await rotate(first);
    clock.advance(ROTATION_RETRY_GRACE_MS + 1);
    expect(await failure(rotate(first))).toBe('UNAUTHENTICATED');
    expect(await works(second)).toBe(false);
  });

  it('should revoke the family when the pair a retry would replace was already used', async () => {
    const user = await createUser(ctx);
    const first = await open(user.id);
    const second = await rotate(first);
    const third = await rotate(second);
    expect(await failure(rotate(first))).toBe('UNAUTHENTICATED');
    expect(await works(third)).toBe(false);
  });

  it('should leave at most one live pair after 10 concurrent refreshes of one token', async () => {
    const user = await createUser(ctx);
    const first = await open(user.id);
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => rotate(first)));
    const pairs = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(pairs.length).toBeGreaterThanOrEqual(1);
    const { familyId } = await familyOf(first);
    expect(await liveSessionsOfFamily(familyId)).toBe(1);
    expect(await liveTokensOfFamily(familyId)).toBe(1);
    const working = (await Promise.all(pairs.map(works))).filter(Boolean);
    expect(working).toHaveLength(1);
  });

  it('should let a family die REFRESH_TOKEN_TTL after it started, however it was used', async () => {
    const user = await createUser(ctx);
    let pair = await open(user.id);
    clock.advance(ctx.config.auth.refreshTokenTtlMs - 60_000);
    pair = await rotate(pair);
    clock.advance(60_000);
    expect(await failure(rotate(pair))).toBe('UNAUTHENTICATED');
  });

  it('should end the families of an account whose password was reset, in whatever dialect', async () => {
    const user = await createUser(ctx, { password: 'old-password' });
    const pair = await open(user.id);
    clock.advance(120_000);
    const sent = await ctx.get(PhoneCodesService).send({
      phone: user.phone,
      purpose: 'reset',
      ip: '203.0.113.10',
      format: { digits: 6, sms: (code) => `code ${code}` },
    });
    await ctx.get(PasswordResetService).resetPasswordWithCode({
      phone: user.phone,
      code: sent.echo!,
      newDigest: md5('new-password'),
      ip: '203.0.113.10',
    });
    expect(await works(pair)).toBe(false);
    expect(await failure(rotate(pair))).toBe('UNAUTHENTICATED');
    expect(await familyOf(pair)).toMatchObject({ reason: 'session_ended' });
  });

  it('should end every family of a user on demand', async () => {
    const user = await createUser(ctx);
    const a = await open(user.id);
    const b = await rotate(await open(user.id));
    await ctx.db.transaction((em) => sut.revokeAllForUser(em, user.id, 'password_changed'));
    expect(await works(a)).toBe(false);
    expect(await works(b)).toBe(false);
    expect(await familyOf(b)).toMatchObject({ reason: 'password_changed' });
  });

  it('should refuse a banned or closed account with its own code', async () => {
    const banned = await createUser(ctx);
    const pair = await open(banned.id);
    await ctx.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [banned.id]);
    expect(await failure(rotate(pair))).toBe('ACCOUNT_DISABLED');
    const closed = await createUser(ctx);
    const other = await open(closed.id);
    await ctx.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [closed.id]);
    expect(await failure(rotate(other))).toBe('USER_NOT_FOUND');
  });

  it("should end the session of a client's saved access token at the next logon of the same user only", async () => {
    const user = await createUser(ctx);
    const saved = await open(user.id);
    const stranger = await createUser(ctx);
    expect(await sut.endSessionOfAccessToken(saved.accessToken, stranger.id)).toBe(false);
    expect(await sut.endSessionOfAccessToken('garbage', user.id)).toBe(false);
    expect(await sut.endSessionOfAccessToken(undefined, user.id)).toBe(false);
    expect(await works(saved)).toBe(true);
    expect(await sut.endSessionOfAccessToken(saved.accessToken, user.id)).toBe(true);
    expect(await works(saved)).toBe(false);
    expect(await familyOf(saved)).toMatchObject({ reason: 'signed_in_again' });
    expect(await failure(rotate(saved))).toBe('UNAUTHENTICATED');
  });

  it("should carry the session's push registration over to the next session", async () => {
    const user = await createUser(ctx);
    const first = await open(user.id);
    await ctx.get(DevicesService).registerBaiduPush({
      userId: user.id,
      sessionId: first.sessionId,
      deviceType: 'ios',
      pushUserId: 'baidu-user-1',
      pushChannelId: `channel-${user.id}`,
      now: clock.now(),
    });
    const second = await rotate(first);
    const devices = await ctx.db.query<Array<{ sessionId: string }>>(
      `SELECT session_id AS "sessionId" FROM devices WHERE user_id = $1`,
      [user.id],
    );
    expect(devices).toEqual([{ sessionId: second.sessionId }]);
    // A logout elsewhere (which drops the devices of ended sessions) keeps it.
    await ctx.db.transaction((em) => ctx.get(DevicesService).unregisterEndedSessions(em, user.id));
    expect(await ctx.db.query(`SELECT 1 FROM devices WHERE user_id = $1`, [user.id])).toHaveLength(1);
  });
});
