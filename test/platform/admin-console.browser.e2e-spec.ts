import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import sharp from 'sharp';
import { CHROMIUM, CHROMIUM_ARGS, describeInChromium } from '#test/helpers/chromium.js';
import { runCli as cli } from '#test/helpers/cli.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';
import { registerXiaomaUser, submitXiaomaQualification } from '#test/helpers/xiaoma.js';

const SCREENSHOTS = '/tmp';
const ADMIN_PASSWORD = 'correct horse battery';
const REVIEWER = 'reviewer@example.com';
const COLLEAGUE = 'colleague@example.com';
const ID = '11010519491231002X';
/** What a user could type as a nickname, or a reviewer paste as a reason: must stay text. */
const MARKUP = '<img src=x onerror="window.__pwned=1">';
/** The console's page size; one more than fits makes "load more" appear. */
const QUEUE_PAGE_SIZE = 20;
const CERTIFICATE_WIDTH = 480;

interface Claim {
  id: string;
  kind: string;
  status: string;
  superseded: boolean;
  user: { id: string; phone: string };
  picture: string | null;
}

describeInChromium('the admin console browser suite')('the admin console in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Console errors (a CSP violation shows up here), uncaught exceptions and every request of every tab. */
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const requested: string[] = [];
  /** An API session of the reviewer's own, to read what the page should show. */
  let api: string;
  /** The claims the tests look at and decide, and the app tokens of their users. */
  let claims: Record<'certificate' | 'realName' | 'toReject' | 'race' | 'older' | 'newer', Claim>;
  let tokens: Record<'realName' | 'toReject', string>;

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const card = (id: string): Locator => page.locator(`li.card[data-id="${id}"]`);
  /** Polls an expression from outside: waitForFunction would eval it inside the page, which its CSP forbids. */
  const waitUntil = async (expression: string): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!(await page.evaluate<boolean>(expression))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const shows = (id: string, text: string) =>
    waitUntil(`document.getElementById(${JSON.stringify(id)})?.textContent === ${JSON.stringify(text)}`);

  async function createAdmin(email: string): Promise<void> {
    const made = await cli(t, ['create-admin', email, '--nickname', 'Reviewer'], `${ADMIN_PASSWORD}\n`);
    expect(made).toMatchObject({ code: 0, stdout: expect.stringContaining(`admin ${email} created`) });
  }

  async function signInByApi(email: string): Promise<string> {
    const res = await t.http.post('/admin/session').send({ email, password: ADMIN_PASSWORD });
    expect(res.status).toBe(201);
    return (res.body as { token: string }).token;
  }

  async function submitQualification(token: string): Promise<void> {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CERTIFICATE_WIDTH}" height="320">
      <rect width="100%" height="100%" fill="#fdf6e3"/><rect x="14" y="14" width="452" height="292" fill="none"
      stroke="#b58900" stroke-width="6"/><circle cx="400" cy="240" r="36" fill="#dc322f" opacity=".7"/>
      <rect x="60" y="80" width="300" height="18" fill="#586e75"/><rect x="60" y="130" width="220" height="12"
      fill="#93a1a1"/><rect x="60" y="160" width="260" height="12" fill="#93a1a1"/></svg>`;
    await submitXiaomaQualification(t, token, await sharp(Buffer.from(svg)).png().toBuffer());
  }

  async function pendingClaims(): Promise<Claim[]> {
    const res = await t.http.get('/admin/reviews').query({ status: 'review', limit: 200 }).set(bearer(api));
    expect(res.status).toBe(200);
    return (res.body as { items: Claim[] }).items;
  }

  async function pendingCounts(): Promise<{ real_name: number; qualification: number; id_card: number }> {
    const res = await t.http.get('/admin/reviews/pending-count').set(bearer(api));
    return res.body as { real_name: number; qualification: number; id_card: number };
  }

  const xiaomaStatus = async (token: string) =>
    ((await t.http.get('/Api/User/get_user_details').query({ token })).body.data as { status: string })
      .status;

  beforeAll(async () => {
    t = await createTestApp({
      listen: true,
      env: {
        VERIFICATION_ECHO_CODE: 'true',
        DATA_DIR: `/tmp/concord-admin-console-${process.pid}`,
      },
    });

    await createAdmin(REVIEWER);
    await createAdmin(COLLEAGUE);
    api = await signInByApi(REVIEWER);

    // The queue, oldest first: the claims the tests decide, then enough filler for a second page.
    const certificate = await registerXiaomaUser(t);
    await submitQualification(certificate.token);
    const realName = await registerXiaomaUser(t);
    const claimed = await t.http
      .post(`/Api/User/verification/token/${realName.token}`)
      .send({ name: '审核测试', cardno: ID });
    expect(claimed.body).toMatchObject({ code: 1000, info: '信息已提交,等待人工审核' });
    const toReject = await registerXiaomaUser(t);
    await submitQualification(toReject.token);
    const race = await registerXiaomaUser(t);
    await submitQualification(race.token);
    const twice = await registerXiaomaUser(t);
    await submitQualification(twice.token);
    await submitQualification(twice.token);
    const filler = await registerXiaomaUser(t);
    for (let i = 0; i < 16; i++) await submitQualification(filler.token);

    const pending = await pendingClaims();
    expect(pending).toHaveLength(QUEUE_PAGE_SIZE + 2);
    const of = (phone: string) => pending.filter((c) => c.user.phone === `+86${phone}`);
    const [older, newer] = of(twice.phone);
    claims = {
      certificate: of(certificate.phone)[0],
      realName: of(realName.phone)[0],
      toReject: of(toReject.phone)[0],
      race: of(race.phone)[0],
      older,
      newer,
    };
    tokens = { realName: realName.token, toReject: toReject.token };
    // No xiaoma route sets a nickname; other dialects let users choose theirs freely.
    await t.db.query(`UPDATE users SET nickname = $1 WHERE id = $2`, [MARKUP, claims.certificate.user.id]);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    context.on('request', (request) => requested.push(`${request.method()} ${request.url()}`));
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.text()} ${message.location().url}`);
    });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('should serve the page, its script and its style with a strict policy, beside the JSON API', async () => {
    const html = await t.http.get('/admin');
    expect(html.status).toBe(200);
    expect(html.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy':
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
        "img-src 'self' blob: http://localhost:3000; media-src 'self' http://localhost:3000; " +
        "form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
    });
    // Nothing inline: every script has a src, and there is no style element, style attribute or event handler.
    expect(html.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    const slash = await t.http.get('/admin/');
    expect(slash.status).toBe(200);
    expect(slash.text).toBe(html.text);

    const script = await t.http.get('/admin/console.js');
    expect(script.status).toBe(200);
    expect(script.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'x-content-type-options': 'nosniff',
    });
    // The token stays in this tab, and data never becomes markup.
    expect(script.text).toContain('sessionStorage');
    expect(script.text).not.toMatch(/localStorage|innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    const style = await t.http.get('/admin/console.css');
    expect(style.status).toBe(200);
    expect(style.headers).toMatchObject({
      'content-type': 'text/css; charset=utf-8',
      'x-content-type-options': 'nosniff',
    });
    // Kept by the browser but checked each time: an unchanged asset answers 304 without its body.
    for (const [path, first] of [
      ['/admin/console.js', script],
      ['/admin/console.css', style],
    ] as const) {
      expect(first.headers).toMatchObject({
        'cache-control': 'no-cache',
        etag: expect.stringMatching(/^".+"$/),
      });
      const again = await t.http.get(path).set('if-none-match', first.headers.etag);
      expect(again.status).toBe(304);
      expect(again.text ?? '').toBe('');
      expect((await t.http.get(path).set('if-none-match', '"stale"')).status).toBe(200);
    }

    // The API's own routes still answer as they did.
    const none = await t.http.get('/admin/reviews');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect((await t.http.get('/admin/session')).status).toBe(401);
    expect((await t.http.get('/admin/reviews/pending-count').set(bearer(api))).status).toBe(200);
  });

  it('should refuse a wrong password, then sign in and show the queue with the counts', async () => {
    const opened = await page.goto(`${t.url}/admin`);
    expect(opened?.status()).toBe(200);
    expect(await page.title()).toBe('审核台 / Review console');
    await page.getByLabel('邮箱 / Email').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/concord-admin-signin.png`, fullPage: true });

    await page.getByLabel('邮箱 / Email').fill(REVIEWER);
    await page.getByLabel('密码 / Password').fill('not the password');
    await page.getByRole('button', { name: '登录 / Sign in' }).click();
    await shows('signin-error', '邮箱或密码错误。 Wrong email or password.');
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      '邮箱或密码错误。 Wrong email or password.',
    );
    expect(await page.locator('#console').isHidden()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/concord-admin-signin-error.png`, fullPage: true });

    await page.getByLabel('密码 / Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录 / Sign in' }).click();
    await shows('admin-email', REVIEWER);
    const counts = await pendingCounts();
    expect(counts).toEqual({ real_name: 1, qualification: QUEUE_PAGE_SIZE + 1, id_card: 0 });
    await shows('count-real-name', '1');
    await shows('count-id-card', '0');
    await shows('count-qualification', String(QUEUE_PAGE_SIZE + 1));
    await card(claims.certificate.id).waitFor();
    await expect(page.locator('li.card').count()).resolves.toBe(QUEUE_PAGE_SIZE);
    // The token is kept for this tab only: a reload stays signed in, nothing is left in localStorage.
    await expect(page.evaluate<number>('localStorage.length')).resolves.toBe(0);
    await page.reload();
    await card(claims.certificate.id).waitFor();
    await shows('admin-email', REVIEWER);
  });

  it('should show the certificate, the claimed name, superseded claims, and user-typed markup as text', async () => {
    const certificate = card(claims.certificate.id);
    await expect(certificate.locator('.badge-kind').textContent()).resolves.toBe('资质认证 Qualification');
    await expect(certificate.locator('.badge-review').textContent()).resolves.toBe('待审核 Pending');
    await expect(certificate.locator('dd.mono').first().textContent()).resolves.toBe(
      claims.certificate.user.phone,
    );
    await expect(certificate.locator('dd.nickname').textContent()).resolves.toBe(MARKUP);
    await waitUntil(
      `(() => { const img = document.querySelector('li.card[data-id="${claims.certificate.id}"] .thumb img');
        return img !== null && img.complete && img.naturalWidth > 0; })()`,
    );
    await expect(
      page.evaluate<number>(
        `document.querySelector('li.card[data-id="${claims.certificate.id}"] .thumb img').naturalWidth`,
      ),
    ).resolves.toBe(CERTIFICATE_WIDTH);
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    await expect(page.evaluate<unknown>('window.__pwned')).resolves.toBeUndefined();

    // The certificate is private: read with the token, shown from a blob URL, which opens full size in a new tab.
    expect(claims.certificate.picture).toBe(`/admin/reviews/${claims.certificate.id}/picture`);
    expect(requested).toContain(`GET ${t.url}/admin/reviews/${claims.certificate.id}/picture`);
    const link = certificate.locator('.thumb a');
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^blob:/);
    const [opened] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await opened.waitForLoadState();
    expect(opened.url()).toBe(href);
    await opened.close();

    const realName = card(claims.realName.id);
    await expect(realName.locator('.badge-kind').textContent()).resolves.toBe('实名认证 Real name');
    await expect(realName.locator('.claim dd').allTextContents()).resolves.toEqual([
      '审核测试',
      '110105********002X',
    ]);
    await expect(realName.locator('.thumb').count()).resolves.toBe(0);

    await expect(card(claims.older.id).locator('.badge-superseded').textContent()).resolves.toBe(
      '已被新提交取代 Superseded',
    );
    await expect(card(claims.newer.id).locator('.badge-superseded').count()).resolves.toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/concord-admin-queue.png` });
  });

  it('should load the next page of the queue, and filter it by kind', async () => {
    const more = page.getByRole('button', { name: '加载更多 / Load more' });
    await more.first().waitFor();
    await more.first().click();
    await waitUntil(`document.querySelectorAll('li.card').length === ${QUEUE_PAGE_SIZE + 2}`);
    await waitUntil(`document.getElementById('queue-more').hidden`);
    const ids = await page.evaluate<string[]>(
      `[...document.querySelectorAll('li.card')].map((card) => card.dataset.id)`,
    );
    expect(ids).toEqual((await pendingClaims()).map((c) => c.id));

    await page.getByLabel('类型 / Kind').selectOption('real_name');
    await waitUntil(`document.querySelectorAll('li.card').length === 1`);
    await card(claims.realName.id).waitFor();
    await page.getByLabel('类型 / Kind').selectOption('');
    await waitUntil(`document.querySelectorAll('li.card').length === ${QUEUE_PAGE_SIZE}`);
  });

  it('should approve a claim in place, lower the count, and make the xiaoma user verified', async () => {
    const claim = card(claims.realName.id);
    await claim.getByLabel('备注（驳回时必填）/ Note (required to reject)').fill('证件一致 ID matches');
    await claim.getByRole('button', { name: '通过 / Approve' }).click();
    await page.locator(`li.card[data-id="${claims.realName.id}"][data-status="verified"]`).waitFor();
    await expect(claim.locator('.card-message').textContent()).resolves.toBe('已通过。 Approved.');
    await expect(claim.locator('.badge-verified').textContent()).resolves.toBe('已通过 Approved');
    await expect(claim.locator('.decision dd').allTextContents()).resolves.toEqual([
      REVIEWER,
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/),
      '证件一致 ID matches',
    ]);
    await expect(claim.getByRole('button').count()).resolves.toBe(0);
    await shows('count-real-name', '0');
    expect(await pendingCounts()).toMatchObject({ real_name: 0 });
    expect(await xiaomaStatus(tokens.realName)).toBe('0');
  });

  it('should refuse a rejection without a reason in the page, and reject with one', async () => {
    const claim = card(claims.toReject.id);
    const note = claim.getByLabel('备注（驳回时必填）/ Note (required to reject)');
    const posts = () => requested.filter((r) => r.startsWith('POST ') && r.includes('/reject')).length;
    const before = posts();
    for (const blank of ['', '   ']) {
      await note.fill(blank);
      await claim.getByRole('button', { name: '驳回 / Reject' }).click();
      await expect(claim.getByRole('alert').textContent()).resolves.toBe(
        '驳回必须填写原因。 A reason is required to reject.',
      );
      await expect(note.getAttribute('aria-invalid')).resolves.toBe('true');
    }
    expect(posts()).toBe(before);
    await expect(claim.getAttribute('data-status')).resolves.toBe('review');
    await page.screenshot({ path: `${SCREENSHOTS}/concord-admin-reason-required.png` });

    const reason = `${MARKUP} 照片模糊 blurred photo`;
    await note.fill(reason);
    await claim.getByRole('button', { name: '驳回 / Reject' }).click();
    await page.locator(`li.card[data-id="${claims.toReject.id}"][data-status="rejected"]`).waitFor();
    await expect(claim.locator('.card-message').textContent()).resolves.toBe('已驳回。 Rejected.');
    await expect(claim.locator('dd.decision-note').textContent()).resolves.toBe(reason);
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    await shows('count-qualification', String(QUEUE_PAGE_SIZE));
    expect(posts()).toBe(before + 1);
    expect(await xiaomaStatus(tokens.toReject)).toBe('3');
  });

  it('should say so when someone else decided first, and show the decision that stands', async () => {
    const colleague = await signInByApi(COLLEAGUE);
    const first = await t.http
      .post(`/admin/reviews/${claims.race.id}/approve`)
      .set(bearer(colleague))
      .send({});
    expect(first.status).toBe(200);

    const claim = card(claims.race.id);
    await claim.getByLabel('备注（驳回时必填）/ Note (required to reject)').fill('too late');
    await claim.getByRole('button', { name: '驳回 / Reject' }).click();
    await page.locator(`li.card[data-id="${claims.race.id}"][data-status="verified"]`).waitFor();
    await expect(claim.locator('.card-message').textContent()).resolves.toBe(
      '已被其他人处理，以下是当前结果。 Already decided by someone else; this is where it stands now.',
    );
    await expect(claim.locator('.decision dd').first().textContent()).resolves.toBe(COLLEAGUE);
    await shows('count-qualification', String(QUEUE_PAGE_SIZE - 1));
    await claim.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/concord-admin-decided.png` });
  });

  it('should list the decisions in the audit log, newest first, and load older entries', async () => {
    // Enough entries for a second page (the console shows 50 at a time).
    for (let i = 0; i < 50; i++) await signInByApi(COLLEAGUE);
    const [{ n }] = await t.db.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM audit_log`);

    await page.getByRole('button', { name: '审计日志 / Audit log' }).click();
    await waitUntil(`document.querySelectorAll('#audit-rows tr').length === 50`);
    await page.getByRole('button', { name: '加载更多 / Load more' }).last().click();
    await waitUntil(`document.querySelectorAll('#audit-rows tr').length === ${n}`);
    await waitUntil(`document.getElementById('audit-more').hidden`);

    const rows = await page.evaluate<Array<{ id: string; action: string }>>(
      `[...document.querySelectorAll('#audit-rows tr')].map((tr) => ({ ...tr.dataset }))`,
    );
    const ids = rows.map((r) => BigInt(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));
    expect(rows.filter((r) => r.action.startsWith('review.')).map((r) => r.action)).toEqual([
      'review.approved',
      'review.rejected',
      'review.approved',
    ]);
    const rejected = page.locator('#audit-rows tr[data-action="review.rejected"]');
    await expect(rejected.locator('td').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      REVIEWER,
      '驳回 Rejected',
      `#${claims.toReject.user.id}`,
      `#${claims.toReject.id}`,
      `类型 Kind: 资质认证 Qualification备注 Note: ${MARKUP} 照片模糊 blurred photo`,
      expect.any(String),
    ]);
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    await expect(
      page
        .locator('#audit-rows tr[data-action="review.approved"]')
        .first()
        .locator('td')
        .nth(1)
        .textContent(),
    ).resolves.toBe(COLLEAGUE);
    await rejected.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/concord-admin-audit.png` });
    await page.getByRole('button', { name: '审核队列 / Queue' }).click();
  });

  it('should fit a phone, and go back to sign-in when the API says the session is gone', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(
      375,
    );
    await page.screenshot({ path: `${SCREENSHOTS}/concord-admin-queue-phone.png` });
    await page.setViewportSize({ width: 1280, height: 860 });

    // Signed out elsewhere (another tab, or an operator revoking it): the next call answers 401.
    const token = await page.evaluate<string>(`sessionStorage.getItem('concord.admin.token')`);
    expect((await t.http.delete('/admin/session').set(bearer(token))).status).toBe(204);
    await page.getByRole('button', { name: '刷新 / Refresh' }).click();
    await shows('signin-error', '登录已失效，请重新登录。 Your session has ended; please sign in again.');
    expect(await page.locator('#console').isHidden()).toBe(true);
    await expect(page.locator('li.card').count()).resolves.toBe(0);
    await expect(page.evaluate<unknown>(`sessionStorage.getItem('concord.admin.token')`)).resolves.toBeNull();
  });

  it('should sign out: back to the form, and the old token no longer works', async () => {
    await page.getByLabel('邮箱 / Email').fill(REVIEWER);
    await page.getByLabel('密码 / Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录 / Sign in' }).click();
    await shows('admin-email', REVIEWER);
    const token = await page.evaluate<string>(`sessionStorage.getItem('concord.admin.token')`);
    expect((await t.http.get('/admin/session').set(bearer(token))).status).toBe(200);

    await page.getByRole('button', { name: '退出登录 / Sign out' }).click();
    await shows('signin-notice', '已退出登录。 You are signed out.');
    expect(await page.locator('#signin-form').isVisible()).toBe(true);
    expect(await page.locator('#console').isHidden()).toBe(true);
    await expect(page.evaluate<number>('sessionStorage.length')).resolves.toBe(0);
    const dead = await t.http.get('/admin/session').set(bearer(token));
    expect(dead.status).toBe(401);
    expect(dead.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    await page.screenshot({ path: `${SCREENSHOTS}/concord-admin-signed-out.png`, fullPage: true });
  });

  it('should have talked to nothing but the app, broken no policy and thrown nothing', () => {
    // blob: URLs are the page's own memory (the certificates it fetched from /admin), not requests to anywhere.
    const outside = requested.filter((r) => !r.includes(` ${t.url!}/admin`) && !r.startsWith('GET blob:'));
    expect(outside).toEqual([]);
    // The failed sign-in, the revoked session and the lost race are answered 401, 401 and 409 on purpose; the
    // browser asks for /favicon.ico on its own, and the app has none.
    const expected = [
      `status of 401 (Unauthorized) ${t.url}/admin/session`,
      `status of 409 (Conflict) ${t.url}/admin/reviews/${claims.race.id}/reject`,
      `status of 401 (Unauthorized) ${t.url}/admin/reviews`,
      `status of 404 (Not Found) ${t.url}/favicon.ico`,
    ];
    expect(consoleErrors.filter((e) => !expected.some((x) => e.includes(x)))).toEqual([]);
    expect(consoleErrors.filter((e) => e.includes('status of 409'))).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });
});
