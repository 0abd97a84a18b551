import { mkdir, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { md5, registerNuzzleUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

/**
 * The five defects of a black-box probe (issue 12), each with its neighbours: the same attack through another
 * transport or route.
 */

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** One object with `count` distinct two- and three-letter keys, as JSON text: the probe's body, under 1 MiB. */
function manyKeys(count: number): string {
  const keys: string[] = [];
  for (const x of ALPHABET) for (const y of ALPHABET) keys.push(x + y);
  for (const x of ALPHABET) for (const y of ALPHABET) for (const z of ALPHABET) keys.push(x + y + z);
  return `{"phone":{${keys
    .slice(0, count)
    .map((k) => `"${k}":0`)
    .join(',')}}}`;
}

const deepJson = (levels: number) => `{"email":${'['.repeat(levels)}${']'.repeat(levels)}}`;

/** ~1 MB of nested arrays. */
function arrayOfArrays(): string {
  const inner = `[${Array.from({ length: 50 }, () => '[]').join(',')}]`;
  return `{"phone":[${Array.from({ length: 3300 }, () => inner).join(',')}]}`;
}

/** A raw request on a fresh connection, so the parallel bodies really travel in parallel. */
function rawPost(
  url: string,
  path: string,
  body: string,
  contentType: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      { method: 'POST', headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function timedGet(url: string, path: string): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    httpRequest(`${url}${path}`, (res) => {
      res.resume();
      res.on('end', () => resolve(Date.now() - started));
    })
      .on('error', reject)
      .end();
  });
}

describe('request bounds (parameters are bounded before anything walks them)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['xiaoma send_code', '/Api/User/send_code', { data: '', info: '输入的信息不符合', code: 1006, state: 2 }],
    ['nuzzle login', '/passport/email/login', { ret: 500, errcode: 'PARAM_ERROR' }],
  ])(
    'should refuse one object with 128,000 keys on %s with the parameter error',
    async (_label, path, envelope) => {
      const res = await t.http.post(path).set('content-type', 'application/json').send(manyKeys(128_000));
      expect(res.body).toEqual(envelope);
    },
  );

  it('should refuse 10,000 levels of nesting with the parameter error, not a stack overflow', async () => {
    const res = await t.http
      .post('/passport/email/login')
      .set('content-type', 'application/json')
      .send(deepJson(10_000));
    expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
    expect(t.logs.join('\n')).not.toContain('unhandled error');
  });

  it('should refuse a megabyte of nested arrays with the parameter error', async () => {
    const body = arrayOfArrays();
    expect(body.length).toBeGreaterThan(490_000);
    const res = await t.http.post('/Api/User/send_code').set('content-type', 'application/json').send(body);
    expect(res.body).toMatchObject({ code: 1006, state: 2 });
  });

  it('should refuse too many urlencoded fields with the parameter error', async () => {
    const form = Array.from({ length: 5000 }, (_, i) => `f${i}=1`).join('&');
    const res = await t.http.post('/Api/User/send_code').type('form').send(form);
    expect(res.body).toMatchObject({ code: 1006, state: 2 });
  });

  it('should refuse deeply nested multipart field names with the parameter error', async () => {
    const res = await t.http
      .post('/Api/User/send_code')
      .field(`phone${'[a]'.repeat(40)}`, '1')
      .field('type', 'register');
    expect(res.body).toMatchObject({ code: 1006, state: 2 });
  });

  it('should refuse a query string array longer than the bound', async () => {
    const query = Array.from({ length: 400 }, () => 'phone=1').join('&');
    const res = await t.http.get(`/Api/User/send_code?${query}`);
    expect(res.body).toMatchObject({ code: 1006, state: 2 });
  });

  it("should still accept the documents' small nested values", async () => {
    const res = await t.http.post('/passport/email/login').send({
      email: 'nobody@example.com',
      password: md5('x'),
      recharge: [{ userId: '1', transactionId: '2' }],
    });
    expect(res.body).toEqual({ ret: 500, errcode: 'PASSWD_NOT_MATCH' });
  });

  it('should keep /health fast while such bodies arrive in parallel', async () => {
    const url = t.url!;
    const hostile = manyKeys(128_000);
    const attacks = Array.from({ length: 4 }, (_, i) =>
      rawPost(url, i % 2 ? '/Api/User/send_code' : '/passport/email/login', hostile, 'application/json'),
    );
    // Before the bound, four such bodies kept /health from answering for 15 s.
    const healthTimes = await Promise.all(
      [200, 400, 600].map(
        (delay) =>
          new Promise<number>((resolve, reject) =>
            setTimeout(() => void timedGet(url, '/health').then(resolve, reject), delay),
          ),
      ),
    );
    const answers = await Promise.all(attacks);
    for (const answer of answers) expect(answer.status).toBe(200);
    // A generous bound on a shared 2-core machine: the point is seconds against milliseconds.
    expect(Math.max(...healthTimes)).toBeLessThan(5_000);
  });
});

describe('malformed multipart bodies', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    token = (await registerNuzzleUser(t)).token;
  });
  afterAll(async () => {
    await t.close();
  });

  const boundary = 'concordtestboundary';
  const part = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

  it.each([
    ['no boundary', 'multipart/form-data', 'abc'],
    [
      'a boundary that does not match',
      'multipart/form-data; boundary=other',
      `${part('phone', '1')}--${boundary}--\r\n`,
    ],
    [
      'a truncated body',
      `multipart/form-data; boundary=${boundary}`,
      `${part('phone', '1')}--${boundary}\r\nContent-Disp`,
    ],
    [
      'a NUL in a file name',
      `multipart/form-data; boundary=${boundary}`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.png"\r\nContent-Type: image/png\r\n\r\nxx\r\n--${boundary}--\r\n`,
    ],
    [
      'a malformed part header',
      `multipart/form-data; boundary=${boundary}`,
      `--${boundary}\r\nno header here\r\n\r\n--${boundary}--\r\n`,
    ],
  ])('should answer %s with the parameter error, never a crash', async (_label, contentType, body) => {
    const before = t.logs.length;
    const xiaoma = await t.http.post('/Api/User/login').set('content-type', contentType).send(body);
    expect(xiaoma.status).toBeLessThan(500);
    expect(xiaoma.body).toMatchObject({ state: 2 });
    expect([1006, 1010]).toContain((xiaoma.body as { code: number }).code);
    const upload = await t.http
      .post(`/Api/User/upload_image/token/${token}`)
      .set('content-type', contentType)
      .send(body);
    expect(upload.status).toBeLessThan(500);
    const nuzzle = await t.http.post('/passport/email/login').set('content-type', contentType).send(body);
    expect(nuzzle.status).toBeLessThan(500);
    expect(nuzzle.body).toMatchObject({ ret: 500 });
    expect(t.logs.slice(before).join('\n')).not.toMatch(/unhandled error|"level":50/);
  });
});

describe('per-address budget of account creation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { ACCOUNT_IP_LIMIT_PER_HOUR: '3', VERIFICATION_ECHO_CODE: 'true' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should refuse a nuzzle registration past the budget, whatever X-Forwarded-For says', async () => {
    const register = (i: number) =>
      t.http
        .post('/passport/email/register')
        .set('X-Forwarded-For', `203.0.113.${i}`)
        .send({ email: `budget${i}@example.com`, password: md5('pw'), nickname: `B${i}`, tz: 'UTC' });
    for (let i = 0; i < 3; i++) expect((await register(i)).body).toMatchObject({ ret: 200 });
    const refused = await register(9);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ ret: 500, errcode: 'NOT_ALLOWED' });
    // Probing a taken address is refused the same way: no answer tells what is registered.
    expect((await register(0)).body).toEqual({ ret: 500, errcode: 'NOT_ALLOWED' });
  });

  it('should refuse a xiaoma registration past the same budget with its throttling code', async () => {
    const res = await t.http
      .post('/Api/User/register')
      .send({ phone: '13900000001', code: '000000', password: 'secret123' });
    expect(res.body).toEqual({ data: '', info: '操作太频繁,请稍后再试', code: 998, state: 2 });
  });
});

describe('log redaction of secrets in unusual places', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('should keep every secret of the probe out of the request log', async () => {
    const { token } = await registerNuzzleUser(t);
    const secret = 'SuperSecret123';
    const urls = [
      `/passport/email/login?pass=${secret}`,
      `/user/profile?Authorization=${token}`,
      `/Api/User/get_user_details;token=${secret}`,
      `/Api/User/get_user_details/%74oken/${secret}`,
      `/Api/User/get_user_details/token//${secret}`,
      `/Api/User/get_user_details?token[]=${secret}`,
      `/Api/User/get_user_details?token%00=${secret}`,
      `/feed/list?anything=${token}`,
      `/feed/${token}`,
    ];
    for (const url of urls) await t.http.get(url);
    const log = t.logs.join('\n');
    expect(log).toContain('request completed');
    expect(log).not.toContain(secret);
    expect(log).not.toContain(token);
    expect(log).not.toContain(token.split('.')[2]);
  });
});

describe('headers on every answer', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('should forbid caching an answer that carries a token, and sniffing any answer', async () => {
    const user = await registerNuzzleUser(t);
    const login = await t.http
      .post('/passport/email/login')
      .send({ email: user.email, password: user.password, tz: 'UTC' });
    expect(login.body.ret).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
    expect(login.headers['x-content-type-options']).toBe('nosniff');
    const failure = await t.http.post('/Api/User/login').send({ phone: '1', password: 'x' });
    expect(failure.headers['x-content-type-options']).toBe('nosniff');
    expect(failure.headers['cache-control']).toBe('no-store');
  });

  it('should serve Swagger UI with a content security policy and frame protection', async () => {
    const res = await t.http.get('/docs/').redirects(1);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('should answer /media with 404 for anything that is not a stored file', async () => {
    await mkdir(join(t.config.media.dir, 'sub'), { recursive: true });
    await writeFile(join(t.config.media.dir, '.hidden'), 'x');
    for (const path of [
      '/media/.',
      '/media/',
      '/media/sub',
      '/media/sub/',
      '/media/.hidden',
      '/media/nothing.png',
      '/media/..%2fetc%2fpasswd',
    ]) {
      const res = await t.http.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.headers['content-type']).not.toContain('text/html');
    }
  });
});
