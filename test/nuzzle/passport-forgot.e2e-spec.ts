import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { FakeSmtpServer, type ReceivedMail } from '#test/helpers/fake-smtp.js';
import { md5, registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const PUBLIC_BASE_URL = 'https://accounts.concord.example';
const LINK = /https?:\/\/[^\s/]+\/account\/reset-password\?token=([A-Za-z0-9_-]+)/g;
const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
const MINUTE = 60_000;

/** The reset mail exactly as a user reads it. */
function expectedMailText(nickname: string, link: string): string {
  return [
    `${nickname}，您好：`,
    '',
    '请在 30 分钟内打开下面的链接设置新密码（链接只能使用一次）：',
    link,
    '',
    'To choose a new password, open this link within 30 minutes (it works once):',
    link,
    '',
    '如果这不是您本人的操作，请忽略本邮件。 If you did not ask for this, ignore this mail.',
  ].join('\n');
}

function expectResetPageHeaders(res: Response): void {
  expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['content-security-policy']).toBe(CSP);
}

/** The form, carrying this token, and nothing else of the other pages. */
function expectFormPage(res: Response, token: string, error?: string): void {
  expectResetPageHeaders(res);
  expect(res.text).toContain('<form method="post" action="reset-password">');
  expect(res.text).toContain(`<input type="hidden" name="token" value="${token}">`);
  expect(res.text).toContain('<input id="password" name="password" type="password"');
  expect(res.text).toContain('<input id="confirm" name="confirm" type="password"');
  expect(res.text).toContain('<button type="submit">设置新密码 / Set password</button>');
  if (error) expect(res.text).toContain(`<div class="error" role="alert">${error}</div>`);
  else expect(res.text).not.toContain('class="error"');
}

function expectLinkSpentPage(res: Response): void {
  expect(res.status).toBe(410);
  expectResetPageHeaders(res);
  expect(res.text).toContain('<h1>链接已失效 / Link expired</h1>');
  expect(res.text).not.toContain('<form');
  expect(res.text).not.toContain('name="token"');
}

describe('nuzzle /passport/forgot/passwd and the reset-link page', () => {
  let t: TestApp;
  let smtp: FakeSmtpServer;
  const clock = new FakeClock();
  /** Every reset token and password the suite handled: none may reach a log line. */
  const secrets = new Set<string>();

  beforeAll(async () => {
    smtp = await FakeSmtpServer.start();
    t = await createTestApp({ clock, env: { ...smtp.env, PUBLIC_BASE_URL } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  async function newUser(): Promise<NuzzleTestUser> {
    const user = await registerNuzzleUser(t, {
      plainPassword: `old-Pw-${Math.random().toString(36).slice(2)}`,
    });
    secrets.add(user.plainPassword).add(user.password);
    return user;
  }

  function login(email: string, plainPassword: string) {
    return t.http
      .post('/passport/email/login')
      .type('form')
      .send({ email, password: md5(plainPassword) });
  }

  function profile(token: string) {
    return t.http.get('/user/profile').set('Authorization', token);
  }

  /** Parses the reset mail: both links in it are the same one, on PUBLIC_BASE_URL. */
  function linkIn(mail: ReceivedMail): { link: string; token: string; path: string } {
    const links = [...mail.text.matchAll(LINK)];
    expect(links).toHaveLength(2);
    expect(links[0][0]).toBe(links[1][0]);
    const [link, token] = links[0];
    expect(link).toBe(`${PUBLIC_BASE_URL}/account/reset-password?token=${token}`);
    // 32 random bytes in base64url.
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    secrets.add(token);
    const url = new URL(link);
    return { link, token, path: `${url.pathname}${url.search}` };
  }

  /** Asks for a reset link, delivers it over SMTP and reads it from the received mail. */
  async function requestLink(user: NuzzleTestUser) {
    const res = await t.http.post('/passport/forgot/passwd').type('form').send({ email: user.email });
    expect(res.body).toEqual({ ret: 200, data: true });
    await t.flushOutbox();
    const mail = await smtp.nextMessage();
    expect(mail.to).toBe(user.email);
    return linkIn(mail);
  }

  function submitReset(token: string, password: string, confirm = password) {
    secrets.add(password).add(md5(password));
    return t.http.post('/account/reset-password').type('form').send({ token, password, confirm });
  }

  async function outboxRowsTo(email: string) {
    return t.db.query<Array<{ status: string; attempts: number; lastError: string | null }>>(
      `SELECT status, attempts, last_error AS "lastError" FROM outbox_messages WHERE recipient = $1 ORDER BY id`,
      [email],
    );
  }

  it('should answer {ret:200,data:true} on POST and on GET and mail the link over SMTP', async () => {
    const viaPost = await newUser();
    const post = await t.http.post('/passport/forgot/passwd').type('form').send({ email: viaPost.email });
    expect(post.status).toBe(200);
    expect(post.body).toEqual({ ret: 200, data: true });
    await t.flushOutbox();
    const postMail = await smtp.nextMessage();
    const { link: postLink } = linkIn(postMail);
    expect(postMail).toEqual({
      to: viaPost.email,
      envelopeTo: [viaPost.email],
      from: 'no-reply@concord.local',
      subject: '重置密码 / Reset your password',
      text: expectedMailText(viaPost.nickname, postLink),
    });
    // Delivered over SMTP: the link does not stay in the outbox table.
    const [row] = await t.db.query<Array<{ status: string; body: string }>>(
      `SELECT status, body FROM outbox_messages WHERE recipient = $1`,
      [viaPost.email],
    );
    expect(row).toEqual({ status: 'sent', body: '' });

    const viaGet = await newUser();
    const get = await t.http
      .get('/passport/forgot/passwd')
      .query({ email: viaGet.email, tz: 'Asia/Shanghai' });
    expect(get.status).toBe(200);
    expect(get.body).toEqual({ ret: 200, data: true });
    await t.flushOutbox();
    const getMail = await smtp.nextMessage();
    expect(getMail.to).toBe(viaGet.email);
    expect(getMail.text).toBe(expectedMailText(viaGet.nickname, linkIn(getMail).link));

    expect(await outboxRowsTo(viaGet.email)).toEqual([{ status: 'sent', attempts: 1, lastError: null }]);
  });

  it('should build the link from PUBLIC_BASE_URL, never from a forged Host header', async () => {
    const user = await newUser();
    const res = await t.http
      .post('/passport/forgot/passwd')
      .set('Host', 'evil.example')
      .set('X-Forwarded-Host', 'evil.example')
      .set('X-Forwarded-Proto', 'http')
      .type('form')
      .send({ email: user.email.toUpperCase() });
    expect(res.body).toEqual({ ret: 200, data: true });
    await t.flushOutbox();
    const mail = await smtp.nextMessage();
    expect(mail.to).toBe(user.email);
    const { link } = linkIn(mail);
    expect(link.startsWith(`${PUBLIC_BASE_URL}/account/reset-password?token=`)).toBe(true);
    expect(mail.text).not.toContain('evil.example');
  });

  it('should serve the link as a no-store, no-referrer HTML form', async () => {
    const user = await newUser();
    const { token, path } = await requestLink(user);
    const res = await t.http.get(path);
    expect(res.status).toBe(200);
    expectFormPage(res, token);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // Looking at the page spends nothing.
    expect((await t.http.get(path)).status).toBe(200);
  });

  it('should set the new password, refuse the old one and end every earlier session', async () => {
    const user = await newUser();
    const second = await login(user.email, user.plainPassword);
    expect(second.body).toMatchObject({ ret: 200, data: { id: user.id } });
    const earlierTokens = [user.token, second.body.data.token as string];
    for (const token of earlierTokens) expect((await profile(token)).body).toMatchObject({ ret: 200 });

    const { token, path } = await requestLink(user);
    const newPassword = 'n3w-Passw0rd-é';
    const res = await submitReset(token, newPassword);
    expect(res.status).toBe(200);
    expectResetPageHeaders(res);
    expect(res.text).toContain('<h1>密码已重置 / Password changed</h1>');
    expect(res.text).not.toContain('<form');

    for (const earlier of earlierTokens) {
      const gone = await profile(earlier);
      expect(gone.status).toBe(200);
      expect(gone.body).toEqual({ ret: 500, errcode: 'USER_NOT_LOGIN' });
    }

    const old = await login(user.email, user.plainPassword);
    expect(old.status).toBe(200);
    expect(old.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });

    const fresh = await login(user.email, newPassword);
    expect(fresh.body).toEqual({
      ret: 200,
      data: expect.objectContaining({ id: user.id, email: user.email, token: expect.any(String) }),
    });
    const mine = await profile(fresh.body.data.token as string);
    expect(mine.body).toEqual({
      ret: 200,
      data: {
        id: user.id,
        email: user.email,
        nickname: user.nickname,
        facebookId: '',
        regDone: false,
        type: 'nobody',
        avatar: '',
        signature: '',
        registerTime: expect.any(Number),
      },
    });

    // Single use: the link is spent for looking and for submitting.
    expectLinkSpentPage(await t.http.get(path));
    expectLinkSpentPage(await submitReset(token, 'another-Passw0rd'));
    expect((await login(user.email, 'another-Passw0rd')).body).toEqual({
      ret: 500,
      errcode: 'PASSWD_NOT_MATCH',
    });
    expect((await login(user.email, newPassword)).body).toMatchObject({ ret: 200 });
  });

  it('should retire the other open links of the account once one is used', async () => {
    const user = await newUser();
    const first = await requestLink(user);
    clock.advance(61_000);
    const second = await requestLink(user);
    expect(second.token).not.toBe(first.token);
    expect((await t.http.get(first.path)).status).toBe(200);

    expect((await submitReset(second.token, 'used-the-2nd-link')).status).toBe(200);
    expectLinkSpentPage(await t.http.get(first.path));
    expectLinkSpentPage(await submitReset(first.token, 'used-the-1st-link'));
    expect((await login(user.email, 'used-the-2nd-link')).body).toMatchObject({ ret: 200 });
  });

  it.each([
    [
      'a confirmation that differs',
      'Mismatch-1',
      'Mismatch-2',
      '两次输入的密码不一致。 The two passwords differ.',
    ],
    [
      'a password under 6 characters',
      'a1b2c',
      'a1b2c',
      '密码长度需为 6–64 个字符。 The password must be 6–64 characters.',
    ],
    [
      'a password over 64 characters',
      'x'.repeat(65),
      'x'.repeat(65),
      '密码长度需为 6–64 个字符。 The password must be 6–64 characters.',
    ],
  ])(
    'should answer 422 with the form again for %s and change nothing',
    async (_label, password, confirm, error) => {
      const user = await newUser();
      const { token, path } = await requestLink(user);
      const res = await submitReset(token, password, confirm);
      expect(res.status).toBe(422);
      expectFormPage(res, token, error);

      expect((await login(user.email, password)).body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
      expect((await login(user.email, user.plainPassword)).body).toMatchObject({ ret: 200 });
      expect((await profile(user.token)).body).toMatchObject({ ret: 200, data: { id: user.id } });
      // The link still works.
      expect((await t.http.get(path)).status).toBe(200);
      expect((await submitReset(token, 'fine-Passw0rd')).status).toBe(200);
    },
  );

  it('should answer 410 for a link without a token, with an unknown token, or without a token field', async () => {
    expectLinkSpentPage(await t.http.get('/account/reset-password'));
    expectLinkSpentPage(await t.http.get('/account/reset-password').query({ token: 'A'.repeat(43) }));
    expectLinkSpentPage(
      await t.http
        .post('/account/reset-password')
        .type('form')
        .send({ password: 'abcdefg', confirm: 'abcdefg' }),
    );
    expectLinkSpentPage(await submitReset('A'.repeat(43), 'abcdefgh'));
  });

  it('should expire the link after PASSWORD_RESET_TTL (30 minutes)', async () => {
    const user = await newUser();
    const { token, path } = await requestLink(user);
    clock.advance(30 * MINUTE - 1_000);
    expect((await t.http.get(path)).status).toBe(200);
    clock.advance(2_000);
    expectLinkSpentPage(await t.http.get(path));
    expectLinkSpentPage(await submitReset(token, 'too-late-Passw0rd'));
    expect((await login(user.email, user.plainPassword)).body).toMatchObject({ ret: 200 });
    expect((await login(user.email, 'too-late-Passw0rd')).body).toEqual({
      ret: 500,
      errcode: 'PASSWD_NOT_MATCH',
    });
  });

  it('should answer before the link is issued, so a known address is answered as fast as an unknown one', async () => {
    const user = await newUser();
    // Another connection holds the lock every reset issuance takes first: the mail cannot be prepared meanwhile.
    const blocker = t.db.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    await blocker.query(`LOCK TABLE password_reset_tokens IN ACCESS EXCLUSIVE MODE`);
    try {
      const res = await t.http
        .post('/passport/forgot/passwd')
        .type('form')
        .send({ email: user.email })
        .timeout(5_000);
      expect(res.body).toEqual({ ret: 200, data: true });
      expect(await outboxRowsTo(user.email)).toEqual([]);
    } finally {
      await blocker.rollbackTransaction();
      await blocker.release();
    }
    await t.flushOutbox();
    const mail = await smtp.nextMessage();
    expect(mail.to).toBe(user.email);
    linkIn(mail);
    clock.advance(61_000);
  });

  it('should answer an unknown email exactly like a known one and send no mail', async () => {
    const before = await t.db.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM outbox_messages`);
    for (const email of ['nobody-here@example.com', 'NOBODY-HERE@example.com']) {
      const post = await t.http.post('/passport/forgot/passwd').type('form').send({ email });
      expect(post.status).toBe(200);
      expect(post.body).toEqual({ ret: 200, data: true });
      const get = await t.http.get('/passport/forgot/passwd').query({ email });
      expect(get.status).toBe(200);
      expect(get.body).toEqual({ ret: 200, data: true });
    }
    await t.flushOutbox();
    expect(smtp.pending).toEqual([]);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM outbox_messages`)).toEqual(before);
  });

  it.each([
    ['a malformed email (POST)', 'post', { email: 'not-an-email' }],
    ['a malformed email (GET)', 'get', { email: 'not-an-email' }],
    ['an empty email', 'post', { email: '' }],
    ['no email', 'get', {}],
    ['an array as email', 'post', { email: ['a@example.com', 'b@example.com'] }],
  ] as const)('should answer PARAM_ERROR for %s', async (_label, method, params) => {
    const res =
      method === 'get'
        ? await t.http.get('/passport/forgot/passwd').query(params)
        : await t.http.post('/passport/forgot/passwd').send(params);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
  });

  it('should send no second mail within PASSWORD_RESET_COOLDOWN (60 s), and send one after it', async () => {
    const user = await newUser();
    const first = await requestLink(user);

    clock.advance(59_000);
    const again = await t.http.post('/passport/forgot/passwd').type('form').send({ email: user.email });
    expect(again.body).toEqual({ ret: 200, data: true });
    await t.flushOutbox();
    expect(smtp.pending).toEqual([]);
    expect(await outboxRowsTo(user.email)).toHaveLength(1);

    clock.advance(2_000);
    const later = await requestLink(user);
    expect(later.token).not.toBe(first.token);
    expect(await outboxRowsTo(user.email)).toHaveLength(2);
  });

  it('should queue one mail for many simultaneous requests', async () => {
    clock.advance(61_000);
    const user = await newUser();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => t.http.post('/passport/forgot/passwd').send({ email: user.email })),
    );
    expect(answers.map((a) => a.body as unknown)).toEqual(
      Array.from({ length: 8 }, () => ({ ret: 200, data: true })),
    );
    await t.flushOutbox();
    expect(await outboxRowsTo(user.email)).toHaveLength(1);
    await smtp.nextMessage();
    clock.advance(61_000);
  });

  it('should keep a mail the SMTP server refused and deliver it on a later round', async () => {
    const user = await newUser();
    smtp.rejecting = true;
    try {
      const res = await t.http.post('/passport/forgot/passwd').type('form').send({ email: user.email });
      expect(res.body).toEqual({ ret: 200, data: true });
      await t.flushOutbox();
    } finally {
      smtp.rejecting = false;
    }
    expect(smtp.rejectedCount).toBe(1);
    expect(smtp.pending).toEqual([]);
    const [failed] = await outboxRowsTo(user.email);
    expect(failed).toEqual({ status: 'pending', attempts: 1, lastError: expect.stringContaining('451') });

    // The server accepts again, but the retry is not due yet.
    await t.flushOutbox();
    expect(smtp.pending).toEqual([]);
    expect(await outboxRowsTo(user.email)).toEqual([failed]);

    const [{ nextAttemptAt }] = await t.db.query<Array<{ nextAttemptAt: Date }>>(
      `SELECT next_attempt_at AS "nextAttemptAt" FROM outbox_messages WHERE recipient = $1`,
      [user.email],
    );
    expect(nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());
    clock.advance(nextAttemptAt.getTime() - clock.now().getTime() + 1_000);
    await t.flushOutbox();
    const mail = await smtp.nextMessage();
    expect(mail.to).toBe(user.email);
    const { path } = linkIn(mail);
    expect(await outboxRowsTo(user.email)).toEqual([
      { status: 'sent', attempts: 2, lastError: expect.stringContaining('451') },
    ]);
    expect((await t.http.get(path)).status).toBe(200);
  });

  it('should never write a reset token or a password to the logs', () => {
    // The suite did log its requests, with the token in the URL redacted.
    expect(t.logs.some((line) => line.includes('/account/reset-password?token=[REDACTED]'))).toBe(true);
    expect(t.logs.some((line) => line.includes('/passport/forgot/passwd'))).toBe(true);
    expect(secrets.size).toBeGreaterThan(20);
    const everything = t.logs.join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
