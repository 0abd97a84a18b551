import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { browserAgent, moretvUser, setCookie, type MoretvTestUser } from '#test/helpers/moretv.js';
import { md5 } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const PUBLIC_BASE_URL = 'https://account.moretv.test';

/** A PNG of random pixels: it does not compress, so its size follows its dimensions. */
async function noisePng(side: number): Promise<Buffer> {
  const pixels = Buffer.alloc(side * side * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919 + (i >> 3) * 104729) & 0xff;
  return sharp(pixels, { raw: { width: side, height: side, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

describe('moretv /userInfo/* and /captcha/* JSON endpoints', () => {
  let t: TestApp;
  let user: MoretvTestUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_BASE_URL, MORETV_AVATAR_MAX_BYTES: '65536' } });
    user = await moretvUser(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('POST /userInfo/changePassword', () => {
    const change = (cookie: string, body: Record<string, string>) =>
      t.http.post('/userInfo/changePassword').type('form').set('Cookie', cookie).send(body);

    it('should change the password (1), keep this session, end the others, and share it with every dialect', async () => {
      const other = await t.http
        .post('/user/login')
        .send({ email: user.email, password: user.plainPassword });
      const otherCookie = setCookie(other, 'moretv_session')!.split(';')[0];
      const res = await change(user.cookie, {
        oldpwd: user.plainPassword,
        newpwd: 'new-Passw0rd',
        confirmpwd: 'new-Passw0rd',
      });
      expect(res.body).toEqual({ status: 200, errcode: 1, message: '成功更改密码' });
      expect((await t.http.get('/userInfo/avatar').set('Cookie', user.cookie)).body.errcode).toBe(0);
      expect((await t.http.get('/userInfo/avatar').set('Cookie', otherCookie)).body.errcode).toBe(-2);
      const nuzzle = await t.http
        .post('/passport/email/login')
        .send({ email: user.email, password: md5('new-Passw0rd') });
      expect(nuzzle.body).toMatchObject({ ret: 200 });
      user.plainPassword = 'new-Passw0rd';
    });

    it('should answer 0 when the new password is the old one', async () => {
      const res = await change(user.cookie, {
        oldpwd: user.plainPassword,
        newpwd: user.plainPassword,
        confirmpwd: user.plainPassword,
      });
      expect(res.body).toEqual({ status: 200, errcode: 0, message: '没有做任何修改' });
    });

    it('should answer -1 for a wrong old password, new ones that differ or are too short, and -3 signed out', async () => {
      const failed = { status: 200, errcode: -1, message: '修改密码失败' };
      expect(
        (await change(user.cookie, { oldpwd: 'wrong-one', newpwd: 'abcdef1', confirmpwd: 'abcdef1' })).body,
      ).toEqual(failed);
      expect(
        (await change(user.cookie, { oldpwd: user.plainPassword, newpwd: 'abcdef1', confirmpwd: 'abcdef2' }))
          .body,
      ).toEqual(failed);
      expect(
        (await change(user.cookie, { oldpwd: user.plainPassword, newpwd: 'abc', confirmpwd: 'abc' })).body,
      ).toEqual(failed);
      expect((await change(user.cookie, { newpwd: 'abcdef1', confirmpwd: 'abcdef1' })).body).toEqual(failed);
      expect((await change('', { oldpwd: 'a', newpwd: 'abcdef1', confirmpwd: 'abcdef1' })).body).toEqual({
        status: 200,
        errcode: -3,
        message: '您还未登陆,请登陆',
      });
    });
  });

  describe('POST /userInfo/uploadAvatar and GET /userInfo/avatar', () => {
    it('should store the picture (0) and answer its address (0, as the message)', async () => {
      const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ff8800' } })
        .png()
        .toBuffer();
      const res = await t.http
        .post('/userInfo/uploadAvatar')
        .set('Cookie', user.cookie)
        .attach('avatar', png, { filename: 'me.png', contentType: 'image/png' });
      expect(res.body).toEqual({ status: 200, errcode: 0, message: '上传成功' });
      const url = await t.http.get('/userInfo/avatar').set('Cookie', user.cookie);
      expect(url.body).toMatchObject({ status: 200, errcode: 0 });
      expect(url.body.message).toMatch(
        new RegExp(`^${PUBLIC_BASE_URL.replace(/\./g, '\\.')}/media/images/.+\\.png$`),
      );
      const stored = await t.http.get(new URL(url.body.message as string).pathname);
      expect(stored.headers['content-type']).toBe('image/png');
    });

    it('should answer -1 too large, -2 not a picture or no file, -3 signed out', async () => {
      const upload = (bytes: Buffer, cookie = user.cookie, field = 'avatar') =>
        t.http
          .post('/userInfo/uploadAvatar')
          .set('Cookie', cookie)
          .attach(field, bytes, { filename: 'x.png', contentType: 'image/png' });
      expect((await upload(await noisePng(200))).body).toEqual({
        status: 200,
        errcode: -1,
        message: '文件过大',
      });
      expect((await upload(Buffer.from('<?php echo 1; ?>'))).body).toEqual({
        status: 200,
        errcode: -2,
        message: '格式不匹配',
      });
      expect((await upload(Buffer.from('x'), user.cookie, 'file')).body).toEqual({
        status: 200,
        errcode: -2,
        message: '格式不匹配',
      });
      expect((await upload(Buffer.from('x'), '')).body).toEqual({
        status: 200,
        errcode: -3,
        message: '您还未登陆,请先登陆',
      });
      expect((await t.http.get('/userInfo/avatar')).body).toEqual({
        status: 200,
        errcode: -2,
        message: '您还未登陆,请先登陆',
      });
    });
  });

  describe('POST /userInfo/update', () => {
    const update = (body: Record<string, string>, cookie = user.cookie) =>
      t.http.post('/userInfo/update').type('form').set('Cookie', cookie).send(body);

    it('should change what is given (1), birthday included', async () => {
      const res = await update({
        nickname: '小明',
        gender: '1',
        signature: '看电视',
        birthday: '1990-05-17',
      });
      expect(res.body).toEqual({ status: 200, errcode: 1, message: '已成功修改用户信息' });
      expect((await update({ signature: '' })).body.errcode).toBe(1);
      const [row] = await t.db.query<Array<{ nickname: string; gender: number; signature: string }>>(
        `SELECT nickname, gender, signature FROM users WHERE id = $1`,
        [user.id],
      );
      expect(row).toEqual({ nickname: '小明', gender: 1, signature: '' });
      const page = await t.http.get('/userInfo').set('Cookie', user.cookie);
      expect(page.text).toContain('value="1990-05-17"');
      expect(page.text).toContain('<option value="1" selected>男</option>');
    });

    it('should answer -1 for nothing, a bad gender, birthday or nickname, and -2 signed out', async () => {
      const failed = { status: 200, errcode: -1, message: '修改失败' };
      const bodies: Array<Record<string, string>> = [
        {},
        { gender: '5' },
        { birthday: '1990-02-30' },
        { birthday: '2999-01-01' },
        { signature: 'x'.repeat(101) },
        { nickname: '   ' },
        { nickname: '官方客服' },
      ];
      for (const body of bodies) {
        expect((await update(body)).body).toEqual(failed);
      }
      expect((await update({ nickname: 'x' }, '')).body).toEqual({
        status: 200,
        errcode: -2,
        message: '您还未登陆,请登陆',
      });
    });
  });

  describe('the origin check on every JSON POST', () => {
    it('should refuse each from an origin that is not allowed (-1)', async () => {
      const refused = { status: 200, errcode: -1, message: '操作失败：请求来源不被允许' };
      for (const path of [
        '/userInfo/changePassword',
        '/userInfo/changeEmail',
        '/userInfo/update',
        '/userInfo/uploadAvatar',
      ]) {
        const res = await t.http
          .post(path)
          .set('Cookie', user.cookie)
          .set('Origin', 'https://evil.example')
          .type('form')
          .send({
            nickname: 'evil',
            oldpwd: 'x',
            newpwd: 'abcdefg',
            confirmpwd: 'abcdefg',
            email: 'e@moretv-user.cn',
          });
        expect({ path, body: res.body }).toEqual({ path, body: refused });
      }
    });
  });

  describe('/captcha/generate and /captcha/validate/{CODE}', () => {
    it('should draw a PNG for this browser and check answers without using it up', async () => {
      const browser = browserAgent(t);
      const png = await browser
        .get('/captcha/generate')
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(png.status).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect(png.headers['cache-control']).toBe('no-store');
      expect(setCookie(png, 'moretv_browser')).toMatch(
        /^moretv_browser=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax$/,
      );
      expect(await sharp(png.body as Buffer).metadata()).toMatchObject({
        format: 'png',
        width: 150,
        height: 50,
      });

      const answer = ((await browser.get('/dev/captcha')).body as { answer: string }).answer;
      expect(answer).toMatch(/^[A-Z0-9]{5}$/);
      expect((await browser.get('/captcha/validate/WRONG')).body).toEqual({
        status: 200,
        errcode: -1,
        message: '验证码不匹配',
      });
      expect((await browser.get(`/captcha/validate/${answer.toLowerCase()}`)).body).toEqual({
        status: 200,
        errcode: 1,
        message: '验证码匹配',
      });
      expect((await browser.get(`/captcha/validate/${answer}`)).body.errcode).toBe(1);
      // Another browser has no captcha, whatever it guesses; /dev/captcha has nothing for it.
      expect((await t.http.get(`/captcha/validate/${answer}`)).body.errcode).toBe(-1);
      expect((await t.http.get('/dev/captcha')).status).toBe(404);
    });
  });

  describe('POST /userInfo/logout', () => {
    it('should end the session and clear its cookie', async () => {
      const login = await t.http
        .post('/user/login')
        .send({ email: user.email, password: user.plainPassword });
      const cookie = setCookie(login, 'moretv_session')!.split(';')[0];
      const browser = browserAgent(t);
      const page = await browser.get('/userInfo').set('Cookie', cookie);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const browserCookie = setCookie(page, 'moretv_browser')!.split(';')[0];
      const res = await t.http
        .post('/userInfo/logout')
        .set('Cookie', `${cookie}; ${browserCookie}`)
        .type('form')
        .send({ _csrf: csrf });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/user/login?notice=signed-out');
      expect(setCookie(res, 'moretv_session')).toMatch(/^moretv_session=; Path=\/; Expires=Thu, 01 Jan 1970/);
      expect((await t.http.get('/userInfo/avatar').set('Cookie', cookie)).body.errcode).toBe(-2);
    });
  });
});
