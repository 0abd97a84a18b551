import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeClock } from '#test/helpers/fake-clock.js';
import {
  NggirlClient,
  nggirlEnv,
  registerNggirlUser,
  tinyPng,
  type NggirlTokens,
  type Params,
} from '#test/helpers/nggirl.js';
import { adminToken, localPath } from '#test/helpers/nuzzle-content.js';
import { registerNuzzleUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const fail = (code: number, message: string) => ({ code, data: null, message });
const BAD_PARAMS = fail(2, '参数错误');
const NOT_ALLOWED = fail(11, '不允许的操作');
const ID_NUMBER = '11010519491231002X';

interface Artist {
  phone: string;
  tokens: NggirlTokens;
}

/** `uploadImage` and `uploadUserInfo/1.3.0`: the artist's profile, ID card and photos. */
describe('nggirl profile', () => {
  let t: TestApp;
  let client: NggirlClient;
  let png: Buffer;
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await createTestApp({ clock, env: nggirlEnv({ UPLOAD_MAX_BYTES: '20000' }) });
    client = new NggirlClient(t, { clock });
    png = await tinyPng();
  });
  afterAll(async () => {
    await t.close();
  });

  const uploadImage = async (artist: Artist): Promise<string> => {
    const res = await client.upload(png, { accessToken: artist.tokens.accessToken });
    const body = res.body as { code: number; data: { path: string } };
    if (body.code !== 0) throw new Error(`uploadImage failed: ${JSON.stringify(body)}`);
    return body.data.path;
  };
  const profileOf = (artist: Artist, extra: Params = {}): Params => ({
    accessToken: artist.tokens.accessToken,
    nickName: '小美',
    realName: '张美丽',
    sex: '1',
    cityId: '110100',
    areaId: '110105',
    phoneNum: artist.phone,
    ...extra,
  });
  const upload = (params: Params, transport: 'form' | 'json' | 'query' = 'form') =>
    client.call('uploadUserInfo/1.3.0', params, transport);
  const stored = async (artist: Artist) => {
    const [row] = await t.db.query<
      Array<{
        nickname: string;
        gender: number;
        avatar_url: string;
        real_name: string;
        city_id: string;
        area_id: string;
      }>
    >(
      `SELECT u.nickname, u.gender, u.avatar_url, p.real_name, p.city_id, p.area_id
         FROM users u LEFT JOIN artist_profiles p ON p.user_id = u.id WHERE u.id = $1`,
      [String(artist.tokens.userId)],
    );
    return row;
  };
  const idCardClaims = (artist: Artist) =>
    t.db.query<
      Array<{
        id: string;
        status: string;
        real_name: string;
        id_number_masked: string | null;
        picture_key: string | null;
        picture_back_key: string | null;
      }>
    >(
      `SELECT id, status, real_name, id_number_masked, picture_key, picture_back_key FROM identity_verifications
        WHERE user_id = $1 AND kind = 'id_card' ORDER BY id`,
      [String(artist.tokens.userId)],
    );

  describe('uploadImage', () => {
    it('should store a signed multipart image and answer its public path', async () => {
      const artist = await registerNggirlUser(client);
      const res = await client.upload(png, { accessToken: artist.tokens.accessToken });
      expect(res.body).toEqual({
        code: 0,
        data: { path: expect.stringMatching(/\/media\/images\/.+\.png$/) },
      });
      const image = await t.http.get(localPath((res.body as { data: { path: string } }).data.path));
      expect(image.status).toBe(200);
      expect(image.headers['content-type']).toBe('image/png');
    });

    it('should refuse what is not an image (12), no file (2), no token (3), a file over the limit (12) and a bad signature (8)', async () => {
      const artist = await registerNggirlUser(client);
      const accessToken = artist.tokens.accessToken;
      expect((await client.upload(Buffer.from('not an image at all'), { accessToken })).body).toEqual(
        fail(12, '文件格式或大小不符合要求'),
      );
      expect((await client.call('uploadImage', { accessToken }, 'multipart')).body).toEqual(BAD_PARAMS);
      expect((await client.upload(png, {})).body).toEqual(fail(3, '授权令牌无效或已过期'));
      expect((await client.upload(Buffer.alloc(30_000, 1), { accessToken })).body).toEqual(
        fail(12, '文件格式或大小不符合要求'),
      );
      const unsigned = await t.http
        .post('/nggirl/app/bus/phoneUser/uploadImage')
        .field('accessToken', accessToken)
        .attach('file', png, { filename: 'a.png', contentType: 'image/png' });
      expect(unsigned.body).toEqual({ code: 8, data: null, message: '请求签名无效：缺少签名参数: app_id' });
    });
  });

  describe('uploadUserInfo/1.3.0', () => {
    it('should save every field: sex 1 (female) stored as ISO 5218 2, division, avatar; answer data null', async () => {
      const artist = await registerNggirlUser(client);
      const avatar = await uploadImage(artist);
      const res = await upload(profileOf(artist, { profile: avatar }));
      expect(res.body).toEqual({ code: 0, data: null });
      expect(await stored(artist)).toEqual({
        nickname: '小美',
        gender: 2,
        avatar_url: avatar,
        real_name: '张美丽',
        city_id: '110100',
        area_id: '110105',
      });
      // The avatar stays public.
      expect((await t.http.get(localPath(avatar))).status).toBe(200);
      // sex 0 is male, stored 1; a JSON body with numbers is the same parameters.
      const again = await upload(
        profileOf(artist, { sex: 0, cityId: 440300, areaId: 440305, nickName: 'Mei' }),
        'json',
      );
      expect(again.body).toEqual({ code: 0, data: null });
      expect(await stored(artist)).toMatchObject({
        nickname: 'Mei',
        gender: 1,
        city_id: '440300',
        area_id: '440305',
      });
      // A municipality as a whole; the document's query-string form.
      expect((await upload(profileOf(artist, { cityId: '110000', areaId: '110105' }), 'query')).body).toEqual(
        {
          code: 0,
          data: null,
        },
      );
      expect(await idCardClaims(artist)).toEqual([]);
    });

    it('should refuse divisions that do not exist or do not nest (2)', async () => {
      const artist = await registerNggirlUser(client);
      for (const [cityId, areaId] of [
        ['123400', '123401'],
        ['440300', '110105'],
        ['4403', '440305'],
        ['440300', '440399'],
        ['440305', '440305'],
      ]) {
        expect({ cityId, areaId, body: (await upload(profileOf(artist, { cityId, areaId }))).body }).toEqual({
          cityId,
          areaId,
          body: BAD_PARAMS,
        });
      }
      expect(await stored(artist)).toMatchObject({ real_name: null });
    });

    it('should refuse a phone number that is not the caller’s (11), a bad nickname or real name (2), missing fields (2)', async () => {
      const artist = await registerNggirlUser(client);
      const other = await registerNggirlUser(client);
      expect((await upload(profileOf(artist, { phoneNum: other.phone }))).body).toEqual(NOT_ALLOWED);
      expect((await upload(profileOf(artist, { phoneNum: `+86${artist.phone}` }))).body).toEqual({
        code: 0,
        data: null,
      });
      expect((await upload(profileOf(artist, { nickName: 'admin' }))).body).toEqual(BAD_PARAMS);
      expect((await upload(profileOf(artist, { nickName: '   ' }))).body).toEqual(BAD_PARAMS);
      expect((await upload(profileOf(artist, { realName: '<script>' }))).body).toEqual(BAD_PARAMS);
      expect((await upload(profileOf(artist, { sex: '2' }))).body).toEqual(BAD_PARAMS);
      const { cityId: _c, ...noCity } = profileOf(artist);
      expect((await upload(noCity)).body).toEqual(BAD_PARAMS);
      expect((await upload({ ...profileOf(artist), accessToken: undefined })).body).toEqual(
        fail(3, '授权令牌无效或已过期'),
      );
    });

    it('should validate identificationCard like xiaoma (2), and send a valid one with both photos to review, photos private', async () => {
      const artist = await registerNggirlUser(client);
      expect((await upload(profileOf(artist, { identificationCard: '110105194912310021' }))).body).toEqual(
        BAD_PARAMS,
      );
      const front = await uploadImage(artist);
      const back = await uploadImage(artist);
      const res = await upload(
        profileOf(artist, {
          identificationCard: ID_NUMBER,
          identificationUpside: front,
          identificationDownside: back,
        }),
      );
      expect(res.body).toEqual({ code: 0, data: null });
      // The photos left public view.
      expect((await t.http.get(localPath(front))).status).toBe(404);
      expect((await t.http.get(localPath(back))).status).toBe(404);
      const claims = await idCardClaims(artist);
      expect(claims).toEqual([
        {
          id: expect.any(String),
          status: 'review',
          real_name: '张美丽',
          id_number_masked: '110105********002X',
          picture_key: expect.stringMatching(/^images\//),
          picture_back_key: expect.stringMatching(/^images\//),
        },
      ]);
      // The full number is nowhere in the database row.
      const [raw] = await t.db.query<unknown[]>(`SELECT * FROM identity_verifications WHERE id = $1`, [
        claims[0].id,
      ]);
      expect(JSON.stringify(raw)).not.toContain(ID_NUMBER);

      // Sending the same profile again (the client sends every field each time) is no new claim.
      const same = await upload(
        profileOf(artist, {
          identificationCard: ID_NUMBER,
          identificationUpside: front,
          identificationDownside: back,
        }),
      );
      expect(same.body).toEqual({ code: 0, data: null });
      expect(await idCardClaims(artist)).toHaveLength(1);

      // The owner reads its photos back through its own signed route; nobody else can.
      for (const side of ['upside', 'downside']) {
        const own = await client.get('identificationImage', { accessToken: artist.tokens.accessToken, side });
        expect(own.status).toBe(200);
        expect(own.headers['content-type']).toBe('image/png');
        expect(own.headers['cache-control']).toBe('private, no-store');
      }
      const stranger = await registerNggirlUser(client);
      expect(
        (
          await client.get('identificationImage', {
            accessToken: stranger.tokens.accessToken,
            side: 'upside',
          })
        ).body,
      ).toEqual(NOT_ALLOWED);
      expect(
        (await client.get('identificationImage', { accessToken: artist.tokens.accessToken, side: 'left' }))
          .body,
      ).toEqual(BAD_PARAMS);
      expect((await client.get('identificationImage', { side: 'upside' })).body).toEqual(
        fail(3, '授权令牌无效或已过期'),
      );

      // Operators see it in the review queue and read both photos there.
      const operator = await registerNuzzleUser(t);
      const token = await adminToken(t, operator);
      const queue = await t.http
        .get('/admin/reviews')
        .query({ status: 'review', kind: 'id_card' })
        .set('Authorization', `Bearer ${token}`);
      expect(queue.status).toBe(200);
      const item = (queue.body as { items: Array<Record<string, unknown>> }).items.find(
        (i) => i.id === claims[0].id,
      );
      expect(item).toMatchObject({
        kind: 'id_card',
        status: 'review',
        realName: '张美丽',
        idNumber: '110105********002X',
        picture: `/admin/reviews/${claims[0].id}/picture`,
        pictureBack: `/admin/reviews/${claims[0].id}/picture?side=back`,
        user: { id: String(artist.tokens.userId) },
      });
      for (const path of [item!.picture as string, item!.pictureBack as string]) {
        const image = await t.http.get(path).set('Authorization', `Bearer ${token}`);
        expect(image.status).toBe(200);
        expect(image.headers['content-type']).toBe('image/png');
        expect((await t.http.get(path)).status).toBe(401);
      }
      const counts = await t.http.get('/admin/reviews/pending-count').set('Authorization', `Bearer ${token}`);
      expect(counts.body).toMatchObject({ id_card: expect.any(Number) });
      expect((counts.body as { id_card: number }).id_card).toBeGreaterThanOrEqual(1);

      // A new back photo is a new claim, keeping the front it already holds.
      const newBack = await uploadImage(artist);
      expect(
        (
          await upload(
            profileOf(artist, {
              identificationCard: ID_NUMBER,
              identificationUpside: front,
              identificationDownside: newBack,
            }),
          )
        ).body,
      ).toEqual({ code: 0, data: null });
      const after = await idCardClaims(artist);
      expect(after).toHaveLength(2);
      expect(after[1].picture_key).toBe(after[0].picture_key);
      expect(after[1].picture_back_key).not.toBe(after[0].picture_back_key);
    });

    it('should keep the ID number out of the request log when the client sends it in the query string', async () => {
      const artist = await registerNggirlUser(client);
      const res = await upload(profileOf(artist, { identificationCard: ID_NUMBER }), 'query');
      expect(res.body).toEqual({ code: 0, data: null });
      const line = t.logs.find((l) => l.includes('uploadUserInfo/1.3.0?'));
      expect(line).toBeDefined();
      expect(t.logs.join('\n')).not.toContain(ID_NUMBER);
    });

    it('should refuse photos and avatars the caller did not upload (11), and change nothing then', async () => {
      const artist = await registerNggirlUser(client);
      const other = await registerNggirlUser(client);
      const theirs = await uploadImage(other);
      const mine = await uploadImage(artist);
      expect((await upload(profileOf(artist, { identificationUpside: theirs }))).body).toEqual(NOT_ALLOWED);
      expect(
        (await upload(profileOf(artist, { identificationDownside: 'http://elsewhere.example/a.png' }))).body,
      ).toEqual(NOT_ALLOWED);
      expect((await upload(profileOf(artist, { profile: theirs }))).body).toEqual(NOT_ALLOWED);
      // Mine went nowhere while the request with someone else's back photo was refused.
      expect(
        (await upload(profileOf(artist, { identificationUpside: mine, identificationDownside: theirs })))
          .body,
      ).toEqual(NOT_ALLOWED);
      expect((await t.http.get(localPath(mine))).status).toBe(200);
      expect((await t.http.get(localPath(theirs))).status).toBe(200);
      expect(await idCardClaims(artist)).toEqual([]);
      expect(await stored(artist)).toMatchObject({ real_name: null, avatar_url: '' });
      // The avatar cannot be an ID photo (it would vanish from the profile everyone sees), in the same request or later.
      const avatar = await uploadImage(artist);
      expect(
        (await upload(profileOf(artist, { profile: avatar, identificationUpside: avatar }))).body,
      ).toEqual(NOT_ALLOWED);
      expect((await upload(profileOf(artist, { profile: avatar }))).body).toEqual({ code: 0, data: null });
      expect((await upload(profileOf(artist, { identificationDownside: avatar }))).body).toEqual(NOT_ALLOWED);
      expect((await t.http.get(localPath(avatar))).status).toBe(200);
      // An ID photo, once submitted, cannot become an avatar (it is no public image any more).
      await upload(profileOf(artist, { identificationUpside: mine }));
      expect((await upload(profileOf(artist, { profile: mine, identificationUpside: mine }))).body).toEqual(
        NOT_ALLOWED,
      );
    });

    it('should answer 1 for an account that was closed', async () => {
      const artist = await registerNggirlUser(client);
      await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [String(artist.tokens.userId)]);
      expect((await upload(profileOf(artist))).body).toEqual(fail(1, '用户未注册'));
    });
  });
});
