import { expect } from '@jest/globals';
import request from 'supertest';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import type { TestApp } from '#test/helpers/test-app.js';
import { freePort } from '#test/helpers/processes.js';

/** What a moretv client puts in a `{EMAIL}` path segment: urlencode(base64_encode(email)). */
export function emailSegment(email: string): string {
  return encodeURIComponent(Buffer.from(email, 'utf8').toString('base64'));
}

/** A browser-like client: keeps its cookies (the browser id, the session) from one request to the next. */
export type BrowserAgent = ReturnType<typeof request.agent>;

export function browserAgent(t: TestApp): BrowserAgent {
  return request.agent(t.app.getHttpServer());
}

/** The `_csrf` value of the first form on a page. */
export function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no _csrf field on the page');
  return token;
}

/** The value of a cookie in a response's Set-Cookie headers, or undefined. */
export function setCookie(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  const headers = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  const line = headers.find((h) => h.startsWith(`${name}=`));
  return line;
}

export interface MoretvTestUser extends NuzzleTestUser {
  /** `moretv_session=<token>` for a Cookie header. */
  cookie: string;
}

let counter = 0;

/** An account made through nuzzle (shared accounts) and signed in through moretv's JSON login. */
export async function moretvUser(
  t: TestApp,
  overrides: { email?: string; /** the login path, under a moretv prefix */ path?: string } = {},
): Promise<MoretvTestUser> {
  counter += 1;
  const user = await registerNuzzleUser(t, {
    email: overrides.email ?? `moretv${counter}-${Date.now().toString(36)}@moretv-user.cn`,
  });
  const login = await t.http
    .post(overrides.path ?? '/user/login')
    .type('form')
    .send({ email: user.email, password: user.plainPassword, auto_login: '0' });
  expect(login.body).toEqual({ status: 0, err_msg: '' });
  const session = setCookie(login, 'moretv_session');
  if (!session) throw new Error('no session cookie');
  return { ...user, cookie: session.split(';')[0] };
}

/** The latest mail to `to` in the development outbox (local mail transport). */
export async function latestMail(t: TestApp, to: string): Promise<{ subject: string | null; body: string }> {
  await t.flushOutbox();
  const res = await t.http.get('/dev/outbox').query({ to, limit: 1, channel: 'mail' });
  const [mail] = res.body as Array<{ subject: string | null; body: string }>;
  if (!mail) throw new Error(`no mail to ${to}`);
  return mail;
}

/** The six-digit code in the latest mail to `to`. */
export async function mailedCode(t: TestApp, to: string): Promise<string> {
  const code = /\b(\d{6})\b/.exec((await latestMail(t, to)).body)?.[1];
  if (!code) throw new Error(`no code in the mail to ${to}`);
  return code;
}

/** A free loopback port, so an app can be told its own public URL before it listens (origin checks need it). */

export { freePort };
