import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NggirlClient, nggirlEnv, registerNggirlUser, type NggirlTokens } from '#test/helpers/nggirl.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const fail = (code: number, message: string) => ({ code, data: null, message });
const BAD_PARAMS = fail(2, '参数错误');
const NOT_SIGNED_IN = fail(3, '授权令牌无效或已过期');

/** The cosmetics catalogue, the artist's kit, and push registration, as the artists' app calls them. */
describe('nggirl cosmetics and push', () => {
  let t: TestApp;
  let client: NggirlClient;
  let artist: { phone: string; tokens: NggirlTokens };
  let accessToken: string;

  beforeAll(async () => {
    t = await createTestApp({ env: nggirlEnv() });
    client = new NggirlClient(t);
    artist = await registerNggirlUser(client);
    accessToken = artist.tokens.accessToken;
  });
  afterAll(async () => {
    await t.close();
  });

  describe('listCosmeticsClass', () => {
    it("should list the live classes, the document's six first", async () => {
      const res = await client.get('listCosmeticsClass', { accessToken });
      expect(res.body).toEqual({ code: 0, data: { cosmeticsClass: expect.any(Array) } });
      const classes = (res.body as { data: { cosmeticsClass: string[] } }).data.cosmeticsClass;
      expect(classes.slice(0, 6)).toEqual(['粉底液', '粉饼', '散粉', '眼影', '眼线笔', '眼线膏']);
      expect(classes.length).toBeGreaterThanOrEqual(15);
      expect(new Set(classes).size).toBe(classes.length);
    });

    it('should answer 3 without a live access token', async () => {
      expect((await client.get('listCosmeticsClass', {})).body).toEqual(NOT_SIGNED_IN);
      expect(
        (await client.get('listCosmeticsClass', { accessToken: 'eyJhbGciOiJIUzI1NiJ9.e30.x' })).body,
      ).toEqual(NOT_SIGNED_IN);
    });
  });

  describe('listCosmeticsBrand', () => {
    it('should group the brands of a class by country, as the document shows (POST, Chinese in the body)', async () => {
      const res = await client.call('listCosmeticsBrand', { accessToken, cosmeticsClass: '粉底液' }, 'form');
      const body = res.body as { code: number; data: Array<{ country: string; brand: string[] }> };
      expect(body.code).toBe(0);
      const france = body.data.find((group) => group.country === '法国');
      expect(france?.brand).toEqual(expect.arrayContaining(['Dior迪奥', '香奈儿chanel']));
      for (const group of body.data) {
        expect(group).toEqual({ country: expect.any(String), brand: expect.any(Array) });
        expect(group.brand.length).toBeGreaterThan(0);
      }
      // Each country once.
      expect(new Set(body.data.map((g) => g.country)).size).toBe(body.data.length);
      expect(new Set(body.data.map((g) => g.country)).size).toBeGreaterThanOrEqual(3);
      // The GET form (query string) is the same answer.
      expect(
        (await client.get('listCosmeticsBrand', { accessToken, cosmeticsClass: '粉底液' })).body,
      ).toEqual(res.body);
    });

    it('should answer 2 for an unknown class or none', async () => {
      expect(
        (await client.call('listCosmeticsBrand', { accessToken, cosmeticsClass: '不存在' })).body,
      ).toEqual(BAD_PARAMS);
      expect((await client.call('listCosmeticsBrand', { accessToken })).body).toEqual(BAD_PARAMS);
      expect((await client.call('listCosmeticsBrand', { cosmeticsClass: '粉底液' })).body).toEqual(
        NOT_SIGNED_IN,
      );
    });
  });

  describe('setCosmeticsInfo', () => {
    const kit = async () =>
      t.db.query<Array<{ cls: string; brand: string | null }>>(
        `SELECT c.name AS cls, b.name AS brand
           FROM artist_cosmetics_classes k JOIN cosmetics_classes c ON c.id = k.class_id
           LEFT JOIN artist_cosmetics_brands kb ON kb.user_id = k.user_id AND kb.class_id = k.class_id
           LEFT JOIN cosmetics_brands b ON b.id = kb.brand_id
          WHERE k.user_id = $1 ORDER BY k.position, kb.position`,
        [String(artist.tokens.userId)],
      );

    it("should save the document's example and answer it; a second set replaces the first", async () => {
      const example = [
        { cosmeticsClass: '粉底液', cosmeticsBrand: ['Dior迪奥', '香奈儿chanel'] },
        { cosmeticsClass: '粉饼', cosmeticsBrand: ['glo&ray', '巴宝莉Burberry'] },
      ];
      const res = await client.call(
        'setCosmeticsInfo',
        { accessToken, cosmeticsInfo: JSON.stringify(example) },
        'query',
      );
      expect(res.body).toEqual({ code: 0, data: example });
      expect(await kit()).toHaveLength(4);

      const second = await client.call(
        'setCosmeticsInfo',
        {
          accessToken,
          cosmeticsInfo: [{ cosmeticsClass: '眼影', cosmeticsBrand: ['dior迪奥', 'Dior迪奥'] }],
        },
        'json',
      );
      // Matched ignoring case, named as the catalogue writes them, a brand named twice once.
      expect(second.body).toEqual({
        code: 0,
        data: [{ cosmeticsClass: '眼影', cosmeticsBrand: ['Dior迪奥'] }],
      });
      expect(await kit()).toEqual([{ cls: '眼影', brand: 'Dior迪奥' }]);
    });

    it('should answer 2 for an unknown class or brand, text that is not JSON, or nothing; and keep the kit', async () => {
      const before = await kit();
      for (const cosmeticsInfo of [
        JSON.stringify([{ cosmeticsClass: '不存在', cosmeticsBrand: [] }]),
        JSON.stringify([{ cosmeticsClass: '粉底液', cosmeticsBrand: ['No Such Brand'] }]),
        '[{"cosmeticsClass":',
        JSON.stringify([{ cosmeticsClass: '粉底液', cosmeticsBrand: 'Dior迪奥' }]),
      ]) {
        expect((await client.call('setCosmeticsInfo', { accessToken, cosmeticsInfo })).body).toEqual(
          BAD_PARAMS,
        );
      }
      expect((await client.call('setCosmeticsInfo', { accessToken })).body).toEqual(BAD_PARAMS);
      expect((await client.call('setCosmeticsInfo', { cosmeticsInfo: '[]' })).body).toEqual(NOT_SIGNED_IN);
      expect(await kit()).toEqual(before);
    });
  });

  describe('updatePushInfo', () => {
    const devices = () =>
      t.db.query<
        Array<{ push_provider: string; push_token: string; device_type: string; push_user_id: string }>
      >(
        `SELECT push_provider, push_token, device_type, push_user_id FROM devices WHERE user_id = $1 ORDER BY id`,
        [String(artist.tokens.userId)],
      );

    it.each([
      ['0', 'android'],
      ['1', 'ios'],
      ['android', 'android'],
      ['ios', 'ios'],
      ['IOS', 'ios'],
    ])(
      'should record deviceType %s as %s with Baidu push’s pair, replacing the previous one',
      async (deviceType, stored) => {
        const channel = `channel-${deviceType}-${Date.now()}`;
        const res = await client.call('updatePushInfo', {
          accessToken,
          deviceType,
          pushUserId: `user-${deviceType}`,
          pushChannelId: channel,
        });
        expect(res.body).toEqual({ code: 0, data: null });
        expect(await devices()).toEqual([
          {
            push_provider: 'baidu',
            push_token: channel,
            device_type: stored,
            push_user_id: `user-${deviceType}`,
          },
        ]);
      },
    );

    it('should take deviceType as a JSON number and the document’s query-string form', async () => {
      const res = await client.call(
        'updatePushInfo',
        { accessToken, deviceType: 1, pushUserId: 'xxxxxxx', pushChannelId: '8977625224424242424' },
        'json',
      );
      expect(res.body).toEqual({ code: 0, data: null });
      const query = await client.get('updatePushInfo', {
        accessToken,
        deviceType: 'ios',
        pushUserId: 'xxxxxxx',
        pushChannelId: '8977625224424242424',
      });
      expect(query.body).toEqual({ code: 0, data: null });
      expect(await devices()).toEqual([
        {
          push_provider: 'baidu',
          push_token: '8977625224424242424',
          device_type: 'ios',
          push_user_id: 'xxxxxxx',
        },
      ]);
    });

    it('should answer 2 for a device type it does not know or a missing id, 3 without a token, 1 for a closed account', async () => {
      const params = { accessToken, pushUserId: 'u', pushChannelId: 'c' };
      expect((await client.call('updatePushInfo', { ...params, deviceType: 'windows' })).body).toEqual(
        BAD_PARAMS,
      );
      expect((await client.call('updatePushInfo', { ...params, deviceType: '2' })).body).toEqual(BAD_PARAMS);
      expect(
        (await client.call('updatePushInfo', { accessToken, deviceType: '0', pushUserId: 'u' })).body,
      ).toEqual(BAD_PARAMS);
      expect(
        (await client.call('updatePushInfo', { ...params, accessToken: undefined, deviceType: '0' })).body,
      ).toEqual(NOT_SIGNED_IN);
      const gone = await registerNggirlUser(client);
      await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [String(gone.tokens.userId)]);
      expect(
        (
          await client.call('updatePushInfo', {
            ...params,
            accessToken: gone.tokens.accessToken,
            deviceType: '0',
          })
        ).body,
      ).toEqual(fail(1, '用户未注册'));
    });
  });
});
