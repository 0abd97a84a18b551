import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { SnsProviderName } from '#src/sns/sns-provider.js';
import { CHROMIUM, CHROMIUM_ARGS, describeInChromium } from '#test/helpers/chromium.js';
import {
  FakeDouban,
  FakeQq,
  FakeWechat,
  FakeWeibo,
  type FakeOAuthProvider,
  type FakeSnsPerson,
} from '#test/helpers/fake-sns-oauth.js';
import { FakeSmtpServer } from '#test/helpers/fake-smtp.js';
import { freePort } from '#test/helpers/moretv.js';
import { registerNuzzleUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

/** Kept by CI (git-ignored): one picture of each page. */
const ARTIFACTS = 'test/artifacts';

const PROVIDER_LABELS: Record<SnsProviderName, string> = { qq: 'QQ', wb: '新浪微博', db: '豆瓣', wx: '微信' };

let people = 0;
const newPerson = (extra: Partial<FakeSnsPerson> = {}): FakeSnsPerson => ({
  id: `${9_100_000_000 + ++people}`,
  nickname: `浏览器用户${people}`,
  avatar: '',
  ...extra,
});

describeInChromium('the moretv browser suite')('moretv pages in headless Chromium', () => {
  let t: TestApp;
  let base: string;
  let smtp: FakeSmtpServer;
  let browser: Browser;
  const fakes = {} as Record<SnsProviderName, FakeOAuthProvider>;
  /** Console errors (a CSP violation shows up here) and uncaught page errors, of every tab. */
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    smtp = await FakeSmtpServer.start();
    fakes.qq = await FakeQq.start();
    fakes.wb = await FakeWeibo.start();
    fakes.db = await FakeDouban.start();
    fakes.wx = await FakeWechat.start();
    // The app must know its own address before it listens: the origin check and the providers' callbacks use it.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({
      env: {
        PUBLIC_BASE_URL: base,
        ...smtp.env,
        ...fakes.qq.env(),
        ...fakes.wb.env(),
        ...fakes.db.env(),
        ...fakes.wx.env(),
      },
    });
    await t.app.listen(port, '127.0.0.1');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
    for (const fake of Object.values(fakes)) await fake?.close();
  });

  async function newTab(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    return { context, page };
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${ARTIFACTS}/moretv-${name}.png`, fullPage: true });

  /** Submits a form by its button and waits for the page that answers. */
  async function submit(page: Page, button: string): Promise<void> {
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: button, exact: true }).click(),
    ]);
  }

  /** The answer of the captcha the page shows (its picture loaded with the page), as /dev/captcha tells it. */
  async function captchaAnswer(context: BrowserContext): Promise<string> {
    const res = await context.request.get(`${base}/dev/captcha`);
    expect(res.status()).toBe(200);
    return ((await res.json()) as { answer: string }).answer;
  }

  it('should register with the captcha, sign out, sign in, change the password and sign out', async () => {
    const { context, page } = await newTab();
    const email = `browser-${Date.now().toString(36)}@moretv-user.cn`;
    await page.goto(`${base}/user/register`);
    expect(await page.title()).toBe('注册 - 电视猫账号中心');
    await shot(page, 'register');

    // The keyboard goes through the form in reading order.
    await page.getByLabel('邮箱').focus();
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(
        await page.evaluate<string>(
          "document.activeElement ? document.activeElement.id || document.activeElement.textContent || '' : ''",
        ),
      );
    }
    expect(order).toEqual(['nickname', 'password', 'captcha', '注册']);

    // A wrong captcha: the form comes back with the reason by the field, and a new picture.
    await page.getByLabel('邮箱').fill(email);
    await page.getByLabel('昵称').fill('浏览器新人');
    await page.getByLabel('密码').fill('first-Passw0rd');
    await captchaAnswer(context);
    await page.getByLabel('验证码', { exact: true }).fill('WRONG');
    await submit(page, '注册');
    await expect(page.locator('#captcha-error').textContent()).resolves.toBe('验证码不匹配');
    await expect(page.getByLabel('邮箱').inputValue()).resolves.toBe(email);
    await shot(page, 'register-error');

    await page.getByLabel('密码').fill('first-Passw0rd');
    await page.getByLabel('验证码', { exact: true }).fill(await captchaAnswer(context));
    await submit(page, '注册');
    expect(page.url()).toBe(`${base}/userInfo?notice=registered`);
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('注册成功');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('账号设置');
    await shot(page, 'account');

    await submit(page, '退出登录');
    expect(page.url()).toBe(`${base}/user/login?notice=signed-out`);
    await shot(page, 'login');

    await page.getByLabel('邮箱').fill(email);
    await page.getByLabel('密码').fill('wrong-password');
    await submit(page, '登录');
    await expect(page.locator('#password-error').textContent()).resolves.toBe('email或密码错误');
    await shot(page, 'login-error');
    await page.getByLabel('密码').fill('first-Passw0rd');
    await page.getByLabel('下次自动登录').check();
    await submit(page, '登录');
    expect(page.url()).toBe(`${base}/userInfo`);
    const session = (await context.cookies()).find((c) => c.name === 'moretv_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(session.expires).toBeGreaterThan(Date.now() / 1000 + 300 * 86_400);

    await page.getByLabel('原密码').fill('first-Passw0rd');
    await page.getByLabel('新密码', { exact: true }).fill('second-Passw0rd');
    await page.getByLabel('确认新密码').fill('second-Passw0rd-typo');
    await submit(page, '修改密码');
    await expect(page.locator('#password-confirm-error').textContent()).resolves.toBe(
      '修改密码失败：两次输入的新密码不一致',
    );
    await shot(page, 'account-password-error');
    await page.getByLabel('原密码').fill('first-Passw0rd');
    await page.getByLabel('新密码', { exact: true }).fill('second-Passw0rd');
    await page.getByLabel('确认新密码').fill('second-Passw0rd');
    await submit(page, '修改密码');
    expect(page.url()).toBe(`${base}/userInfo?notice=password-changed`);
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('成功更改密码');

    await submit(page, '退出登录');
    expect((await context.cookies()).some((c) => c.name === 'moretv_session')).toBe(false);
    const login = await context.request.post(`${base}/user/login`, {
      form: { email, password: 'second-Passw0rd' },
    });
    expect(await login.json()).toEqual({ status: 0, err_msg: '' });
    await context.close();
  });

  it('should fit a phone and switch to English', async () => {
    const { context, page } = await newTab();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${base}/user/register`);
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(
      375,
    );
    await shot(page, 'register-phone');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'English' }).click()]);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Create an account');
    await expect(page.getByLabel('Nickname').isVisible()).resolves.toBe(true);
    await shot(page, 'register-en');
    // The choice stays for the next pages and their forms.
    await page.goto(`${base}/user/login`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');
    await page.getByLabel('Email').fill('nobody@moretv-user.cn');
    await page.getByLabel('Password').fill('whatever1');
    await submit(page, 'Sign in');
    await expect(page.locator('#password-error').textContent()).resolves.toBe('Wrong email or password');
    await shot(page, 'login-en-phone');
    await context.close();
  });

  it('should mail a reset link (SMTP), set a new password from it and sign in with it', async () => {
    const user = await registerNuzzleUser(t, { email: `reset-${Date.now().toString(36)}@moretv-user.cn` });
    const { page } = await newTab();
    await page.goto(`${base}/user/login`);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '忘记密码？' }).click()]);
    await shot(page, 'forgot');
    await page.getByLabel('邮箱').fill(user.email);
    await submit(page, '发送重置邮件');
    await expect(page.getByRole('status').textContent()).resolves.toBe(
      '如果该邮箱已注册，重置密码的邮件已发送，请查收。',
    );
    await shot(page, 'forgot-sent');

    const mail = await smtp.nextMessage();
    expect(mail.to).toBe(user.email);
    const link = new RegExp(`${base.replace(/[.:/]/g, '\\$&')}/user/resetPassword\\?token=[\\w-]+`).exec(
      mail.text,
    )?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('重置密码');
    await shot(page, 'reset');
    await page.getByLabel('新密码', { exact: true }).fill('reset-Passw0rd');
    await page.getByLabel('确认新密码').fill('reset-Passw0rd!');
    await submit(page, '设置新密码');
    await expect(page.locator('#confirm-error').textContent()).resolves.toBe('两次输入的密码不一致');
    await shot(page, 'reset-error');
    await page.getByLabel('新密码', { exact: true }).fill('reset-Passw0rd');
    await page.getByLabel('确认新密码').fill('reset-Passw0rd');
    await submit(page, '设置新密码');
    expect(page.url()).toBe(`${base}/user/login?notice=password-reset`);
    await page.getByLabel('邮箱').fill(user.email);
    await page.getByLabel('密码').fill('reset-Passw0rd');
    await submit(page, '登录');
    expect(page.url()).toBe(`${base}/userInfo`);
    await page.goto(link!);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('链接已失效');
  });

  it.each(['qq', 'wb', 'db', 'wx'] as const)(
    'should sign a new person up through %s, and sign them in directly next time',
    async (type) => {
      const { context, page } = await newTab();
      const person = newPerson(type === 'wx' ? { unionid: `browser-union-${people + 1}` } : {});
      fakes[type].person = person;
      await page.goto(`${base}/user/login`);
      await Promise.all([
        page.waitForURL(/\/sns\/login\/fill\?openid=/),
        page.getByRole('link', { name: PROVIDER_LABELS[type], exact: true }).click(),
      ]);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('完善资料');
      await expect(page.getByLabel('昵称').inputValue()).resolves.toBe(person.nickname);
      await shot(page, `fill-${type}`);
      await submit(page, '完成');
      expect(page.url()).toBe(`${base}/userInfo`);
      await expect(
        page.getByRole('row', { name: new RegExp(PROVIDER_LABELS[type]) }).textContent(),
      ).resolves.toContain(`已绑定 (${person.nickname})`);
      await submit(page, '退出登录');
      // A browser keeps the fragment across redirects that have none: WeChat's `#wechat_redirect` comes along.
      await Promise.all([
        page.waitForURL(new RegExp(`^${base}/userInfo(#wechat_redirect)?$`)),
        page.getByRole('link', { name: PROVIDER_LABELS[type], exact: true }).click(),
      ]);
      await expect(page.locator('.profile strong').textContent()).resolves.toBe(person.nickname);
      await context.close();
    },
  );

  it('should bind, refuse to unbind the last way in, and unbind', async () => {
    const { page } = await newTab();
    fakes.db.person = newPerson();
    await page.goto(`${base}/user/login`);
    await Promise.all([
      page.waitForURL(/\/sns\/login\/fill/),
      page.getByRole('link', { name: '豆瓣' }).click(),
    ]);
    await submit(page, '完成');

    // Only Douban signs this account in: it stays.
    await submit(page, '解除绑定 豆瓣');
    expect(page.url()).toBe(`${base}/userInfo?notice=unbind-last`);
    await expect(page.locator('#sns-heading + p[role="alert"]').textContent()).resolves.toContain(
      '无法解除绑定：这是您唯一的登录方式',
    );
    await shot(page, 'account-unbind-last');

    fakes.qq.person = newPerson();
    await Promise.all([
      page.waitForURL(`${base}/userInfo?notice=bound`),
      page.getByRole('link', { name: '绑定 QQ' }).click(),
    ]);
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('绑定成功');
    await shot(page, 'account-bound');
    await submit(page, '解除绑定 豆瓣');
    expect(page.url()).toBe(`${base}/userInfo?notice=unbound`);
    await expect(page.getByRole('row', { name: /豆瓣/ }).textContent()).resolves.toContain('未绑定');
    await shot(page, 'account-unbound');
  });

  it('should have broken no page policy', () => {
    // The fake providers' pictures do not exist; anything else (a refused style or script) would be a defect.
    expect(consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
