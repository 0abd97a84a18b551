import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoinsService } from '#src/coins/coins.service.js';
import { runCli as cli } from '#test/helpers/cli.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';
import { registerXiaomaUser } from '#test/helpers/xiaoma.js';

const ADMIN_PASSWORD = 'correct horse battery';

describe('operators and coins (/admin, audit-coins, xiaoma balances)', () => {
  let t: TestApp;
  let admin: string;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp({
      env: { VERIFICATION_ECHO_CODE: 'true', DATA_DIR: `/tmp/concord-coins-admin-${process.pid}` },
    });
    expect(await cli(t, ['create-admin', 'ops@example.com'], `${ADMIN_PASSWORD}\n`)).toMatchObject({
      code: 0,
    });
    const res = await t.http
      .post('/admin/session')
      .send({ email: 'ops@example.com', password: ADMIN_PASSWORD });
    admin = (res.body as { token: string }).token;
  });
  afterAll(async () => {
    await t.close();
  });

  async function xiaomaUser(): Promise<{ id: string; token: string }> {
    const { token } = await registerXiaomaUser(t);
    const details = await t.http.get('/Api/User/get_user_details').query({ token });
    return { id: (details.body as { data: { _id: string } }).data._id, token };
  }

  const grant = (userId: string, body: Record<string, unknown>) =>
    t.http.post(`/admin/users/${userId}/coins`).set(bearer(admin)).send(body);

  async function auditActions(
    userId: string,
  ): Promise<Array<{ action: string; detail: Record<string, unknown> }>> {
    const res = await t.http.get('/admin/audit-log').query({ userId }).set(bearer(admin));
    return (res.body as { items: Array<{ action: string; detail: Record<string, unknown> }> }).items;
  }

  it('should grant coins with a reason, audit it, and claw back never below zero', async () => {
    const user = await xiaomaUser();
    const granted = await grant(user.id, { amount: 500, reason: 'refund of a failed purchase, ticket 1234' });
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual({
      postingId: expect.any(String),
      replayed: false,
      userId: user.id,
      currency: 'coin',
      amount: 500,
      balance: 500,
    });

    const tooMuch = await grant(user.id, { amount: -501, reason: 'duplicate grant' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body).toMatchObject({ error: { code: 'INSUFFICIENT_COINS' } });

    const clawed = await grant(user.id, { amount: -200, reason: 'granted twice by mistake' });
    expect(clawed.body).toMatchObject({ amount: -200, balance: 300 });

    const actions = await auditActions(user.id);
    expect(actions.map((a) => [a.action, a.detail.amount, a.detail.reason])).toEqual([
      ['coins.clawed_back', -200, 'granted twice by mistake'],
      ['coins.granted', 500, 'refund of a failed purchase, ticket 1234'],
    ]);
    expect(actions[0]).toMatchObject({
      actor: 'ops@example.com',
      detail: { balance: 300, currency: 'coin' },
    });

    const read = await t.http.get(`/admin/users/${user.id}/coins`).set(bearer(admin));
    expect(read.body).toEqual({
      userId: user.id,
      balances: { coin: 300, integral: 0, currency: 0, virtual_currency: 0 },
      debts: { coin: 0, integral: 0, currency: 0, virtual_currency: 0 },
      income: 0,
    });
  });

  it('should answer a resubmitted request id once, without a second posting or audit entry', async () => {
    const user = await xiaomaUser();
    const body = { amount: 50, reason: 'goodwill', requestId: 'form-7f3a' };
    const first = await grant(user.id, body);
    const again = await grant(user.id, body);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect(again.body).toMatchObject({ balance: 50 });
    expect((await auditActions(user.id)).length).toBe(1);
    // Another user with the same request id is a conflict, not a replay of someone else's grant.
    const other = await xiaomaUser();
    expect((await grant(other.id, body)).body).toMatchObject({ error: { code: 'CONFLICT' } });
  });

  it('should refuse a missing reason, a zero or fractional amount, an unknown currency and an unknown user', async () => {
    const user = await xiaomaUser();
    for (const body of [
      { amount: 5 },
      { amount: 5, reason: '   ' },
      { amount: 0, reason: 'x' },
      { amount: 1.5, reason: 'x' },
      { amount: '5', reason: 'x' },
      { amount: 5, reason: 'x', currency: 'gold' },
    ]) {
      const res = await grant(user.id, body);
      expect({
        body,
        status: res.status,
        code: (res.body as { error?: { code: string } }).error?.code,
      }).toEqual({
        body,
        status: 400,
        code: 'INVALID_PARAMS',
      });
    }
    const unknown = await grant('987654321', { amount: 5, reason: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'USER_NOT_FOUND' } });
    expect((await t.http.post(`/admin/users/${user.id}/coins`).send({ amount: 5, reason: 'x' })).status).toBe(
      401,
    );
    expect((await t.http.get('/admin/coins/audit')).status).toBe(401);
    expect((await t.http.post(`/admin/users/${user.id}/coins`).set(bearer(user.token)).send({})).status).toBe(
      401,
    );
    expect((await auditActions(user.id)).length).toBe(0);
  });

  it("should show xiaoma's points, bricks and red packets from the ledger in get_user_details", async () => {
    const user = await xiaomaUser();
    await grant(user.id, { amount: 12, reason: 'sign-in streak', currency: 'integral' });
    await grant(user.id, { amount: 3, reason: 'event prize', currency: 'currency' });
    await grant(user.id, { amount: 88, reason: 'red packet', currency: 'virtual_currency' });
    const res = await t.http.get(`/Api/User/get_user_details/token/${user.token}`);
    expect(res.body).toMatchObject({
      code: 1000,
      data: { _id: user.id, integral: '12', currency: '3', virtual_currency: '88' },
    });
  });

  it('should audit the ledger over HTTP and in the CLI, and report a tampered balance', async () => {
    const user = await xiaomaUser();
    await t.app
      .get(CoinsService)
      .topUp({ userId: user.id, source: 'app_store', transactionId: 'cli-1', amount: 60 });
    const clean = await t.http.get('/admin/coins/audit').set(bearer(admin));
    expect(clean.status).toBe(200);
    expect(clean.body).toMatchObject({
      ok: true,
      balanceDifferences: { count: 0, items: [] },
      unbalancedPostings: { count: 0, items: [] },
    });
    expect((clean.body as { counts: { postings: number } }).counts.postings).toBeGreaterThan(5);
    const fine = await cli(t, ['audit-coins']);
    expect(fine).toMatchObject({ code: 0, stdout: expect.stringContaining('no difference') });

    await t.db.query(
      `UPDATE coin_accounts SET balance = balance + 7 WHERE user_id = $1 AND kind = 'wallet' AND currency = 'coin'`,
      [user.id],
    );
    const found = await cli(t, ['audit-coins']);
    expect(found).toMatchObject({
      code: 2,
      stdout: expect.stringMatching(new RegExp(`user ${user.id}, coin\\): cached 67, entries 60`)),
    });
    const json = await cli(t, ['audit-coins', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, balanceDifferences: { count: 1 } });
    expect((await t.http.get('/admin/coins/audit').set(bearer(admin))).body).toMatchObject({ ok: false });
    await t.db.query(
      `UPDATE coin_accounts SET balance = balance - 7 WHERE user_id = $1 AND kind = 'wallet' AND currency = 'coin'`,
      [user.id],
    );
    expect((await cli(t, ['audit-coins'])).code).toBe(0);
  });
});
