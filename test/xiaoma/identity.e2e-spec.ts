import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';
import { registerXiaomaUser } from '#test/helpers/xiaoma.js';

const ok = (info: string, data: unknown) => ({ data, info, code: 1000, state: 1 });
const fail = (code: number, info: string) => ({ data: '', info, code, state: 2 });
const ID = '11010519491231002X';

describe('xiaoma real-name verification', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { VERIFICATION_ECHO_CODE: 'true', LOGIN_IP_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const user = () => registerXiaomaUser(t);

  const verify = (token: string, body: Record<string, string>) =>
    t.http.post(`/Api/User/verification/token/${token}`).type('form').send(body);
  const details = async (token: string) =>
    ((await t.http.get('/Api/User/get_user_details').query({ token })).body.data as { status: string })
      .status;

  it('should verify a real name at once, and show it everywhere', async () => {
    const u = await user();
    expect((await verify(u.token, { name: '张三', cardno: ID })).body).toEqual(ok('认证成功', ''));
    const got = await t.http.get(`/Api/User/getVerification/token/${u.token}`);
    expect(got.body).toEqual(
      ok('获取成功', { status: 'verified', name: '张*', cardno: '110105********002X' }),
    );
    expect(await details(u.token)).toBe('0');
    const login = await t.http.post('/Api/User/login').send({ phone: u.phone, password: 'secret123' });
    expect(login.body).toEqual(ok('登录成功', { authenticationState: 1, token: expect.any(String) }));
  });

  it('should answer 1013 for an impossible number and 1001 for missing input', async () => {
    const u = await user();
    expect((await verify(u.token, { name: '张三', cardno: '110105194912310021' })).body).toEqual(
      fail(1013, '认证失败,请填写正确的身份信息'),
    );
    expect((await verify(u.token, { name: '张三', cardno: '123' })).body).toEqual(
      fail(1013, '认证失败,请填写正确的身份信息'),
    );
    expect((await verify(u.token, { name: '张三' })).body).toEqual(fail(1001, '输入的信息有误'));
    expect(await details(u.token)).toBe('2');
  });

  it('should answer 1012 when the verifier says no, in verification and in getVerification', async () => {
    const u = await user();
    expect((await verify(u.token, { name: 'John Smith', cardno: ID })).body).toEqual(fail(1012, '认证失败'));
    expect((await t.http.get('/Api/User/getVerification').query({ token: u.token })).body).toEqual(
      fail(1012, '认证失败'),
    );
    expect(await details(u.token)).toBe('3');
  });

  it('should send a doubtful claim to manual review (status 4)', async () => {
    const u = await user();
    expect((await verify(u.token, { name: '审核测试', cardno: ID })).body).toEqual(
      ok('信息已提交,等待人工审核', ''),
    );
    expect((await t.http.get('/Api/User/getVerification').query({ token: u.token })).body).toMatchObject(
      ok('获取成功', { status: 'review' }),
    );
    expect(await details(u.token)).toBe('4');
  });

  it('should answer 996 before any verification, and 999 without a token', async () => {
    const u = await user();
    expect((await t.http.get('/Api/User/getVerification').query({ token: u.token })).body).toEqual(
      fail(996, '获取失败'),
    );
    expect((await t.http.get('/Api/User/getVerification')).body).toEqual(fail(999, '用户未登录'));
    expect((await verify('not-a-token', { name: '张三', cardno: ID })).body).toEqual(fail(999, '用户未登录'));
  });

  it('should take a qualification certificate for review: status 4 until decided', async () => {
    const u = await user();
    const { default: sharp } = await import('sharp');
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const upload = await t.http
      .post(`/Api/User/upload_image/token/${u.token}`)
      .attach('file', png, 'cert.png');
    const picture = (upload.body.data as { url: string }).url;

    const res = await t.http
      .get(`/Api/User/authenticationQualifications/token/${u.token}`)
      .query({ picture });
    expect(res.body).toEqual(ok('从业资格证上传成功,等待客服认证', ''));
    expect(await details(u.token)).toBe('4');
    const rows = await t.db.query<Array<{ kind: string; status: string; picture: string }>>(
      `SELECT kind, status, picture_url AS picture FROM identity_verifications WHERE kind = 'qualification'`,
    );
    expect(rows).toEqual([{ kind: 'qualification', status: 'review', picture }]);
  });

  it('should answer 997 without a picture and 998 for an address that is not ours', async () => {
    const u = await user();
    const missing = await t.http.get('/Api/User/authenticationQualifications').query({ token: u.token });
    expect(missing.body).toEqual(fail(997, '图片名称地址不能空'));
    const foreign = await t.http
      .get('/Api/User/authenticationQualifications')
      .query({ token: u.token, picture: 'https://elsewhere.example.com/cert.png' });
    expect(foreign.body).toEqual(fail(998, '资格证上传失败,请联系客服'));
    expect(await details(u.token)).toBe('2');
  });

  it('should never store the full identity number', async () => {
    const rows = await t.db.query<Array<Record<string, unknown>>>(`SELECT * FROM identity_verifications`);
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(ID);
  });
});
