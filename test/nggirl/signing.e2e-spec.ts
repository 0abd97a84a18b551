import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { FakeClock } from '#test/helpers/fake-clock.js';
import {
  canonical,
  LEGACY_APP_ID,
  md5,
  NGGIRL_PATH,
  NggirlClient,
  nggirlEnv,
  registerNggirlUser,
  sign,
  TEST_APP_ID,
  TEST_APP_SECRET,
  type Params,
  type Transport,
} from '#test/helpers/nggirl.js';
import { deleteRedisKeys, redisAnswers, TEST_REDIS_URL } from '#test/helpers/redis.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const refused = (reason: string) => ({ code: 8, data: null, message: `请求签名无效：${reason}` });

/** Request signing over HTTP, as a client meets it: once per request, before the route's own checks. */
describe('nggirl request signing', () => {
  let t: TestApp;
  let client: NggirlClient;
  let accessToken: string;
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await createTestApp({ clock, env: nggirlEnv() });
    client = new NggirlClient(t, { clock });
    accessToken = (await registerNggirlUser(client)).tokens.accessToken;
  });
  afterAll(async () => {
    await t.close();
  });

  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

  it.each<Transport | 'get'>(['get', 'query', 'form', 'json', 'multipart'])(
    'should accept a request signed as documented with every parameter sent as %s',
    async (transport) => {
      const res = await client.send('listCosmeticsClass', sign({ accessToken }, { clock }), transport);
      expect(res.body).toMatchObject({ code: 0, data: { cosmeticsClass: expect.any(Array) } });
    },
  );

  it('should sign the same parameters split between the query string and the body', async () => {
    const signed = sign({ accessToken, cosmeticsClass: '粉底液' }, { clock });
    const { app_id, timestamp, sign: _signature, nonce: _nonce, ...rest } = signed;
    for (const type of ['form', 'json'] as const) {
      // A nonce of its own for each.
      const resigned = sign(
        { accessToken, cosmeticsClass: '粉底液' },
        { clock, timestamp: timestamp as string },
      );
      const query = { app_id, nonce: resigned.nonce, timestamp, sign: resigned.sign } as Record<
        string,
        string
      >;
      const req = t.http.post(`${NGGIRL_PATH}/listCosmeticsBrand`).query(query);
      const res = await (type === 'form' ? req.type('form').send(rest) : req.send(rest));
      expect(res.body).toMatchObject({
        code: 0,
        data: expect.arrayContaining([expect.objectContaining({ country: '法国' })]),
      });
    }
  });

  it('should sign a JSON value in a JSON body as its JSON text, and the same text sent as a form field', async () => {
    const info = [{ cosmeticsClass: '粉底液', cosmeticsBrand: ['Dior迪奥', '香奈儿chanel'] }];
    const asJson = await client.call('setCosmeticsInfo', { accessToken, cosmeticsInfo: info }, 'json');
    expect(asJson.body).toEqual({ code: 0, data: info });
    const asForm = await client.call(
      'setCosmeticsInfo',
      { accessToken, cosmeticsInfo: JSON.stringify(info) },
      'form',
    );
    expect(asForm.body).toEqual({ code: 0, data: info });
  });

  it('should refuse every parameter tampered with, added or dropped, and never tell the signature', async () => {
    const original = sign({ accessToken, cosmeticsClass: '粉底液' }, { clock });
    const variants: Params[] = [];
    for (const name of Object.keys(original)) {
      if (name === 'sign' || name === 'app_id') continue;
      const value = original[name] as string;
      variants.push({ ...original, [name]: name === 'timestamp' ? String(Number(value) - 1) : `${value}x` });
    }
    variants.push({ ...original, extra: '1' });
    const { cosmeticsClass: _dropped, ...dropped } = original;
    variants.push(dropped);
    const signature = original.sign as string;
    variants.push({ ...original, sign: signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0') });
    variants.push({ ...original, sign: signature.slice(0, 40) });
    variants.push(
      sign({ accessToken, cosmeticsClass: '粉底液' }, { clock, secret: `${TEST_APP_SECRET}-wrong` }),
    );
    for (const variant of variants) {
      const res = await client.send('listCosmeticsBrand', variant, 'form');
      expect(res.body).toEqual(refused('签名错误'));
      expect(res.text).not.toContain(signature);
    }
    // None of them spent the nonce: the genuine request still goes through.
    expect((await client.send('listCosmeticsBrand', original, 'form')).body).toMatchObject({ code: 0 });
  });

  it.each(['app_id', 'nonce', 'timestamp', 'sign'])('should name a missing or empty %s', async (name) => {
    const signed = sign({ accessToken }, { clock });
    const { [name]: _gone, ...missing } = signed;
    expect((await client.send('listCosmeticsClass', missing, 'get')).body).toEqual(
      refused(`缺少签名参数: ${name}`),
    );
    expect((await client.send('listCosmeticsClass', { ...signed, [name]: '' }, 'get')).body).toEqual(
      refused(`缺少签名参数: ${name}`),
    );
  });

  it('should refuse a signing parameter given twice, a timestamp that is not seconds, and a bad nonce', async () => {
    const signed = sign({ accessToken }, { clock }) as Record<string, string>;
    const twice = await t.http
      .get(`${NGGIRL_PATH}/listCosmeticsClass`)
      .query(`${new URLSearchParams(signed).toString()}&nonce=again`);
    expect(twice.body).toEqual(refused('签名参数格式错误: nonce'));
    const fractional = sign({ accessToken }, { clock, timestamp: `${nowSeconds()}.5` });
    expect((await client.send('listCosmeticsClass', fractional, 'get')).body).toEqual(
      refused('签名参数格式错误: timestamp'),
    );
    const long = sign({ accessToken }, { clock, nonce: 'n'.repeat(65) });
    expect((await client.send('listCosmeticsClass', long, 'get')).body).toEqual(
      refused('签名参数格式错误: nonce'),
    );
  });

  it('should refuse a timestamp more than 300 s behind or ahead, and accept one at 300 s', async () => {
    const at = nowSeconds();
    expect((await client.get('listCosmeticsClass', { accessToken }, { timestamp: at - 301 })).body).toEqual(
      refused('请求时间戳已过期'),
    );
    expect((await client.get('listCosmeticsClass', { accessToken }, { timestamp: at + 301 })).body).toEqual(
      refused('请求时间戳超前于服务器时间'),
    );
    expect(
      (await client.get('listCosmeticsClass', { accessToken }, { timestamp: at - 300 })).body,
    ).toMatchObject({
      code: 0,
    });
    expect(
      (await client.get('listCosmeticsClass', { accessToken }, { timestamp: at + 300 })).body,
    ).toMatchObject({
      code: 0,
    });
  });

  it('should refuse an unknown app', async () => {
    expect((await client.get('listCosmeticsClass', { accessToken }, { appId: 'nobody' })).body).toEqual(
      refused('未知的应用 app_id'),
    );
  });

  it('should refuse a replay with the same nonce, and take the same nonce from another app', async () => {
    const signed = sign({ accessToken }, { clock, nonce: 'replayed-nonce' });
    expect((await client.send('listCosmeticsClass', signed, 'get')).body).toMatchObject({ code: 0 });
    expect((await client.send('listCosmeticsClass', signed, 'get')).body).toEqual(
      refused('请求已被使用（nonce 重复）'),
    );
    const otherApp = sign({ accessToken }, { clock, nonce: 'replayed-nonce', appId: LEGACY_APP_ID });
    expect((await client.send('listCosmeticsClass', otherApp, 'get')).body).toMatchObject({ code: 0 });
  });

  it('should let an app in its migration period through unsigned, and log each such request with its app id', async () => {
    const res = await t.http
      .get(`${NGGIRL_PATH}/listCosmeticsClass`)
      .query({ app_id: LEGACY_APP_ID, accessToken, sign: 'hEnqQoYQgMX7BTurINs5BZ8InKI9FP' });
    expect(res.body).toMatchObject({ code: 0 });
    const logged = t.logs.filter((line) => line.includes('unsigned nggirl request'));
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.parse(logged.at(-1)!)).toMatchObject({
      appId: LEGACY_APP_ID,
      path: `${NGGIRL_PATH}/listCosmeticsClass`,
    });
  });

  it.each([
    'logon',
    'create',
    'getCode',
    'getCodeForgot',
    'checkRegisterCode',
    'authorization',
    'updatePasswordForgot',
    'uploadUserInfo/1.3.0',
    'listCosmeticsClass',
    'listCosmeticsBrand',
    'setCosmeticsInfo',
    'updatePushInfo',
    'uploadImage',
    'identificationImage',
  ])('should refuse an unsigned request to %s with 8, before anything else', async (route) => {
    const res = await client.send(
      route,
      { accessToken, phoneNum: '13800000000', app_id: 'app1' },
      'multipart',
    );
    expect(res.body).toEqual(refused('缺少签名参数: timestamp'));
  });

  it('should check the signature before the session: a bad signature without a token is 8, a good one is 3', async () => {
    expect(
      (await client.get('listCosmeticsClass', {}, { secret: 'wrong-secret-wrong-secret' })).body,
    ).toEqual(refused('签名错误'));
    expect((await client.get('listCosmeticsClass', {})).body).toEqual({
      code: 3,
      data: null,
      message: '授权令牌无效或已过期',
    });
    // A route that does not exist is not the signature's business.
    expect((await client.get('nope', {})).body).toEqual({ code: 11, data: null, message: '不允许的操作' });
  });

  it('should accept exactly one of 100 concurrent copies of one signed request (PostgreSQL nonce store)', async () => {
    const signed = sign({ accessToken }, { clock });
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => client.send('listCosmeticsClass', signed, 'get')),
    );
    const codes = answers.map((res) => (res.body as { code: number }).code);
    expect(codes.filter((c) => c === 0)).toHaveLength(1);
    expect(codes.filter((c) => c === 8)).toHaveLength(99);
  });

  it('should leave no signing parameter, password or token in the request log', async () => {
    const signed = sign({ phoneNum: '13800000001', password: md5('logged?') }, { clock });
    await client.send('logon', signed, 'query');
    const line = t.logs.find((l) => l.includes('/phoneUser/logon?'));
    expect(line).toBeDefined();
    expect(line).not.toContain(signed.sign);
    expect(line).not.toContain(md5('logged?'));
  });

  it('should compute the same canonical string as the server for the worked example of the docs', () => {
    expect(
      canonical({
        app_id: '14314',
        nonce: 'uyxxd',
        timestamp: '1427814380',
        phoneNum: '13581878073',
        password: 'e10adc3949ba59abbe56e057f20f883e',
        accessToken: '',
      }),
    ).toBe(
      'accessToken=&app_id=14314&nonce=uyxxd&password=e10adc3949ba59abbe56e057f20f883e&phoneNum=13581878073&timestamp=1427814380',
    );
  });
});

describe('the worked example of docs/dialects/nggirl.md, sent as written', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The example's own moment and app, so its signature is the one the document prints.
    t = await createTestApp({
      clock: new FakeClock(1427814380 * 1000),
      env: nggirlEnv({ NGGIRL_APPS: '14314:nggirl-example-secret-2f9c1d7a' }),
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should take the first logon of the example (its phone not registered here: 5, so the signature passed)', async () => {
    const res = await t.http
      .post(
        `${NGGIRL_PATH}/logon?app_id=14314&nonce=uyxxd&timestamp=1427814380&sign=015670979120536094febd7a26dc168a136b1a26bf1b48e513f1ca46438bb843`,
      )
      .type('form')
      .send('phoneNum=13581878073&password=e10adc3949ba59abbe56e057f20f883e&accessToken=');
    expect(res.body).toEqual({ code: 5, data: null, message: '手机号或密码错误' });
    const replay = await t.http
      .post(
        `${NGGIRL_PATH}/logon?app_id=14314&nonce=uyxxd&timestamp=1427814380&sign=015670979120536094febd7a26dc168a136b1a26bf1b48e513f1ca46438bb843`,
      )
      .type('form')
      .send('phoneNum=13581878073&password=e10adc3949ba59abbe56e057f20f883e&accessToken=');
    expect(replay.body).toEqual(refused('请求已被使用（nonce 重复）'));
  });

  it('should take the setCosmeticsInfo example up to its (shortened, so invalid) access token', async () => {
    const res = await t.http
      .post(
        `${NGGIRL_PATH}/setCosmeticsInfo?app_id=14314&nonce=k2j9x&timestamp=1427814400&sign=9b4d4cfa02c4eff7d4c2c147ff8064d892c5618aff54b67a4333fc6fdc1cfb5a`,
      )
      .set('Content-Type', 'application/json')
      .send(
        '{"accessToken":"eyJhbGciOiJIUzI1NiJ9.e30.x","cosmeticsInfo":[{"cosmeticsClass":"粉底液","cosmeticsBrand":["Dior迪奥","香奈儿chanel"]}]}',
      );
    expect(res.body).toEqual({ code: 3, data: null, message: '授权令牌无效或已过期' });
  });
});

describe('nggirl request signing with the Redis nonce store', () => {
  let t: TestApp | undefined;
  let client: NggirlClient;
  let accessToken: string;
  const prefix = `concord-test-${randomBytes(6).toString('hex')}:`;

  beforeAll(async () => {
    if (!(await redisAnswers('the nggirl signing suite over Redis'))) return;
    t = await createTestApp({ env: nggirlEnv({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix }) });
    client = new NggirlClient(t);
    accessToken = (await registerNggirlUser(client)).tokens.accessToken;
  });
  afterAll(async () => {
    await t?.close();
    await deleteRedisKeys(prefix);
  });

  it('should accept exactly one of 100 concurrent copies of one signed request', async () => {
    if (!t) return; // Redis missing and not required: reported at start.
    const signed = sign({ accessToken });
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => client.send('listCosmeticsClass', signed, 'get')),
    );
    const codes = answers.map((res) => (res.body as { code: number }).code);
    expect(codes.filter((c) => c === 0)).toHaveLength(1);
    expect(codes.filter((c) => c === 8)).toHaveLength(99);
    // The nonce lives in Redis, not in PostgreSQL.
    const redis = new Redis(TEST_REDIS_URL);
    try {
      expect(await redis.exists(`${prefix}nggirl-nonce:${TEST_APP_ID}:${signed.nonce as string}`)).toBe(1);
    } finally {
      await redis.quit();
    }
    expect(await t.db.query(`SELECT count(*)::int AS n FROM request_nonces`)).toEqual([{ n: 0 }]);
  });
});
