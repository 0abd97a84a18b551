import { createHash, randomUUID } from 'node:crypto';
import type { TestApp } from '#test/helpers/test-app.js';

export const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

export interface NuzzleTestUser {
  id: string;
  token: string;
  email: string;
  /** What the client sends: the md5 hex of `plainPassword`. */
  password: string;
  plainPassword: string;
  nickname: string;
}

let counter = 0;

/** Registers a nuzzle user through the API and hands back its token in one line. */
export async function registerNuzzleUser(
  t: TestApp,
  overrides: Partial<{
    email: string;
    plainPassword: string;
    nickname: string;
    pf: string;
    pushToken: string;
  }> = {},
): Promise<NuzzleTestUser> {
  counter += 1;
  const email = overrides.email ?? `user${counter}-${randomUUID().slice(0, 8)}@example.com`;
  const plainPassword = overrides.plainPassword ?? `secret-${counter}`;
  const nickname = overrides.nickname ?? `User ${counter}`;
  const res = await t.http
    .post('/passport/email/register')
    .type('form')
    .send({
      email,
      password: md5(plainPassword),
      nickname,
      tz: 'Asia/Shanghai',
      ...(overrides.pf ? { pf: overrides.pf } : {}),
      ...(overrides.pushToken ? { pushToken: overrides.pushToken } : {}),
    });
  if (res.body?.ret !== 200) throw new Error(`register failed: ${JSON.stringify(res.body)}`);
  const data = res.body.data as { id: string; token: string };
  return {
    id: data.id,
    token: data.token,
    email: email.toLowerCase(),
    password: md5(plainPassword),
    plainPassword,
    nickname,
  };
}
