import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { md5, registerNuzzleUser } from '#test/helpers/nuzzle.js';
import { runCli as cli, runCliOnTerminal } from '#test/helpers/cli.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';
import { registerXiaomaUser, submitXiaomaQualification } from '#test/helpers/xiaoma.js';

const ID = '11010519491231002X';
const ADMIN_PASSWORD = 'correct horse battery';

describe('admin review API (/admin)', () => {
  let t: TestApp;
  const clock = new FakeClock(new Date('2026-11-23T08:00:00Z'));

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      env: {
        VERIFICATION_ECHO_CODE: 'true',
        PUBLIC_BASE_URL: 'https://api.example.com',
        DATA_DIR: `/tmp/concord-admin-${process.pid}`,
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  async function createAdmin(email: string): Promise<void> {
    const made = await cli(t, ['create-admin', email, '--nickname', 'Ops'], `${ADMIN_PASSWORD}\n`);
    expect(made).toMatchObject({ code: 0, stdout: expect.stringContaining(`admin ${email} created`) });
  }

  async function signIn(email: string, password = ADMIN_PASSWORD): Promise<string> {
    const res = await t.http.post('/admin/session').send({ email, password });
    expect(res.status).toBe(201);
    return (res.body as { token: string }).token;
  }

  /** Uploads a certificate and submits it; answers the address upload_image gave. */
  async function submitQualification(token: string): Promise<string> {
    const image = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#2a6' } })
      .png()
      .toBuffer();
    return submitXiaomaQualification(t, token, image);
  }

  const status = async (token: string) =>
    ((await t.http.get('/Api/User/get_user_details').query({ token })).body.data as { status: string })
      .status;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const pending = async (admin: string, kind: string, userPhone: string) => {
    const res = await t.http.get('/admin/reviews').query({ status: 'review', kind }).set(bearer(admin));
    expect(res.status).toBe(200);
    const items = (res.body as { items: Array<{ id: string; user: { id: string; phone: string } }> }).items;
    const item = items.find((i) => i.user.phone === `+86${userPhone}`);
    expect(item).toBeDefined();
    return item!;
  };

  describe('the CLI', () => {
    it('should create the first admin while the server runs, and audit it', async () => {
      await createAdmin('first@example.com');
      const rows = await t.db.query<Array<{ role: string; actor: string; action: string }>>(
        `SELECT u.role, a.actor, a.action FROM users u JOIN audit_log a ON a.subject_user_id = u.id
          WHERE u.email = 'first@example.com'`,
      );
      expect(rows).toEqual([
        { role: 'admin', actor: expect.stringMatching(/^cli(:|$)/), action: 'admin.created' },
      ]);
      // The password is stored like every other: argon2id, never in the clear.
      const [cred] = await t.db.query<Array<{ h: string }>>(
        `SELECT c.password_hash AS h FROM user_credentials c JOIN users u ON u.id = c.user_id
          WHERE u.email = 'first@example.com'`,
      );
      expect(cred.h).toMatch(/^\$argon2id\$/);
    });

    it('should ask for the password twice on a terminal, without echoing it', async () => {
      const typed = 'typed on a terminal';
      const made = await runCliOnTerminal(
        t,
        ['create-admin', 'terminal@example.com'],
        [
          { prompt: 'Password for the new admin:', reply: typed },
          { prompt: 'Again:', reply: typed },
        ],
      );
      if (!made) {
        console.warn('util-linux script is missing: the terminal prompt is not tested');
        return;
      }
      expect(made).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('admin terminal@example.com created'),
      });
      expect(made.stdout).not.toContain(typed);
      expect(
        (await t.http.post('/admin/session').send({ email: 'terminal@example.com', password: typed })).status,
      ).toBe(201);

      const differ = await runCliOnTerminal(
        t,
        ['create-admin', 'typo@example.com'],
        [
          { prompt: 'Password for the new admin:', reply: typed },
          { prompt: 'Again:', reply: `${typed}!` },
        ],
      );
      expect(differ).toMatchObject({ code: 65, stdout: expect.stringContaining('the two passwords differ') });
    });

    it('should refuse a short password, a taken address, an unknown account and a missing argument', async () => {
      expect(await cli(t, ['create-admin', 'short@example.com'], 'tooshort\n')).toMatchObject({
        code: 65,
        stderr: expect.stringContaining('12–128 characters'),
      });
      expect(await cli(t, ['create-admin', 'first@example.com'], `${ADMIN_PASSWORD}\n`)).toMatchObject({
        code: 65,
        stderr: expect.stringContaining('use grant-admin'),
      });
      expect(await cli(t, ['create-admin', 'not-an-email'], `${ADMIN_PASSWORD}\n`)).toMatchObject({
        code: 65,
      });
      expect(await cli(t, ['grant-admin', 'nobody@example.com'])).toMatchObject({
        code: 65,
        stderr: expect.stringContaining('no open account'),
      });
      expect(await cli(t, ['grant-admin'])).toMatchObject({
        code: 64,
        stderr: expect.stringContaining('Usage'),
      });
      const [{ n }] = await t.db.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM users WHERE email = 'short@example.com'`,
      );
      expect(n).toBe(0);
    });

    it('should grant the role to an existing account (by email or phone) and revoke it, ending its admin sessions', async () => {
      const user = await registerNuzzleUser(t, { plainPassword: 'a-user-password' });
      expect(
        (await t.http.post('/admin/session').send({ email: user.email, password: 'a-user-password' })).status,
      ).toBe(403);
      expect(await cli(t, ['grant-admin', user.email])).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('is now an admin'),
      });
      expect(await cli(t, ['grant-admin', user.email])).toMatchObject({
        stdout: expect.stringContaining('was already'),
      });
      const token = await signIn(user.email, 'a-user-password');
      expect((await t.http.get('/admin/session').set(bearer(token))).body).toEqual({
        id: user.id,
        email: user.email,
        nickname: user.nickname,
      });

      expect(await cli(t, ['revoke-admin', user.email])).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('no longer'),
      });
      expect((await t.http.get('/admin/session').set(bearer(token))).status).toBe(401);
      // Still a user: the app session it had is untouched.
      expect((await t.http.get('/user/profile').set('Authorization', user.token)).body).toMatchObject({
        ret: 200,
      });

      const phoneUser = await registerXiaomaUser(t);
      expect(await cli(t, ['grant-admin', phoneUser.phone])).toMatchObject({ code: 0 });
      const [{ role }] = await t.db.query<Array<{ role: string }>>(
        `SELECT role FROM users WHERE phone = $1`,
        [`+86${phoneUser.phone}`],
      );
      expect(role).toBe('admin');
      const audit = await t.db.query<Array<{ action: string }>>(
        `SELECT action FROM audit_log WHERE subject_user_id = $1 ORDER BY id`,
        [user.id],
      );
      expect(audit.map((a) => a.action)).toEqual(['admin.granted', 'admin.signed_in', 'admin.revoked']);
    });
  });

  describe('sign-in and sessions', () => {
    it('should sign in with the right password only, and audit the sign-in', async () => {
      const res = await t.http
        .post('/admin/session')
        .send({ email: 'First@Example.com', password: ADMIN_PASSWORD });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        token: expect.any(String),
        tokenType: 'Bearer',
        expiresAt: new Date(clock.now().getTime() + 30 * 60_000).toISOString(),
        admin: { id: expect.any(String), email: 'first@example.com', nickname: 'Ops' },
      });
      const wrong = await t.http
        .post('/admin/session')
        .send({ email: 'first@example.com', password: 'nope' });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({
        error: { code: 'BAD_CREDENTIALS', message: expect.any(String) },
        requestId: expect.any(String),
      });
      const unknown = await t.http
        .post('/admin/session')
        .send({ email: 'ghost@example.com', password: 'nope' });
      expect(unknown.status).toBe(401);
      const bad = await t.http.post('/admin/session').send({ email: 'not an email' });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: { code: 'INVALID_PARAMS' } });
      const [signIn] = await t.db.query<Array<{ actor: string; ip: string }>>(
        `SELECT actor, ip FROM audit_log WHERE action = 'admin.signed_in' AND actor = 'first@example.com'`,
      );
      expect(signIn).toEqual({ actor: 'first@example.com', ip: expect.any(String) });
    });

    it('should lock an admin out after repeated failures like any login', async () => {
      await createAdmin('locked@example.com');
      for (let i = 0; i < 5; i++) {
        await t.http.post('/admin/session').send({ email: 'locked@example.com', password: `wrong-${i}` });
      }
      const locked = await t.http
        .post('/admin/session')
        .send({ email: 'locked@example.com', password: ADMIN_PASSWORD });
      expect(locked.status).toBe(429);
      expect(locked.body).toMatchObject({ error: { code: 'ACCOUNT_LOCKED' } });
    });

    it('should keep operator and app tokens apart', async () => {
      const admin = await signIn('first@example.com');
      const app = await registerXiaomaUser(t);
      expect((await t.http.get('/admin/reviews').set(bearer(app.token))).status).toBe(401);
      expect((await t.http.get('/admin/reviews').set('Authorization', app.token)).status).toBe(401);
      expect((await t.http.get('/Api/User/get_user_details').query({ token: admin })).body).toMatchObject({
        code: 999,
      });
      // The admin account signing in through an app gets an app session, which is no key to /admin.
      const nuzzle = await t.http
        .post('/passport/email/login')
        .send({ email: 'first@example.com', password: md5(ADMIN_PASSWORD) });
      expect(nuzzle.body).toMatchObject({ ret: 200 });
      const appToken = (nuzzle.body as { data: { token: string } }).data.token;
      expect((await t.http.get('/admin/reviews').set(bearer(appToken))).status).toBe(401);
    });

    it('should refuse no token, a forged one, and a token whose role was taken away', async () => {
      const none = await t.http.get('/admin/reviews');
      expect(none.status).toBe(401);
      expect(none.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      expect((await t.http.get('/admin/reviews').set(bearer('eyJhbGciOiJIUzI1NiJ9.e30.x'))).status).toBe(401);

      const user = await registerNuzzleUser(t, { plainPassword: 'demoted-password' });
      await cli(t, ['grant-admin', user.email]);
      const token = await signIn(user.email, 'demoted-password');
      // Demoted behind the API's back (no session revoked): the role is read on every request.
      await t.db.query(`UPDATE users SET role = 'user' WHERE id = $1`, [user.id]);
      const res = await t.http.get('/admin/reviews').set(bearer(token));
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    });

    it('should end the session on sign-out and after 30 idle minutes', async () => {
      const token = await signIn('first@example.com');
      expect((await t.http.delete('/admin/session').set(bearer(token))).status).toBe(204);
      expect((await t.http.get('/admin/session').set(bearer(token))).status).toBe(401);

      const idle = await signIn('first@example.com');
      clock.advance(20 * 60_000);
      expect((await t.http.get('/admin/session').set(bearer(idle))).status).toBe(200);
      clock.advance(20 * 60_000);
      // Used 20 minutes ago: the expiry slid forward, so the session lives on.
      expect((await t.http.get('/admin/session').set(bearer(idle))).status).toBe(200);
      clock.advance(31 * 60_000);
      expect((await t.http.get('/admin/session').set(bearer(idle))).status).toBe(401);
    });
  });

  describe('reviews', () => {
    let admin: string;

    beforeAll(async () => {
      admin = await signIn('first@example.com');
    });

    it('should queue a qualification and, once approved, show the user verified', async () => {
      const u = await registerXiaomaUser(t);
      await t.http.post(`/Api/User/verification/token/${u.token}`).send({ name: '张三', cardno: ID });
      await submitQualification(u.token);
      expect(await status(u.token)).toBe('4');

      const item = await pending(admin, 'qualification', u.phone);
      expect(item).toEqual({
        id: expect.any(String),
        kind: 'qualification',
        status: 'review',
        superseded: false,
        user: { id: expect.any(String), phone: `+86${u.phone}`, email: null, nickname: '', status: 'active' },
        realName: null,
        idNumber: null,
        picture: expect.stringMatching(/^\/admin\/reviews\/\d+\/picture$/),
        pictureBack: null,
        createdAt: clock.now().toISOString(),
        decidedAt: null,
        decidedBy: null,
        note: null,
      });
      expect((await t.http.get(`/admin/reviews/${item.id}`).set(bearer(admin))).body).toEqual(item);

      const approved = await t.http
        .post(`/admin/reviews/${item.id}/approve`)
        .set(bearer(admin))
        .send({ note: 'certificate matches' });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'verified',
        decidedAt: clock.now().toISOString(),
        decidedBy: { id: expect.any(String), email: 'first@example.com' },
        note: 'certificate matches',
      });
      expect(await status(u.token)).toBe('0');

      const again = await t.http
        .post(`/admin/reviews/${item.id}/reject`)
        .set(bearer(admin))
        .send({ note: 'no' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ error: { code: 'CONFLICT' } });
    });

    it('should take a submitted certificate out of public reach, for operators only', async () => {
      const u = await registerXiaomaUser(t);
      const uploaded = await submitQualification(u.token);
      const item = await pending(admin, 'qualification', u.phone);
      const picture = (await t.http.get(`/admin/reviews/${item.id}`).set(bearer(admin))).body as {
        picture: string;
      };
      expect(picture.picture).toBe(`/admin/reviews/${item.id}/picture`);

      const res = await t.http.get(picture.picture).set(bearer(admin)).buffer(true);
      expect(res.status).toBe(200);
      expect(res.headers).toMatchObject({
        'content-type': 'image/png',
        'cache-control': 'private, no-store',
      });
      expect(await sharp(res.body as Buffer).metadata()).toMatchObject({ width: 40, height: 30 });

      // The address the app uploaded to no longer serves it, and cannot be submitted again.
      expect((await t.http.get(new URL(uploaded).pathname)).status).toBe(404);
      const again = await t.http
        .post(`/Api/User/authenticationQualifications/token/${u.token}`)
        .send({ picture: uploaded });
      expect(again.body).toMatchObject({ code: 998, info: '资格证上传失败,请联系客服' });

      expect((await t.http.get(picture.picture)).status).toBe(401);
      expect((await t.http.get(picture.picture).set(bearer(u.token))).status).toBe(401);
      const realName = await registerXiaomaUser(t);
      await t.http
        .post(`/Api/User/verification/token/${realName.token}`)
        .send({ name: '审核图片', cardno: ID });
      const claim = await pending(admin, 'real_name', realName.phone);
      expect((await t.http.get(`/admin/reviews/${claim.id}/picture`).set(bearer(admin))).body).toMatchObject({
        error: { code: 'NOT_FOUND' },
      });
    });

    it("should refuse another account's upload as a certificate, leaving it public", async () => {
      const owner = await registerXiaomaUser(t);
      const image = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#a33' } })
        .png()
        .toBuffer();
      const upload = await t.http
        .post(`/Api/User/upload_image/token/${owner.token}`)
        .attach('file', image, { filename: 'me.png', contentType: 'image/png' });
      const url = (upload.body.data as { url: string }).url;
      await t.http.post(`/Api/User/uploadPortrait/token/${owner.token}`).send({ portrait: url });

      const thief = await registerXiaomaUser(t);
      const res = await t.http
        .post(`/Api/User/authenticationQualifications/token/${thief.token}`)
        .send({ picture: url });
      expect(res.body).toMatchObject({ code: 998, info: '资格证上传失败,请联系客服' });
      // The owner's portrait still shows.
      expect((await t.http.get(new URL(url).pathname)).status).toBe(200);
      expect(await status(thief.token)).toBe('2');
    });

    it('should reject a qualification only with a reason, and show the user failed (status 3)', async () => {
      const u = await registerXiaomaUser(t);
      await submitQualification(u.token);
      const item = await pending(admin, 'qualification', u.phone);
      const noReason = await t.http.post(`/admin/reviews/${item.id}/reject`).set(bearer(admin)).send({});
      expect(noReason.status).toBe(400);
      expect(
        (await t.http.post(`/admin/reviews/${item.id}/reject`).set(bearer(admin)).send({ note: '  ' }))
          .status,
      ).toBe(400);
      const rejected = await t.http
        .post(`/admin/reviews/${item.id}/reject`)
        .set(bearer(admin))
        .send({ note: 'blurred photo' });
      expect(rejected.body).toMatchObject({ status: 'rejected', note: 'blurred photo' });
      expect(await status(u.token)).toBe('3');
    });

    it('should settle a flagged real-name claim: approval makes login say authenticationState 1', async () => {
      const u = await registerXiaomaUser(t);
      const claim = await t.http
        .post(`/Api/User/verification/token/${u.token}`)
        .send({ name: '审核测试', cardno: ID });
      expect(claim.body).toMatchObject({ code: 1000, info: '信息已提交,等待人工审核' });
      const item = await pending(admin, 'real_name', u.phone);
      expect(item).toMatchObject({ kind: 'real_name', realName: '审核测试', idNumber: '110105********002X' });

      await t.http.post(`/admin/reviews/${item.id}/approve`).set(bearer(admin)).send({});
      const login = await t.http.post('/Api/User/login').send({ phone: u.phone, password: 'secret123' });
      expect(login.body).toMatchObject({ code: 1000, data: { authenticationState: 1 } });
      expect((await t.http.get('/Api/User/getVerification').query({ token: u.token })).body).toMatchObject({
        code: 1000,
        data: { status: 'verified' },
      });
      expect(await status(u.token)).toBe('0');
    });

    it('should answer getVerification 1012 after a real-name claim is rejected', async () => {
      const u = await registerXiaomaUser(t);
      await t.http.post(`/Api/User/verification/token/${u.token}`).send({ name: '审核失败', cardno: ID });
      const item = await pending(admin, 'real_name', u.phone);
      await t.http
        .post(`/admin/reviews/${item.id}/reject`)
        .set(bearer(admin))
        .send({ note: 'name mismatch' });
      expect((await t.http.get('/Api/User/getVerification').query({ token: u.token })).body).toMatchObject({
        code: 1012,
      });
      const login = await t.http.post('/Api/User/login').send({ phone: u.phone, password: 'secret123' });
      expect(login.body).toMatchObject({ data: { authenticationState: 0 } });
      expect(await status(u.token)).toBe('3');
    });

    it('should mark an older claim superseded, count what waits, and page through the queue', async () => {
      const u = await registerXiaomaUser(t);
      await submitQualification(u.token);
      await submitQualification(u.token);
      const res = await t.http
        .get('/admin/reviews')
        .query({ status: 'review', kind: 'qualification' })
        .set(bearer(admin));
      const mine = (
        res.body as { items: Array<{ id: string; superseded: boolean; user: { phone: string } }> }
      ).items.filter((i) => i.user.phone === `+86${u.phone}`);
      expect(mine.map((i) => i.superseded)).toEqual([true, false]);

      const counts = await t.http.get('/admin/reviews/pending-count').set(bearer(admin));
      const [db] = await t.db.query<Array<{ q: number; r: number; i: number }>>(
        `SELECT count(*) FILTER (WHERE kind = 'qualification')::int AS q, count(*) FILTER (WHERE kind = 'real_name')::int AS r,
                count(*) FILTER (WHERE kind = 'id_card')::int AS i
           FROM identity_verifications WHERE status = 'review'`,
      );
      expect(counts.body).toEqual({ qualification: db.q, real_name: db.r, id_card: db.i });
      expect(db.q).toBeGreaterThanOrEqual(2);

      const first = await t.http
        .get('/admin/reviews')
        .query({ status: 'review', limit: 1 })
        .set(bearer(admin));
      const page1 = first.body as { items: Array<{ id: string }>; nextCursor: string };
      expect(page1.items).toHaveLength(1);
      const second = await t.http
        .get('/admin/reviews')
        .query({ status: 'review', limit: 1, cursor: page1.nextCursor })
        .set(bearer(admin));
      const page2 = second.body as { items: Array<{ id: string }> };
      expect(BigInt(page2.items[0].id)).toBeGreaterThan(BigInt(page1.items[0].id));

      const decided = await t.http.get('/admin/reviews').query({ status: 'verified' }).set(bearer(admin));
      const ids = (decided.body as { items: Array<{ id: string; status: string }> }).items;
      expect(ids.every((i) => i.status === 'verified')).toBe(true);
      expect(ids.map((i) => BigInt(i.id))).toEqual(
        [...ids.map((i) => BigInt(i.id))].sort((a, b) => (a > b ? -1 : 1)),
      );
    });

    it('should answer 404 for an unknown review and 400 for a malformed id or filter', async () => {
      expect((await t.http.get('/admin/reviews/999999').set(bearer(admin))).body).toMatchObject({
        error: { code: 'NOT_FOUND' },
      });
      expect((await t.http.post('/admin/reviews/999999/approve').set(bearer(admin)).send({})).status).toBe(
        404,
      );
      expect((await t.http.get('/admin/reviews/abc').set(bearer(admin))).status).toBe(400);
      expect((await t.http.get('/admin/reviews/99999999999999999999').set(bearer(admin))).status).toBe(400);
      expect((await t.http.get('/admin/reviews').query({ status: 'maybe' }).set(bearer(admin))).status).toBe(
        400,
      );
      expect((await t.http.get('/admin/reviews').query({ limit: 0 }).set(bearer(admin))).status).toBe(400);
    });

    it('should let only one of two simultaneous decisions win', async () => {
      const u = await registerXiaomaUser(t);
      await submitQualification(u.token);
      const item = await pending(admin, 'qualification', u.phone);
      const answers = await Promise.all([
        t.http.post(`/admin/reviews/${item.id}/approve`).set(bearer(admin)).send({}),
        t.http.post(`/admin/reviews/${item.id}/reject`).set(bearer(admin)).send({ note: 'race' }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const [{ n }] = await t.db.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM audit_log WHERE review_id = $1`,
        [item.id],
      );
      expect(n).toBe(1);
    });
  });

  describe('audit log', () => {
    it('should list every decision with who, what, why and from where, newest first, filtered and paged', async () => {
      const admin = await signIn('first@example.com');
      const u = await registerXiaomaUser(t);
      await submitQualification(u.token);
      const item = await pending(admin, 'qualification', u.phone);
      await t.http
        .post(`/admin/reviews/${item.id}/reject`)
        .set(bearer(admin))
        .send({ note: 'expired certificate' });

      const res = await t.http.get('/admin/audit-log').query({ userId: item.user.id }).set(bearer(admin));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [
          {
            id: expect.any(String),
            at: clock.now().toISOString(),
            actorId: expect.any(String),
            actor: 'first@example.com',
            action: 'review.rejected',
            subjectUserId: item.user.id,
            reviewId: item.id,
            detail: { kind: 'qualification', note: 'expired certificate' },
            ip: expect.any(String),
          },
        ],
        nextBefore: null,
      });

      const all = await t.http.get('/admin/audit-log').query({ limit: 2 }).set(bearer(admin));
      const page = all.body as { items: Array<{ id: string }>; nextBefore: string };
      expect(page.items).toHaveLength(2);
      expect(BigInt(page.items[0].id)).toBeGreaterThan(BigInt(page.items[1].id));
      const next = await t.http
        .get('/admin/audit-log')
        .query({ limit: 2, before: page.nextBefore })
        .set(bearer(admin));
      expect(BigInt((next.body as { items: Array<{ id: string }> }).items[0].id)).toBeLessThan(
        BigInt(page.items[1].id),
      );
      const approvals = await t.http
        .get('/admin/audit-log')
        .query({ action: 'review.approved' })
        .set(bearer(admin));
      const actions = (approvals.body as { items: Array<{ action: string }> }).items.map((i) => i.action);
      expect(actions.length).toBeGreaterThan(0);
      expect(new Set(actions)).toEqual(new Set(['review.approved']));
    });

    it('should refuse to rewrite or erase history, even to the database owner', async () => {
      await expect(t.db.query(`UPDATE audit_log SET actor = 'someone else'`)).rejects.toThrow(/append-only/);
      await expect(t.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
      await expect(t.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    });
  });
});
