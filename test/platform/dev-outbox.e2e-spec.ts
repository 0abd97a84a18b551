import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const PUBLIC_BASE_URL = 'https://app.concord.example';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LINK = new RegExp(
  `^${PUBLIC_BASE_URL.replace(/\./g, '\\.')}/account/reset-password\\?token=[A-Za-z0-9_-]{43}$`,
  'm',
);

describe('GET /dev/outbox', () => {
  describe('with the local mail adapter (NODE_ENV=test)', () => {
    let t: TestApp;
    let first: NuzzleTestUser;
    let second: NuzzleTestUser;

    beforeAll(async () => {
      t = await createTestApp({ env: { PUBLIC_BASE_URL } });
      first = await registerNuzzleUser(t, { nickname: 'First' });
      second = await registerNuzzleUser(t, { nickname: 'Second' });
      for (const user of [first, second]) {
        const res = await t.http.post('/passport/forgot/passwd').send({ email: user.email });
        expect(res.body).toEqual({ ret: 200, data: true });
      }
      await t.flushOutbox();
    });
    afterAll(async () => {
      await t?.close();
    });

    it('should list the mails as a plain JSON array, newest first, with the reset link in the body', async () => {
      const res = await t.http.get('/dev/outbox');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual([
        {
          channel: 'mail',
          to: second.email,
          subject: '重置密码 / Reset your password',
          body: expect.stringMatching(LINK),
          createdAt: expect.stringMatching(ISO),
        },
        {
          channel: 'mail',
          to: first.email,
          subject: '重置密码 / Reset your password',
          body: expect.stringMatching(LINK),
          createdAt: expect.stringMatching(ISO),
        },
      ]);
      const [newest, oldest] = res.body as Array<{ body: string; createdAt: string }>;
      expect(newest.body.startsWith('Second，您好：\n')).toBe(true);
      expect(oldest.body.startsWith('First，您好：\n')).toBe(true);
      expect(Date.parse(newest.createdAt)).toBeGreaterThanOrEqual(Date.parse(oldest.createdAt));
      expect(Math.abs(Date.parse(newest.createdAt) - Date.now())).toBeLessThan(60_000);

      // The createdAt is the row's own time, and the body is the row's own text.
      const rows = await t.db.query<Array<{ body: string; createdAt: Date }>>(
        `SELECT body, created_at AS "createdAt" FROM outbox_messages ORDER BY id DESC`,
      );
      expect(rows.map((r) => ({ body: r.body, createdAt: r.createdAt.toISOString() }))).toEqual(
        (res.body as Array<{ body: string; createdAt: string }>).map(({ body, createdAt }) => ({
          body,
          createdAt,
        })),
      );
    });

    it('should open the listed link as the reset form', async () => {
      const res = await t.http.get('/dev/outbox').query({ to: first.email });
      const link = (res.body as Array<{ body: string }>)[0].body.match(LINK)?.[0];
      expect(link).toBeDefined();
      const page = await t.http.get(new URL(link!).pathname + new URL(link!).search);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<form method="post" action="reset-password">');
    });

    it('should filter by recipient', async () => {
      const res = await t.http.get('/dev/outbox').query({ to: first.email });
      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        {
          channel: 'mail',
          to: first.email,
          subject: '重置密码 / Reset your password',
          body: expect.stringMatching(LINK),
          createdAt: expect.stringMatching(ISO),
        },
      ]);
      const shouted = await t.http.get('/dev/outbox').query({ to: first.email.toUpperCase() });
      expect(shouted.body).toEqual(res.body);
      const nobody = await t.http.get('/dev/outbox').query({ to: 'nobody@example.com' });
      expect(nobody.status).toBe(200);
      expect(nobody.body).toEqual([]);
    });

    it('should filter by channel', async () => {
      const mail = await t.http.get('/dev/outbox').query({ channel: 'mail' });
      expect(mail.status).toBe(200);
      expect((mail.body as Array<{ to: string }>).map((m) => m.to)).toEqual([second.email, first.email]);
      const sms = await t.http.get('/dev/outbox').query({ channel: 'sms' });
      expect(sms.status).toBe(200);
      expect(sms.body).toEqual([]);
    });

    it('should keep only the newest messages up to limit', async () => {
      const one = await t.http.get('/dev/outbox').query({ limit: 1 });
      expect(one.status).toBe(200);
      expect((one.body as Array<{ to: string }>).map((m) => m.to)).toEqual([second.email]);
      const many = await t.http.get('/dev/outbox').query({ limit: 200, channel: 'mail', to: second.email });
      expect((many.body as Array<{ to: string }>).map((m) => m.to)).toEqual([second.email]);
    });

    it.each([
      ['limit=0', { limit: '0' }],
      ['limit=500', { limit: '500' }],
      ['limit=abc', { limit: 'abc' }],
      ['limit=1.5', { limit: '1.5' }],
      ['channel=fax', { channel: 'fax' }],
    ])('should refuse %s with a plain JSON error', async (_label, query) => {
      const res = await t.http.get('/dev/outbox').query(query).set('X-Request-Id', 'dev-outbox-bad-query');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: { code: 'INVALID_PARAMS', message: 'invalid parameters' },
        requestId: 'dev-outbox-bad-query',
      });
    });
  });

  describe('in production', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        env: { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-characters' },
      });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('should not serve the route at all, even with mail waiting in the outbox', async () => {
      const user = await registerNuzzleUser(t);
      const forgot = await t.http.post('/passport/forgot/passwd').send({ email: user.email });
      expect(forgot.body).toEqual({ ret: 200, data: true });
      await t.flushOutbox();
      expect(await t.db.query(`SELECT recipient FROM outbox_messages WHERE channel = 'mail'`)).toEqual([
        { recipient: user.email },
      ]);

      const res = await t.http.get('/dev/outbox').set('X-Request-Id', 'dev-outbox-in-production');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: { code: 'ROUTE_NOT_FOUND', message: 'Cannot GET /dev/outbox' },
        requestId: 'dev-outbox-in-production',
      });
    });
  });
});
