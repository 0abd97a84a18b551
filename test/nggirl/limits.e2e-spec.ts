import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { md5, newPhone, NggirlClient, nggirlEnv, type Params } from '#test/helpers/nggirl.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const RATE_LIMITED = { code: 9, data: null, message: '请求过于频繁' };

/** The address budgets in front of nggirl's sign-in, registration and code routes: 9 once a window is spent. */
describe('nggirl budgets', () => {
  let t: TestApp;
  let client: NggirlClient;
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      env: nggirlEnv({
        LOGIN_IP_LIMIT_PER_MINUTE: '3',
        ACCOUNT_IP_LIMIT_PER_HOUR: '3',
        VERIFICATION_CHECKS_PER_IP_PER_HOUR: '3',
      }),
    });
    client = new NggirlClient(t, { clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const cases: Array<[string, () => Params]> = [
    ['logon', () => ({ phoneNum: newPhone(), password: md5('x') })],
    ['getCode', () => ({ phoneNum: newPhone() })],
    ['getCodeForgot', () => ({ phoneNum: newPhone() })],
    ['create', () => ({ phoneNum: newPhone(), password: md5('x'), code: '123456' })],
    ['checkRegisterCode', () => ({ phoneNum: newPhone(), code: '123456' })],
    ['updatePasswordForgot', () => ({ phoneNum: newPhone(), code: '123456', newPassword: md5('x') })],
  ];

  it.each(cases)(
    'should answer %s with 9 once the address spent its budget, and again in the next window',
    async (route, params) => {
      // A window of its own for each route.
      clock.advance(3_600_000);
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push((await client.call(route, params())).body as { code: number });
      expect(answers.slice(0, 3).map((a) => a.code)).not.toContain(9);
      expect(answers[3]).toEqual(RATE_LIMITED);
      clock.advance(3_600_000);
      expect(((await client.call(route, params())).body as { code: number }).code).not.toBe(9);
    },
  );
});
