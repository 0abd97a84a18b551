import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { md5, registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const LINK = /\/account\/reset-password\?token=([A-Za-z0-9_-]{43})/;

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  err?: { type?: string; message?: string };
}

/**
 * A failure while a reset link is being used is a crash, not a spent link: the page must not tell the user to ask
 * for a new link when the server failed. The fault is real: a trigger in the suite's own database refuses the write
 * that marks the link used.
 */
describe('POST /account/reset-password when the server fails', () => {
  let t: TestApp;
  let user: NuzzleTestUser;
  let token: string;

  /** Asks for a reset link and reads it from the outbox (the local mail adapter keeps the text). */
  async function linkFor(email: string): Promise<string> {
    const asked = await t.http.post('/passport/forgot/passwd').type('form').send({ email });
    expect(asked.body).toEqual({ ret: 200, data: true });
    await t.flushOutbox();
    const [mail] = await t.db.query<Array<{ body: string }>>(
      `SELECT body FROM outbox_messages WHERE recipient = $1 ORDER BY id DESC LIMIT 1`,
      [email],
    );
    return LINK.exec(mail.body)![1];
  }

  beforeAll(async () => {
    t = await createTestApp();
    user = await registerNuzzleUser(t);
    token = await linkFor(user.email);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function breakLinkUse(): Promise<void> {
    await t.db.query(`
      CREATE FUNCTION test_refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'simulated storage failure'; END $$`);
    await t.db.query(`
      CREATE TRIGGER test_refuse_write BEFORE UPDATE ON password_reset_tokens
        FOR EACH ROW EXECUTE FUNCTION test_refuse_write()`);
  }

  async function repairLinkUse(): Promise<void> {
    await t.db.query(`DROP TRIGGER test_refuse_write ON password_reset_tokens`);
    await t.db.query(`DROP FUNCTION test_refuse_write()`);
  }

  function submit(password: string, requestId?: string, link = token) {
    const req = t.http.post('/account/reset-password');
    if (requestId) req.set('X-Request-Id', requestId);
    return req.type('form').send({ token: link, password, confirm: password });
  }

  it('should answer the generic server error, not "link expired", and log the crash once with the request id', async () => {
    await breakLinkUse();
    try {
      const res = await submit('during-the-crash-1', 'reset-crash-1');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        error: { code: 'INTERNAL', message: 'Internal server error' },
        requestId: 'reset-crash-1',
      });
      expect(res.text).not.toContain('链接已失效');
      expect(res.text).not.toContain('simulated storage failure');
    } finally {
      await repairLinkUse();
    }

    const crashes = t.logs
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.level >= 50 && line.reqId === 'reset-crash-1');
    expect(crashes).toEqual([
      expect.objectContaining({
        msg: 'unhandled error',
        err: expect.objectContaining({ message: 'simulated storage failure' }),
      }),
    ]);
    expect(t.logs.join('\n')).not.toContain(token);
  });

  it('should leave the link usable after the crash: nothing of the failed attempt was kept', async () => {
    expect((await t.http.get('/account/reset-password').query({ token })).status).toBe(200);
    expect(
      (await t.http.post('/passport/email/login').send({ email: user.email, password: user.password })).body,
    ).toMatchObject({ ret: 200 });

    const done = await submit('after-the-crash-1');
    expect(done.status).toBe(200);
    expect(done.text).toContain('<h1>密码已重置 / Password changed</h1>');
    const login = await t.http
      .post('/passport/email/login')
      .send({ email: user.email, password: md5('after-the-crash-1') });
    expect(login.body).toMatchObject({ ret: 200, data: { id: user.id } });

    // And a spent link is still shown as one.
    const again = await submit('after-the-crash-2');
    expect(again.status).toBe(410);
    expect(again.text).toContain('<h1>链接已失效 / Link expired</h1>');
  });

  it('should still show a link spent by a simultaneous submit as spent', async () => {
    const other = await registerNuzzleUser(t);
    const link = await linkFor(other.email);
    const answers = await Promise.all([
      submit('simultaneous-1', undefined, link),
      submit('simultaneous-2', undefined, link),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 410]);
    const spent = answers.find((a) => a.status === 410)!;
    expect(spent.text).toContain('<h1>链接已失效 / Link expired</h1>');
  });
});
