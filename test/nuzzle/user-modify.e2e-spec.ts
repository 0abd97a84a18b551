import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { mp4, upload } from '#test/helpers/nuzzle-content.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const FAIL = (errcode: string) => ({ ret: 500, errcode });
const METHODS: ReadonlyArray<'GET' | 'POST'> = ['GET', 'POST'];

describe('nuzzle /user/modify/*', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { DATA_DIR: `/tmp/concord-modify-${process.pid}-${Date.now()}` } });
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (
    method: 'GET' | 'POST',
    path: string,
    token: string | undefined,
    params: Record<string, unknown> = {},
  ) => {
    const req =
      method === 'GET' ? t.http.get(path).query(params) : t.http.post(path).type('form').send(params);
    return token === undefined ? req : req.set('Authorization', token);
  };
  const profileOf = async (user: NuzzleTestUser): Promise<Record<string, unknown>> =>
    (await call('GET', '/user/profile', user.token)).body.data as Record<string, unknown>;

  describe('/user/modify/signature', () => {
    it.each(METHODS)(
      'should set the signature and answer the caller’s whole profile on %s',
      async (method) => {
        const me = await registerNuzzleUser(t, { nickname: 'Signer' });

        const res = await call(method, '/user/modify/signature', me.token, {
          signature: "  I'm a big star!!! ",
          tz: 'UTC',
        });

        expect(res.body).toEqual({
          ret: 200,
          data: { ...(await profileOf(me)), signature: "I'm a big star!!!" },
        });
        expect(res.body.data).toMatchObject({ id: me.id, email: me.email, nickname: 'Signer' });
      },
    );

    it('should clear the signature with an empty one', async () => {
      const me = await registerNuzzleUser(t);
      await call('POST', '/user/modify/signature', me.token, { signature: 'something' });
      const res = await call('POST', '/user/modify/signature', me.token, { signature: '' });
      expect(res.body.data.signature).toBe('');
      expect((await profileOf(me)).signature).toBe('');
    });

    it('should take 100 characters, counting emoji as one, and refuse 101 with PARAM_ERROR', async () => {
      const me = await registerNuzzleUser(t);
      const hundred = '😀'.repeat(100);
      expect(
        (await call('POST', '/user/modify/signature', me.token, { signature: hundred })).body.data.signature,
      ).toBe(hundred);
      expect(
        (await call('POST', '/user/modify/signature', me.token, { signature: `${hundred}x` })).body,
      ).toEqual(FAIL('PARAM_ERROR'));
      expect((await profileOf(me)).signature).toBe(hundred);
    });

    it('should answer PARAM_ERROR without a signature or with control characters, USER_NOT_LOGIN without a token', async () => {
      const me = await registerNuzzleUser(t);
      expect((await call('POST', '/user/modify/signature', me.token)).body).toEqual(FAIL('PARAM_ERROR'));
      expect(
        (await call('POST', '/user/modify/signature', me.token, { signature: 'a\u0000b' })).body,
      ).toEqual(FAIL('PARAM_ERROR'));
      expect((await call('POST', '/user/modify/signature', undefined, { signature: 'x' })).body).toEqual(
        FAIL('USER_NOT_LOGIN'),
      );
    });
  });

  describe('/user/modify/profile', () => {
    it.each(METHODS)('should change the nickname alone on %s', async (method) => {
      const me = await registerNuzzleUser(t, { nickname: 'Before' });

      const res = await call(method, '/user/modify/profile', me.token, { nickname: '  After  ' });

      expect(res.body).toEqual({ ret: 200, data: await profileOf(me) });
      expect(res.body.data).toMatchObject({ nickname: 'After', avatar: '', email: me.email });
    });

    it('should change the avatar alone to the caller’s own uploaded image', async () => {
      const me = await registerNuzzleUser(t, { nickname: 'Keep' });
      const avatar = await upload(t, me);

      const res = await call('POST', '/user/modify/profile', me.token, { avatar });

      expect(res.body.data).toMatchObject({ nickname: 'Keep', avatar });
      expect((await profileOf(me)).avatar).toBe(avatar);
    });

    it('should change both, and ignore an empty nickname sent along with an avatar', async () => {
      const me = await registerNuzzleUser(t, { nickname: 'Both' });
      const first = await upload(t, me);
      const second = await upload(t, me);

      const both = await call('POST', '/user/modify/profile', me.token, {
        nickname: 'Changed',
        avatar: first,
      });
      const onlyAvatar = await call('POST', '/user/modify/profile', me.token, {
        nickname: '',
        avatar: second,
      });

      expect(both.body.data).toMatchObject({ nickname: 'Changed', avatar: first });
      expect(onlyAvatar.body.data).toMatchObject({ nickname: 'Changed', avatar: second });
    });

    it.each([
      ['an empty nickname', ''],
      ['a blank nickname', '   '],
      ['a nickname of 31 characters', 'x'.repeat(31)],
      ['a nickname of punctuation only', '!!!'],
      ['a nickname with a control character', 'a\u0007b'],
      ['a reserved nickname', 'Admin'],
      ['a nickname posing as staff', 'Nuzzle 官方'],
      ['a nickname posing as the service', 'nuzzle_team'],
    ])('should answer NICKNAME_IS_INVALID for %s', async (_label, nickname) => {
      const me = await registerNuzzleUser(t, { nickname: 'Stays' });
      expect((await call('POST', '/user/modify/profile', me.token, { nickname })).body).toEqual(
        FAIL('NICKNAME_IS_INVALID'),
      );
      expect((await profileOf(me)).nickname).toBe('Stays');
    });

    it('should answer PARAM_ERROR with neither nickname nor avatar', async () => {
      const me = await registerNuzzleUser(t);
      expect((await call('POST', '/user/modify/profile', me.token, {})).body).toEqual(FAIL('PARAM_ERROR'));
      expect((await call('POST', '/user/modify/profile', me.token, { avatar: '' })).body).toEqual(
        FAIL('PARAM_ERROR'),
      );
    });

    it('should refuse an avatar that is not the caller’s own image', async () => {
      const me = await registerNuzzleUser(t);
      const other = await registerNuzzleUser(t);
      const theirs = await upload(t, other);
      const video = await upload(t, me, {
        name: `v-${Date.now()}.mp4`,
        contentType: 'video/mp4',
        bytes: mp4(),
      });

      expect((await call('POST', '/user/modify/profile', me.token, { avatar: theirs })).body).toEqual(
        FAIL('NOT_ALLOWED'),
      );
      expect(
        (await call('POST', '/user/modify/profile', me.token, { avatar: 'https://evil.example.com/me.png' }))
          .body,
      ).toEqual(FAIL('PARAM_ERROR'));
      expect((await call('POST', '/user/modify/profile', me.token, { avatar: video })).body).toEqual(
        FAIL('PARAM_ERROR'),
      );
      expect((await profileOf(me)).avatar).toBe('');
    });

    it('should answer USER_NOT_LOGIN without a token', async () => {
      expect((await call('POST', '/user/modify/profile', undefined, { nickname: 'x' })).body).toEqual(
        FAIL('USER_NOT_LOGIN'),
      );
    });
  });
});
