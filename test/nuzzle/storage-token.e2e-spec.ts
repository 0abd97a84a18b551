import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import {
  jpeg,
  localPath,
  mp4,
  uploadGrant,
  uploadWith,
  type UploadGrantJson,
} from '#test/helpers/nuzzle-content.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const MAX_BYTES = 64 * 1024;

describe('nuzzle /aws/store/token with local storage (POST /media/upload)', () => {
  let t: TestApp;
  const clock = new FakeClock(new Date('2026-11-23T08:00:00Z'));
  let me: NuzzleTestUser;
  let other: NuzzleTestUser;

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      env: {
        DATA_DIR: `/tmp/concord-upload-${process.pid}-${Date.now()}`,
        PUBLIC_BASE_URL: 'https://api.example.com',
        UPLOAD_MAX_BYTES: String(MAX_BYTES),
      },
    });
    me = await registerNuzzleUser(t);
    other = await registerNuzzleUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  let n = 0;
  const name = (ext = 'jpg') => `f${(n += 1)}.${ext}`;
  const decodePolicy = (grant: UploadGrantJson) =>
    JSON.parse(Buffer.from(grant.fields.Policy, 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };

  it.each(['GET', 'POST'] as const)('should answer base64 of the documented grant on %s', async (method) => {
    const res = await (method === 'GET' ? t.http.get('/aws/store/token') : t.http.post('/aws/store/token'))
      .set('Authorization', me.token)
      .query({ tz: 'Asia/Shanghai' });

    expect(res.body).toEqual({ ret: 200, data: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
    const grant = JSON.parse(
      Buffer.from(res.body.data as string, 'base64').toString('utf8'),
    ) as UploadGrantJson;
    expect(Object.keys(grant).sort()).toEqual([
      'expiresAt',
      'fields',
      'keyPrefix',
      'maxBytes',
      'publicBaseUrl',
      'url',
    ]);
    expect(grant).toEqual({
      url: 'https://api.example.com/media/upload',
      fields: {
        bucket: 'media',
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': 'concord-local/20261123/local/s3/aws4_request',
        'X-Amz-Date': '20261123T080000Z',
        Policy: expect.any(String),
        'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      keyPrefix: `u/${me.id}/`,
      publicBaseUrl: 'https://api.example.com/media/',
      maxBytes: MAX_BYTES,
      expiresAt: clock.now().getTime() + 15 * 60_000,
    });
    expect(decodePolicy(grant)).toEqual({
      expiration: '2026-11-23T08:15:00Z',
      conditions: expect.arrayContaining([
        ['content-length-range', 1, MAX_BYTES],
        ['starts-with', '$Content-Type', ''],
        ['starts-with', '$key', `u/${me.id}/`],
        { bucket: 'media' },
      ]),
    });
  });

  it('should answer USER_NOT_LOGIN without a token', async () => {
    expect((await t.http.get('/aws/store/token')).body).toEqual({ ret: 500, errcode: 'USER_NOT_LOGIN' });
  });

  it('should store an image and a video posted with the grant, at publicBaseUrl + key', async () => {
    const grant = await uploadGrant(t, me.token);
    const image = await jpeg();
    const video = mp4(1024);

    const first = await uploadWith(t, grant, { name: name(), contentType: 'image/jpeg', bytes: image });
    const second = await uploadWith(t, grant, { name: name('mp4'), contentType: 'video/mp4', bytes: video });

    expect([first.status, second.status]).toEqual([204, 204]);
    expect(first.url).toMatch(new RegExp(`^https://api\\.example\\.com/media/u/${me.id}/f\\d+\\.jpg$`));
    const stored = await t.http.get(localPath(first.url)).buffer(true);
    expect(stored.status).toBe(200);
    expect(Buffer.from(stored.body as Buffer).equals(image)).toBe(true);
    expect(stored.headers['x-content-type-options']).toBe('nosniff');
  });

  it('should expand ${filename} in the key as S3 does', async () => {
    const grant = await uploadGrant(t, me.token);
    const file = name();
    let req = t.http.post('/media/upload');
    for (const [k, v] of Object.entries(grant.fields)) req = req.field(k, v);
    const res = await req
      .field('key', `${grant.keyPrefix}\${filename}`)
      .field('Content-Type', 'image/jpeg')
      .attach('file', await jpeg(), { filename: file, contentType: 'image/jpeg' });
    expect(res.status).toBe(204);
    expect((await t.http.get(`/media/u/${me.id}/${file}`)).status).toBe(200);
  });

  describe('outside the policy', () => {
    const refuse = async (
      change: (grant: UploadGrantJson) => {
        name?: string;
        contentType?: string;
        bytes?: Buffer;
        fields?: Record<string, string>;
        key?: string;
      },
    ) => {
      const grant = await uploadGrant(t, me.token);
      const c = change(grant);
      if (c.key) grant.keyPrefix = c.key;
      return uploadWith(t, grant, {
        name: c.name ?? name(),
        contentType: c.contentType ?? 'image/jpeg',
        bytes: c.bytes ?? (await jpeg()),
        fields: c.fields,
      });
    };

    it('should refuse a key in someone else’s folder with 403', async () => {
      const res = await refuse(() => ({ key: `u/${other.id}/` }));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        error: { code: 'FORBIDDEN', message: 'field key breaks the policy' },
        requestId: expect.any(String),
      });
    });

    it('should refuse an empty file (403) and one over maxBytes (413)', async () => {
      expect((await refuse(() => ({ bytes: Buffer.alloc(0) }))).status).toBe(403);
      const big = Buffer.concat([await jpeg(), Buffer.alloc(MAX_BYTES)]);
      expect((await refuse(() => ({ bytes: big }))).status).toBe(413);
    });

    it('should refuse a grant past its 15 minutes', async () => {
      const grant = await uploadGrant(t, me.token);
      clock.advance(15 * 60_000 + 1000);
      try {
        const res = await uploadWith(t, grant, {
          name: name(),
          contentType: 'image/jpeg',
          bytes: await jpeg(),
        });
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ error: { message: 'policy expired' } });
      } finally {
        clock.advance(-(15 * 60_000 + 1000));
      }
    });

    it('should refuse a policy widened by the client, a forged signature and a field the policy does not name', async () => {
      const widened = await refuse((grant) => {
        const policy = JSON.parse(Buffer.from(grant.fields.Policy, 'base64').toString('utf8')) as {
          conditions: unknown[];
        };
        policy.conditions = policy.conditions.map((c) =>
          Array.isArray(c) && c[0] === 'content-length-range' ? ['content-length-range', 1, 10 ** 9] : c,
        );
        return { fields: { Policy: Buffer.from(JSON.stringify(policy)).toString('base64') } };
      });
      const forged = await refuse(() => ({ fields: { 'X-Amz-Signature': 'ab'.repeat(32) } }));
      const extra = await refuse(() => ({ fields: { acl: 'public-read' } }));
      expect([widened.status, forged.status, extra.status]).toEqual([403, 403, 403]);
      expect(extra.body).toMatchObject({ error: { message: 'field acl is not in the policy' } });
    });

    it('should refuse what is not an image or video, or not what its Content-Type says (415)', async () => {
      const html = await refuse(() => ({
        name: name('html'),
        contentType: 'text/html',
        bytes: Buffer.from('<script>x</script>'),
      }));
      const disguised = await refuse(() => ({
        contentType: 'image/jpeg',
        bytes: Buffer.from('<svg onload=alert(1)>'),
      }));
      const png = await refuse(() => ({ contentType: 'image/png' }));
      expect([html.status, disguised.status, png.status]).toEqual([415, 415, 415]);
    });

    it('should refuse a key that would need escaping (400) and a key already used (409)', async () => {
      expect((await refuse(() => ({ name: 'a b.jpg' }))).status).toBe(400);
      expect((await refuse(() => ({ name: '.hidden.jpg' }))).status).toBe(400);
      const grant = await uploadGrant(t, me.token);
      const same = name();
      expect(
        (await uploadWith(t, grant, { name: same, contentType: 'image/jpeg', bytes: await jpeg() })).status,
      ).toBe(204);
      expect(
        (await uploadWith(t, grant, { name: same, contentType: 'image/jpeg', bytes: await jpeg() })).status,
      ).toBe(409);
    });

    it('should refuse a form without a file (400)', async () => {
      const grant = await uploadGrant(t, me.token);
      let req = t.http.post('/media/upload');
      for (const [k, v] of Object.entries(grant.fields)) req = req.field(k, v);
      const res = await req.field('key', `${grant.keyPrefix}${name()}`).field('Content-Type', 'image/jpeg');
      expect(res.status).toBe(400);
    });
  });
});
