import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, describeInChromium } from '#test/helpers/chromium.js';
import { md5, registerNuzzleUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const PUBLIC_BASE_URL = 'https://accounts.concord.example';
const SCREENSHOTS = '/tmp';

describeInChromium('the reset-page browser suite')('the reset-password page in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Console errors (a CSP violation shows up here) and requests the page made. */
  const consoleErrors: string[] = [];
  const requested: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ listen: true, env: { PUBLIC_BASE_URL } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    context = await browser.newContext({ viewport: { width: 1024, height: 720 }, locale: 'zh-CN' });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('request', (request) => requested.push(`${request.method()} ${request.url()}`));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  /** The link as mailed, read from /dev/outbox, and the same path on the app's real port. */
  async function mailedLink(email: string): Promise<{ mailed: string; local: string }> {
    const outbox = await t.http.get('/dev/outbox').query({ to: email, limit: 1 });
    expect(outbox.status).toBe(200);
    const [mail] = outbox.body as Array<{ body: string }>;
    const mailed = /https?:\/\/\S+\/account\/reset-password\?token=[A-Za-z0-9_-]+/.exec(mail.body)?.[0];
    if (!mailed) throw new Error(`no reset link in the mail:\n${mail.body}`);
    const url = new URL(mailed);
    expect(url.origin).toBe(PUBLIC_BASE_URL);
    return { mailed, local: `${t.url}${url.pathname}${url.search}` };
  }

  it('should let a user set a new password from the mailed link', async () => {
    const user = await registerNuzzleUser(t);
    const forgot = await t.http.post('/passport/forgot/passwd').send({ email: user.email });
    expect(forgot.body).toEqual({ ret: 200, data: true });
    await t.flushOutbox();
    const { local } = await mailedLink(user.email);

    const opened = await page.goto(local);
    expect(opened?.status()).toBe(200);
    expect(await page.title()).toBe('重置密码 / Reset password');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      '重置密码 / Reset password',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/concord-reset-form.png`, fullPage: true });
    // Mail links are mostly opened on phones: the form fits a phone's width without sideways scrolling.
    await page.setViewportSize({ width: 375, height: 740 });
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(
      375,
    );
    await page.screenshot({ path: `${SCREENSHOTS}/concord-reset-form-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1024, height: 720 });

    // The browser's own checks (minlength, required) keep a too-short password from being sent at all.
    await page.getByLabel('新密码 / New password').fill('abc');
    await page.getByLabel('确认新密码 / Confirm').fill('abc');
    const before = requested.length;
    await page.getByRole('button', { name: '设置新密码 / Set password' }).click();
    await expect(
      page
        .locator('#password')
        .evaluate((input) => (input as unknown as { validity: { tooShort: boolean } }).validity.tooShort),
    ).resolves.toBe(true);
    expect(requested.slice(before).filter((r) => r.startsWith('POST '))).toEqual([]);

    // Two different passwords: the server answers the form again with the reason.
    await page.getByLabel('新密码 / New password').fill('browser-Passw0rd');
    await page.getByLabel('确认新密码 / Confirm').fill('browser-Passw0rd-typo');
    const [mismatch] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: '设置新密码 / Set password' }).click(),
    ]);
    expect(mismatch.status()).toBe(422);
    await page.waitForLoadState();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      '两次输入的密码不一致。 The two passwords differ.',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/concord-reset-mismatch.png`, fullPage: true });

    await page.getByLabel('新密码 / New password').fill('browser-Passw0rd');
    await page.getByLabel('确认新密码 / Confirm').fill('browser-Passw0rd');
    const [done] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: '设置新密码 / Set password' }).click(),
    ]);
    expect(done.status()).toBe(200);
    await page.waitForLoadState();
    expect(await page.title()).toBe('密码已重置 / Password changed');
    await expect(page.getByRole('status').innerText()).resolves.toContain(
      'Your new password is set. Sign in again in the app; every device was signed out.',
    );
    // The form posted to the page's own origin, and the token is no longer in the address bar.
    expect(page.url()).toBe(`${t.url}/account/reset-password`);
    await page.screenshot({ path: `${SCREENSHOTS}/concord-reset-done.png`, fullPage: true });

    // The page loaded nothing but itself, and nothing broke its Content-Security-Policy.
    expect(requested.every((r) => r.includes(`${t.url}/account/reset-password`))).toBe(true);
    expect(consoleErrors.filter((e) => !/status of 422/.test(e))).toEqual([]);

    const login = await t.http
      .post('/passport/email/login')
      .send({ email: user.email, password: md5('browser-Passw0rd') });
    expect(login.body).toMatchObject({ ret: 200, data: { id: user.id } });
    const old = await t.http
      .post('/passport/email/login')
      .send({ email: user.email, password: user.password });
    expect(old.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
  });

  it('should show the expired page when the link is opened again', async () => {
    const user = await registerNuzzleUser(t);
    await t.http.post('/passport/forgot/passwd').send({ email: user.email });
    await t.flushOutbox();
    const { local } = await mailedLink(user.email);
    const reset = await t.http
      .post('/account/reset-password')
      .type('form')
      .send({
        token: new URL(local).searchParams.get('token'),
        password: 'used-once-pw',
        confirm: 'used-once-pw',
      });
    expect(reset.status).toBe(200);

    const opened = await page.goto(local);
    expect(opened?.status()).toBe(410);
    expect(await page.title()).toBe('链接已失效 / Link expired');
    await expect(page.locator('form').count()).resolves.toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/concord-reset-expired.png`, fullPage: true });
  });
});
