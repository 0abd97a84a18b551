import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, describeInChromium } from '#test/helpers/chromium.js';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { postFeed, type PostedFeed } from '#test/helpers/nuzzle-content.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const MARKUP = '<img src=x onerror="window.__pwned=1">';
/** Nicknames have at most 30 characters. */
const NICK = '<b onclick=x>Poster</b>';

describeInChromium('the feed reports console suite')('reported feeds and stars in the admin console', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ops: NuzzleTestUser;
  let author: NuzzleTestUser;
  let toHide: PostedFeed;
  let toKeep: PostedFeed;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];

  const waitUntil = async (expression: string): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!(await page.evaluate<boolean>(expression))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const shows = (id: string, text: string) =>
    waitUntil(`document.getElementById(${JSON.stringify(id)})?.textContent === ${JSON.stringify(text)}`);
  const card = (feedId: string) => page.locator(`li.card[data-kind="feed"][data-id="${feedId}"]`);

  beforeAll(async () => {
    t = await createTestApp({
      listen: true,
      env: { DATA_DIR: `/tmp/concord-reports-ui-${process.pid}-${Date.now()}` },
    });
    ops = await registerNuzzleUser(t, { nickname: 'Ops' });
    await t.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [ops.id]);
    author = await registerNuzzleUser(t, { nickname: NICK });
    const reporter = await registerNuzzleUser(t);
    toHide = await postFeed(t, author, { words: MARKUP });
    toKeep = await postFeed(t, author, { type: 'video' });
    for (const [feed, type] of [
      [toHide, 'pic'],
      [toKeep, 'video'],
    ] as const) {
      const res = await t.http
        .post('/feed/report')
        .set('Authorization', reporter.token)
        .type('form')
        .send({ type, id: feed.id, reportType: 'fraud', reason: MARKUP });
      expect(res.body).toEqual({ ret: 200, data: true });
    }

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    // Files are addressed at PUBLIC_BASE_URL (localhost:3000 in tests); the app really listens elsewhere.
    await context.route('http://localhost:3000/**', (route) =>
      route.continue({ url: route.request().url().replace('http://localhost:3000', t.url!) }),
    );
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

  it('should count the reported feeds and show each with its picture, reasons kept as text', async () => {
    await page.goto(`${t.url}/admin`);
    await page.getByLabel('邮箱 / Email').fill(ops.email);
    await page.getByLabel('密码 / Password').fill(ops.plainPassword);
    await page.getByRole('button', { name: '登录 / Sign in' }).click();
    await shows('count-feed-reports', '2');

    await page.getByRole('button', { name: '举报 / Reports' }).click();
    await card(toHide.id).waitFor();
    await card(toKeep.id).waitFor();
    const image = card(toHide.id).locator('img');
    await waitUntil(
      `(() => { const i = document.querySelector('li.card[data-id="${toHide.id}"] img'); return !!i && i.complete && i.naturalWidth > 0; })()`,
    );
    expect(await image.getAttribute('src')).toBe(toHide.photoUrl);
    expect(await card(toKeep.id).locator('video').getAttribute('src')).toBe(toKeep.videoUrl);
    const text = await card(toHide.id).textContent();
    expect(text).toContain(MARKUP);
    expect(text).toContain('诈骗 Fraud × 1');
    await expect(page.evaluate<unknown>('window.__pwned')).resolves.toBeUndefined();
    await page.screenshot({ path: '/tmp/concord-admin-reports.png', fullPage: true });
  });

  it('should hide one feed and dismiss the other’s reports', async () => {
    await card(toHide.id).getByRole('textbox').fill('scam');
    await card(toHide.id).getByRole('button', { name: '隐藏内容 / Hide' }).click();
    await waitUntil(
      `document.querySelector('li.card[data-id="${toHide.id}"] .card-message')?.textContent === '已隐藏。 Hidden from every list.'`,
    );
    await card(toKeep.id).getByRole('button', { name: '驳回举报 / Dismiss' }).click();
    await waitUntil(
      `document.querySelector('li.card[data-id="${toKeep.id}"] .card-message')?.textContent === '已驳回举报。 Reports dismissed.'`,
    );
    await shows('count-feed-reports', '0');
    const rows = await t.db.query(
      `SELECT id, hidden_at IS NOT NULL AS hidden FROM feeds WHERE id = ANY($1) ORDER BY id`,
      [[toHide.id, toKeep.id]],
    );
    expect(rows).toEqual([
      { id: toHide.id, hidden: true },
      { id: toKeep.id, hidden: false },
    ]);
  });

  it('should make an account a star and undo it from the Stars tab', async () => {
    await page.getByRole('button', { name: '明星 / Stars' }).click();
    await page.getByLabel('用户 ID / User id').fill(author.id);
    await page.getByRole('button', { name: '设为明星 / Make star' }).click();
    await shows('star-message', `${NICK} 现在是明星。 is now a star.`);
    expect(await t.db.query(`SELECT type FROM users WHERE id = $1`, [author.id])).toEqual([{ type: 'star' }]);

    await page.getByRole('button', { name: '取消明星 / Unstar' }).click();
    await shows('star-message', `${NICK} 不再是明星。 is no longer a star.`);
    expect(await t.db.query(`SELECT type FROM users WHERE id = $1`, [author.id])).toEqual([
      { type: 'nobody' },
    ]);

    await page.getByLabel('用户 ID / User id').fill('987654321');
    await page.getByRole('button', { name: '设为明星 / Make star' }).click();
    await shows('star-message', '没有这个用户。 No such user.');
    await page.screenshot({ path: '/tmp/concord-admin-stars.png', fullPage: true });
  });

  it('should have broken no policy and thrown nothing', () => {
    // The unknown account is answered 404 on purpose; the browser asks for /favicon.ico on its own.
    const expected = ['status of 404 (Not Found)'];
    expect(consoleErrors.filter((e) => !expected.some((x) => e.includes(x)))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
