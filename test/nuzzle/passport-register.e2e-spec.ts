import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { md5, registerNuzzleUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

describe('nuzzle /passport/email/register', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('should register from a urlencoded body and answer every documented field', async () => {
    const res = await t.http
      .post('/passport/email/register')
      .type('form')
      .send({
        email: 'Jimmy@Holaverse.com',
        password: md5('pw-1'),
        nickname: ' Jimmy ',
        pf: 'android',
        tz: 'Asia/Shanghai',
      });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ret: 200,
      data: {
        id: expect.stringMatching(/^\d+$/),
        userId: res.body.data.id,
        token: expect.any(String),
        status: 'NORMAL',
        email: 'jimmy@holaverse.com',
        nickname: 'Jimmy',
        facebookId: '',
        regDone: false,
        type: 'nobody',
        avatar: '',
        thumbnail: '',
        registerTime: expect.any(Number),
      },
    });
    expect(Math.abs(res.body.data.registerTime - Date.now())).toBeLessThan(60_000);
  });

  it('should register from a JSON body', async () => {
    const res = await t.http
      .post('/passport/email/register')
      .send({ email: 'json@example.com', password: md5('pw'), nickname: '张三' });
    expect(res.body).toMatchObject({ ret: 200, data: { email: 'json@example.com', nickname: '张三' } });
  });

  it('should register from a multipart body', async () => {
    const res = await t.http
      .post('/passport/email/register')
      .field('email', 'multipart@example.com')
      .field('password', md5('pw'))
      .field('nickname', 'Multi');
    expect(res.body).toMatchObject({ ret: 200, data: { email: 'multipart@example.com' } });
  });

  it('should answer USER_HAS_EXIST for an email already registered, whatever its case', async () => {
    const user = await registerNuzzleUser(t);
    const res = await t.http
      .post('/passport/email/register')
      .send({ email: user.email.toUpperCase(), password: md5('other'), nickname: 'Again' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'USER_HAS_EXIST' });
  });

  it.each([
    ['only spaces', '   '],
    ['too long', 'x'.repeat(31)],
    ['a control character', 'bad\u0007name'],
    ['only punctuation', '...'],
  ])('should answer NICKNAME_IS_INVALID for a nickname with %s', async (_label, nickname) => {
    const res = await t.http
      .post('/passport/email/register')
      .send({ email: `nick-${Math.random()}@example.com`, password: md5('pw'), nickname });
    expect(res.body).toEqual({ ret: 500, errcode: 'NICKNAME_IS_INVALID' });
  });

  it.each([
    ['no email', { password: md5('pw'), nickname: 'n' }],
    ['a malformed email', { email: 'not-an-email', password: md5('pw'), nickname: 'n' }],
    ['no password', { email: 'p1@example.com', nickname: 'n' }],
    ['an empty password', { email: 'p2@example.com', password: '', nickname: 'n' }],
    ['no nickname', { email: 'p3@example.com', password: md5('pw') }],
    ['a number as password', { email: 'p4@example.com', password: 123456, nickname: 'n' }],
    ['an array as email', { email: ['a@example.com', 'b@example.com'], password: md5('pw'), nickname: 'n' }],
    ['an object as nickname', { email: 'p5@example.com', password: md5('pw'), nickname: { $ne: '' } }],
  ])('should answer PARAM_ERROR for %s', async (_label, body) => {
    const res = await t.http.post('/passport/email/register').send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
  });

  it('should record the push token and platform as a device at register', async () => {
    const user = await registerNuzzleUser(t, { pf: 'iOS', pushToken: 'apns-token-register' });
    const devices = await t.db.query<Array<{ userId: string; provider: string; platform: string }>>(
      `SELECT user_id::text AS "userId", push_provider AS provider, platform FROM devices WHERE push_token = $1`,
      ['apns-token-register'],
    );
    expect(devices).toEqual([{ userId: user.id, provider: 'nuzzle', platform: 'ios' }]);
  });

  it('should not serve register on GET, which the document does not allow', async () => {
    const res = await t.http
      .get('/passport/email/register')
      .query({ email: 'g@example.com', password: md5('pw'), nickname: 'g' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ ret: 500, errcode: 'NOT_ALLOWED' });
  });
});
