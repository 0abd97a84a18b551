import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Test } from 'supertest';
import { md5 } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

interface AccessLine {
  level: number;
  msg: string;
  reqId: string;
  req: { id: string; method: string; url: string; remoteAddress: string };
  res: { statusCode: number };
}

/** One request of the suite: what it sends, and the access line it must leave. */
interface Exchange {
  label: string;
  send: (id: string) => Test;
  method: string;
  loggedUrl: string;
  status: number;
}

describe('request logs', () => {
  let t: TestApp;
  /** Every secret a client sent or received: none may appear in any log line. */
  const secrets = new Map<string, string>();
  const secret = (label: string): string => {
    const value = md5(`${label}-${randomUUID()}`);
    secrets.set(label, value);
    return value;
  };

  const first = {
    email: `log-first-${randomUUID().slice(0, 8)}@example.com`,
    password: secret('password in JSON'),
  };
  const second = {
    email: `log-second-${randomUUID().slice(0, 8)}@example.com`,
    password: secret('password in query'),
  };
  const newPassword = secret('new password in query');
  const pathToken = secret('token in xiaoma path');
  const queryToken = secret('token in query');
  const accessToken = secret('nggirl accessToken');
  const signature = secret('nggirl sign');
  const encodedKeyPassword = secret('password under an encoded key');
  const plainResetPassword = `Plain-${randomUUID()}`;
  secrets.set('plain password of the reset page', plainResetPassword);
  let firstToken = '';
  let resetToken = '';

  const expectSecretsAbsent = () => {
    const everything = t.logs.join('\n');
    for (const [label, value] of secrets) {
      expect([label, everything.includes(value)]).toEqual([label, false]);
    }
  };

  const accessLine = async (id: string): Promise<AccessLine> => {
    // The access line is written when the response finishes; give the server's 'finish' a moment.
    for (let attempt = 0; attempt < 50; attempt++) {
      const found = t.logs
        .map((line) => JSON.parse(line) as AccessLine)
        .filter((line) => line.req?.id === id);
      if (found.length > 0) {
        expect(found).toHaveLength(1);
        return found[0];
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no access line for request ${id}`);
  };

  const exchanges: Exchange[] = [
    {
      label: 'register with the password in a JSON body',
      send: (id) =>
        t.http
          .post('/passport/email/register')
          .set('X-Request-Id', id)
          .send({ ...first, nickname: 'First' }),
      method: 'POST',
      loggedUrl: '/passport/email/register',
      status: 200,
    },
    {
      label: 'register with the password in the query string',
      send: (id) =>
        t.http
          .post(
            `/passport/email/register?email=${encodeURIComponent(second.email)}&password=${second.password}&nickname=Second`,
          )
          .set('X-Request-Id', id),
      method: 'POST',
      loggedUrl: `/passport/email/register?email=${encodeURIComponent(second.email)}&password=[REDACTED]&nickname=Second`,
      status: 200,
    },
    {
      label: 'login with the password in a JSON body',
      send: (id) => t.http.post('/passport/email/login').set('X-Request-Id', id).send(first),
      method: 'POST',
      loggedUrl: '/passport/email/login',
      status: 200,
    },
    {
      label: 'login with the password in the query string',
      send: (id) =>
        t.http
          .post(`/passport/email/login?email=${encodeURIComponent(second.email)}&password=${second.password}`)
          .set('X-Request-Id', id),
      method: 'POST',
      loggedUrl: `/passport/email/login?email=${encodeURIComponent(second.email)}&password=[REDACTED]`,
      status: 200,
    },
    {
      label: 'a profile read with the token in Authorization',
      send: (id) => t.http.get('/user/profile').set('X-Request-Id', id).set('Authorization', firstToken),
      method: 'GET',
      loggedUrl: '/user/profile',
      status: 200,
    },
    {
      label: 'a password change with both passwords in the query string',
      send: (id) =>
        t.http
          .post(`/passport/modify/passwd?oldPasswd=${first.password}&newPasswd=${newPassword}`)
          .set('X-Request-Id', id)
          .set('Authorization', `Bearer ${firstToken}`),
      method: 'POST',
      loggedUrl: '/passport/modify/passwd?oldPasswd=[REDACTED]&newPasswd=[REDACTED]',
      status: 200,
    },
    {
      label: 'a xiaoma token as a path segment',
      send: (id) => t.http.get(`/Api/User/verification/token/${pathToken}`).set('X-Request-Id', id),
      method: 'GET',
      loggedUrl: '/Api/User/verification/token/[REDACTED]',
      status: 200,
    },
    {
      label: 'a token in the query string',
      send: (id) => t.http.get(`/Api/User/info?token=${queryToken}&page=1`).set('X-Request-Id', id),
      method: 'GET',
      loggedUrl: '/Api/User/info?token=[REDACTED]&page=1',
      status: 404,
    },
    {
      label: 'an nggirl accessToken and signature',
      send: (id) =>
        t.http
          .post(
            `/nggirl/app/bus/phoneUser/info?accessToken=${accessToken}&nonce=n1&timestamp=1&sign=${signature}`,
          )
          .set('X-Request-Id', id),
      method: 'POST',
      loggedUrl: '/nggirl/app/bus/phoneUser/info?accessToken=[REDACTED]&nonce=n1&timestamp=1&sign=[REDACTED]',
      status: 404,
    },
    {
      label: 'a password under a percent-encoded key',
      send: (id) => t.http.get(`/passport/nope?pass%77ord=${encodedKeyPassword}`).set('X-Request-Id', id),
      method: 'GET',
      loggedUrl: '/passport/nope?pass%77ord=[REDACTED]',
      status: 404,
    },
    {
      label: 'a password reset request',
      send: (id) =>
        t.http
          .post('/passport/forgot/passwd')
          .set('X-Request-Id', id)
          .type('form')
          .send({ email: first.email }),
      method: 'POST',
      loggedUrl: '/passport/forgot/passwd',
      status: 200,
    },
    {
      label: 'the reset page opened from the mailed link',
      send: (id) => t.http.get(`/account/reset-password?token=${resetToken}`).set('X-Request-Id', id),
      method: 'GET',
      loggedUrl: '/account/reset-password?token=[REDACTED]',
      status: 200,
    },
    {
      label: 'the reset page submitted with a plain password',
      send: (id) =>
        t.http
          .post('/account/reset-password')
          .set('X-Request-Id', id)
          .type('form')
          .send({ token: resetToken, password: plainResetPassword, confirm: plainResetPassword }),
      method: 'POST',
      loggedUrl: '/account/reset-password',
      status: 200,
    },
  ];

  const sent = new Map<string, { id: string; status: number }>();

  beforeAll(async () => {
    t = await createTestApp({ env: { PASSWORD_RESET_COOLDOWN: '0s' } });
    for (const [index, exchange] of exchanges.entries()) {
      const id = `log-check-${index}`;
      const res = await exchange.send(id);
      sent.set(exchange.label, { id, status: res.status });
      for (const issued of [res.body?.data?.token, res.body?.data?.accessToken]) {
        if (typeof issued === 'string' && issued) secrets.set(`token issued to ${exchange.label}`, issued);
      }
      if (index === 0) firstToken = res.body.data.token as string;
      if (exchange.label === 'a password reset request') {
        await t.flushOutbox();
        const [mail] = await t.db.query<Array<{ body: string }>>(
          `SELECT body FROM outbox_messages WHERE recipient = $1 ORDER BY id DESC LIMIT 1`,
          [first.email],
        );
        resetToken = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.body)![1];
        secrets.set('reset token', resetToken);
      }
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('should have answered every request as expected', () => {
    expect(exchanges.map((e) => [e.label, sent.get(e.label)?.status])).toEqual(
      exchanges.map((e) => [e.label, e.status]),
    );
  });

  it('should have collected every secret it checks for', () => {
    expect(firstToken).not.toBe('');
    expect(resetToken).not.toBe('');
    expect([...secrets.keys()].filter((label) => label.startsWith('token issued'))).toHaveLength(4);
  });

  it('should write no password, code or token to any log line', () => {
    expect(t.logs.length).toBeGreaterThan(exchanges.length);
    expectSecretsAbsent();
  });

  it.each(exchanges.map((e) => [e.label, e] as const))(
    'should log %s once, with method, redacted url, status and request id',
    async (_label, exchange) => {
      const { id } = sent.get(exchange.label)!;
      const line = await accessLine(id);
      expect(line).toEqual(
        expect.objectContaining({
          level: 30,
          msg: 'request completed',
          reqId: id,
          req: { id, method: exchange.method, url: exchange.loggedUrl, remoteAddress: expect.any(String) },
          res: { statusCode: exchange.status },
        }),
      );
    },
  );
});
