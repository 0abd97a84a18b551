import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const ok = (info: string, data: unknown) => ({ data, info, code: 1000, state: 1 });
const fail = (code: number, info: string) => ({ data: '', info, code, state: 2 });

describe('xiaoma upload_image and uploadPortrait', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        VERIFICATION_ECHO_CODE: 'true',
        PUBLIC_BASE_URL: 'https://api.example.com',
        DATA_DIR: `/tmp/concord-xiaoma-media-${process.pid}`,
        UPLOAD_MAX_BYTES: '200000',
      },
    });
    const phone = '15600001111';
    const sent = await t.http.post('/Api/User/send_code').send({ phone });
    const registered = await t.http
      .post('/Api/User/register')
      .send({ phone, code: (sent.body.data as { code: string }).code, password: 'secret123' });
    token = (registered.body.data as { token: string }).token;
  });
  afterAll(async () => {
    await t.close();
  });

  const png = () =>
    sharp({ create: { width: 32, height: 32, channels: 3, background: '#c33' } })
      .png()
      .toBuffer();

  it('should store an uploaded image and answer its address', async () => {
    const res = await t.http
      .post(`/Api/User/upload_image/token/${token}`)
      .attach('file', await png(), { filename: 'avatar.png', contentType: 'image/png' });
    expect(res.body).toEqual(
      ok('上传成功', { url: expect.stringMatching(/^https:\/\/api\.example\.com\/media\/images\//) }),
    );
    const path = new URL((res.body.data as { url: string }).url).pathname;
    expect((await t.http.get(path)).headers['content-type']).toBe('image/png');
  });

  it('should set the portrait to an uploaded image, shown by get_user_details', async () => {
    const upload = await t.http
      .post('/Api/User/upload_image')
      .field('token', token)
      .attach('file', await png(), 'a.png');
    const url = (upload.body.data as { url: string }).url;
    const res = await t.http
      .post('/Api/User/uploadPortrait/')
      .query({ token })
      .type('form')
      .send({ portrait: url });
    expect(res.body).toEqual(ok('添加成功', ''));
    const details = await t.http.get('/Api/User/get_user_details').query({ token });
    expect((details.body.data as { portrait: string }).portrait).toBe(url);
  });

  it('should answer 998 for a portrait that is not an image of ours, and 997 without one', async () => {
    const foreign = await t.http
      .post('/Api/User/uploadPortrait')
      .query({ token })
      .send({ portrait: 'https://evil.example.com/x.png' });
    expect(foreign.body).toEqual(fail(998, '添加失败'));
    const traversal = await t.http
      .post('/Api/User/uploadPortrait')
      .query({ token })
      .send({ portrait: 'https://api.example.com/media/../../etc/passwd' });
    expect(traversal.body).toEqual(fail(998, '添加失败'));
    const missing = await t.http.post('/Api/User/uploadPortrait').query({ token }).send({});
    expect(missing.body).toEqual(fail(997, '缺少必须参数'));
  });

  it('should answer 997 without a file, 1001 for a disguised one, 1001 for one over the limit, 999 without a token', async () => {
    const none = await t.http.post('/Api/User/upload_image').field('token', token);
    expect(none.body).toEqual(fail(997, '缺少必须参数'));
    const disguised = await t.http
      .post('/Api/User/upload_image')
      .field('token', token)
      .attach('file', Buffer.from('<html><script>alert(1)</script></html>'), {
        filename: 'x.jpg',
        contentType: 'image/jpeg',
      });
    expect(disguised.body).toEqual(fail(1001, '图片格式不支持'));
    const huge = await t.http
      .post('/Api/User/upload_image')
      .field('token', token)
      .attach('file', Buffer.concat([await png(), Buffer.alloc(300_000)]), 'big.png');
    // Refused while the body is read, before any route matched: the dialect's default text for 1001.
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual(fail(1001, '输入的信息有误'));
    const anonymous = await t.http.post('/Api/User/upload_image').attach('file', await png(), 'a.png');
    expect(anonymous.body).toEqual(fail(999, '用户未登录'));
  });
});
