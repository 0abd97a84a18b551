import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignInService } from '#src/auth/sign-in.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { ImAccounts } from '#src/im/im-accounts.js';
import { ImProvider } from '#src/im/im-provider.js';
import { NggirlCredentialsService } from '#src/nggirl/nggirl-credentials.service.js';
import {
  authenticate,
  createMediumContext,
  createUser,
  md5,
  type MediumContext,
} from '#test/nggirl-domain/medium.js';

const ORIGIN = { ip: '203.0.113.20', userAgent: 'nggirl-test' };

/** An IM provider that records its calls and fails while told to. */
class RecordingImProvider extends ImProvider {
  readonly name = 'local';
  readonly created: Array<{ account: string; password: string }> = [];
  failing = false;

  /** Issues its own secret, as RongCloud does, so the stored one must follow. */
  issueOwnSecret = false;

  provision(account: string, proposedPassword: string): Promise<string> {
    if (this.failing) return Promise.reject(new Error('provider down'));
    const password = this.issueOwnSecret ? `issued-${account}` : proposedPassword;
    this.created.push({ account, password });
    return Promise.resolve(password);
  }
}

describe(NggirlCredentialsService.name, () => {
  let ctx: MediumContext;
  let sut: NggirlCredentialsService;
  const provider = new RecordingImProvider();

  beforeAll(async () => {
    ctx = await createMediumContext({ overrides: [{ token: ImProvider, value: provider }] });
    sut = ctx.get(NggirlCredentialsService);
  });
  afterAll(async () => {
    await ctx.close();
  });

  const logon = async (phone: string, password: string) =>
    ctx
      .get(SignInService)
      .loginWithPhone({ phone, passwordDigest: md5(password) }, { ...ORIGIN, dialect: 'nggirl' });

  it('should answer the documented token data after a phone logon', async () => {
    const user = await createUser(ctx, { password: 'secret-1' });
    const answer = await sut.afterSignIn(await logon(user.phone, 'secret-1'));
    expect(answer).toEqual({
      userId: Number(user.id),
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^rt_/),
      expireTime: expect.any(Number),
      imAccount: expect.stringMatching(/^concord_[0-9a-f]{16}$/),
      imPassword: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
    });
    expect(Math.abs(answer.expireTime - (Date.now() / 1000 + 7200))).toBeLessThan(5);
    await expect(authenticate(ctx, answer.accessToken)).resolves.toMatchObject({
      channel: 'nggirl',
    });
    const password = Buffer.from(answer.imPassword, 'base64').toString('utf8');
    expect(provider.created).toContainEqual({ account: answer.imAccount, password });
    // Kept encrypted: the password appears nowhere in the row.
    const [row] = await ctx.db.query<Array<Record<string, unknown>>>(
      `SELECT * FROM im_accounts WHERE user_id = $1`,
      [user.id],
    );
    expect(JSON.stringify(row)).not.toContain(password);
    expect((row.password_ciphertext as Buffer).includes(Buffer.from(password))).toBe(false);
    expect(row.provisioned_at).toBeInstanceOf(Date);
  });

  it('should hand the same IM identity to every sign-in and refresh of the user, created once', async () => {
    const user = await createUser(ctx, { password: 'secret-2' });
    const first = await sut.afterSignIn(await logon(user.phone, 'secret-2'));
    const second = await sut.afterSignIn(await logon(user.phone, 'secret-2'));
    const refreshed = await sut.refresh(second, ORIGIN);
    expect([second.imAccount, refreshed.imAccount]).toEqual([first.imAccount, first.imAccount]);
    expect([second.imPassword, refreshed.imPassword]).toEqual([first.imPassword, first.imPassword]);
    expect(provider.created.filter((c) => c.account === first.imAccount)).toHaveLength(1);
  });

  it('should agree on one identity when a new user signs in twice at once', async () => {
    const user = await createUser(ctx);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => ctx.get(ImAccounts).credentialsFor(user.id)),
    );
    expect(new Set(answers.map((a) => `${a.account}:${a.password}`)).size).toBe(1);
  });

  it('should fail with UPSTREAM_FAILED while the provider is down, and create the identity on the next try', async () => {
    const user = await createUser(ctx);
    provider.failing = true;
    try {
      await expect(ctx.get(ImAccounts).credentialsFor(user.id)).rejects.toMatchObject({
        code: 'UPSTREAM_FAILED',
      });
    } finally {
      provider.failing = false;
    }
    const credentials = await ctx.get(ImAccounts).credentialsFor(user.id);
    expect(provider.created).toContainEqual(credentials);
  });

  it('should keep the secret a provider issues instead of the proposed password', async () => {
    const user = await createUser(ctx);
    provider.issueOwnSecret = true;
    try {
      const first = await ctx.get(ImAccounts).credentialsFor(user.id);
      expect(first.password).toBe(`issued-${first.account}`);
      expect(await ctx.get(ImAccounts).credentialsFor(user.id)).toEqual(first);
    } finally {
      provider.issueOwnSecret = false;
    }
  });

  it("should end the older session at a logon that carries the client's saved access token", async () => {
    const user = await createUser(ctx, { password: 'secret-3' });
    const older = await sut.afterSignIn(await logon(user.phone, 'secret-3'));
    const signedIn = await logon(user.phone, 'secret-3');
    expect(await sut.endPreviousSession(older.accessToken, signedIn.user.id)).toBe(true);
    await expect(authenticate(ctx, older.accessToken)).rejects.toBeInstanceOf(DomainError);
    await expect(authenticate(ctx, signedIn.accessToken)).resolves.toBeDefined();
    await expect(sut.refresh(older, ORIGIN)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('should end every family and start a new one at a sign-in after a password reset', async () => {
    const user = await createUser(ctx, { password: 'secret-4' });
    const before = await sut.afterSignIn(await logon(user.phone, 'secret-4'));
    const after = await sut.signInAfterPasswordReset(user.id, ORIGIN);
    expect(after.userId).toBe(Number(user.id));
    await expect(sut.refresh(before, ORIGIN)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(sut.refresh(after, ORIGIN)).resolves.toMatchObject({ userId: Number(user.id) });
  });
});
