import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startFakeS3, type FakeS3 } from '#test/helpers/fake-s3.js';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import {
  jpeg,
  mp4,
  postFeed,
  upload,
  uploadGrant,
  uploadWith,
  type UploadGrantJson,
} from '#test/helpers/nuzzle-content.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const MAX_BYTES = 64 * 1024;

/** STORAGE_DRIVER=s3: the production adapters (@aws-sdk/client-s3, s3-presigned-post) against s3rver on loopback. */
describe('S3 storage: presigned POST uploads, feeds and paid videos', () => {
  let s3: FakeS3;
  let t: TestApp;
  let me: NuzzleTestUser;
  let other: NuzzleTestUser;
  let publicBase: string;

  beforeAll(async () => {
    s3 = await startFakeS3();
    publicBase = `${s3.endpoint}/${s3.bucket}/`;
    t = await createTestApp({
      env: {
        STORAGE_DRIVER: 's3',
        S3_ENDPOINT: s3.endpoint,
        S3_REGION: s3.region,
        S3_BUCKET: s3.bucket,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3_FORCE_PATH_STYLE: 'true',
        S3_PUBLIC_BASE_URL: publicBase,
        UPLOAD_MAX_BYTES: String(MAX_BYTES),
        PUBLIC_BASE_URL: 'https://api.example.com',
      },
    });
    me = await registerNuzzleUser(t);
    other = await registerNuzzleUser(t);
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  let n = 0;
  const name = (ext = 'jpg') => `s${(n += 1)}.${ext}`;
  const fetchPublic = (url: string) => request(new URL(url).origin).get(new URL(url).pathname).buffer(true);

  it('should grant a presigned POST to the bucket, limited to the caller’s folder, the size and 15 minutes', async () => {
    const before = Date.now();
    const grant = await uploadGrant(t, me.token);

    expect(grant).toEqual({
      url: `${s3.endpoint}/${s3.bucket}`,
      fields: {
        bucket: s3.bucket,
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': expect.stringMatching(new RegExp(`^S3RVER/\\d{8}/${s3.region}/s3/aws4_request$`)),
        'X-Amz-Date': expect.stringMatching(/^\d{8}T\d{6}Z$/),
        Policy: expect.any(String),
        'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      keyPrefix: `u/${me.id}/`,
      publicBaseUrl: publicBase,
      maxBytes: MAX_BYTES,
      expiresAt: expect.any(Number),
    });
    expect(grant.expiresAt - before).toBeGreaterThanOrEqual(15 * 60_000 - 1000);
    expect(grant.expiresAt - before).toBeLessThanOrEqual(15 * 60_000 + 5000);
    const policy = JSON.parse(Buffer.from(grant.fields.Policy, 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(Math.abs(Date.parse(policy.expiration) - grant.expiresAt)).toBeLessThan(2000);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, MAX_BYTES],
        ['starts-with', '$key', `u/${me.id}/`],
        { bucket: s3.bucket },
      ]),
    );
  });

  it('should store a file posted with the grant in the bucket, readable at publicBaseUrl + key', async () => {
    const grant = await uploadGrant(t, me.token);
    const bytes = await jpeg();

    const done = await uploadWith(t, grant, { name: name(), contentType: 'image/jpeg', bytes });

    expect(done.status).toBe(204);
    expect(done.url.startsWith(`${publicBase}u/${me.id}/`)).toBe(true);
    const stored = await fetchPublic(done.url);
    expect(stored.status).toBe(200);
    expect(Buffer.from(stored.body as Buffer).equals(bytes)).toBe(true);
  });

  describe('outside the policy', () => {
    const attempt = async (
      grant: UploadGrantJson,
      file: Partial<{ name: string; bytes: Buffer; fields: Record<string, string> }>,
    ) =>
      uploadWith(t, grant, {
        name: file.name ?? name(),
        contentType: 'image/jpeg',
        bytes: file.bytes ?? (await jpeg()),
        fields: file.fields,
      });

    it('should fail in someone else’s folder, over the size, empty, or with a forged policy', async () => {
      const grant = await uploadGrant(t, me.token);
      const foreign = await attempt({ ...grant, keyPrefix: `u/${other.id}/` }, {});
      const big = await attempt(grant, { bytes: Buffer.concat([await jpeg(), Buffer.alloc(MAX_BYTES)]) });
      const empty = await attempt(grant, { bytes: Buffer.alloc(0) });
      const widened = await attempt(grant, {
        fields: {
          Policy: Buffer.from(
            JSON.stringify({ expiration: '2100-01-01T00:00:00Z', conditions: [['starts-with', '$key', '']] }),
          ).toString('base64'),
        },
      });
      expect([foreign.status, big.status, empty.status, widened.status]).toEqual([403, 403, 403, 403]);
      expect(s3.refused.slice(-4)).toEqual([
        'field key breaks the policy',
        'file size outside the policy',
        'file size outside the policy',
        'signature does not match',
      ]);
    });

    it('should not let a file S3 accepted become a feed when its bytes are not what it claims', async () => {
      const grant = await uploadGrant(t, me.token);
      const html = await uploadWith(t, grant, {
        name: name('jpg'),
        contentType: 'text/html',
        bytes: Buffer.from('<script>alert(1)</script>'),
      });
      // S3 policies cannot say "image/* or video/*": the upload lands, and is refused where it is used.
      expect(html.status).toBe(204);
      const res = await t.http.post('/feed/post').set('Authorization', me.token).type('form').send({
        type: 'pic',
        photoUrl: html.url,
        width: 10,
        height: 10,
        free: 'true',
      });
      expect(res.body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
    });
  });

  /** A published file is shown from a copy no upload grant reaches: `pinned/` + the key the client uploaded. */
  const pinned = (url: string) => url.replace(publicBase, `${publicBase}pinned/`);

  it('should publish a picture from the bucket and show a copy a new upload cannot swap', async () => {
    const feed = await postFeed(t, me, { words: 'from s3' });
    const list = await t.http.get('/feed/list').set('Authorization', other.token);
    const shown = (list.body.data as Array<{ id: string; photoUrl: string }>).find((f) => f.id === feed.id);
    expect(shown).toMatchObject({ photoUrl: pinned(feed.photoUrl) });
    const before = await fetchPublic(shown!.photoUrl);
    expect(before.status).toBe(200);

    // With a fresh grant the author overwrites the key they uploaded to: what the feed shows stays as it was.
    const grant = await uploadGrant(t, me.token);
    const swapped = await uploadWith(t, grant, {
      name: feed.photoUrl.slice(`${publicBase}u/${me.id}/`.length),
      contentType: 'image/jpeg',
      bytes: await jpeg(),
    });
    expect(swapped.status).toBe(204);
    const after = await fetchPublic(shown!.photoUrl);
    expect(Buffer.from(after.body as Buffer).equals(Buffer.from(before.body as Buffer))).toBe(true);
  });

  it('should publish a free video from its pinned copy, and refuse the same video twice', async () => {
    const feed = await postFeed(t, me, { type: 'video' });
    const detail = await t.http
      .get('/feed/detail')
      .query({ type: 'video', id: feed.id })
      .set('Authorization', other.token);
    expect(detail.body.data).toMatchObject({ videoUrl: pinned(feed.videoUrl!), access: true });
    expect((await fetchPublic(pinned(feed.videoUrl!))).status).toBe(200);
    const again = await t.http
      .post('/feed/post')
      .set('Authorization', me.token)
      .type('form')
      .send({
        type: 'video',
        photoUrl: await upload(t, me),
        videoUrl: feed.videoUrl,
        width: 10,
        height: 10,
        free: 'false',
        price: 3,
      });
    expect(again.body).toEqual({ ret: 500, errcode: 'NOT_ALLOWED' });
  });

  it('should take a paid video out of the public bucket, and stream it to its author through a signed address', async () => {
    const feed = await postFeed(t, me, { type: 'video', free: false, price: 9 });
    expect((await fetchPublic(feed.videoUrl!)).status).toBe(404);

    const forOther = await t.http
      .get('/feed/detail')
      .query({ type: 'video', id: feed.id })
      .set('Authorization', other.token);
    expect(forOther.body.data).toMatchObject({ access: false, videoUrl: '' });

    const forAuthor = await t.http
      .get('/feed/detail')
      .query({ type: 'video', id: feed.id })
      .set('Authorization', me.token);
    const signed = new URL(forAuthor.body.data.videoUrl as string);
    expect(signed.origin).toBe('https://api.example.com');
    const whole = await t.http.get(`${signed.pathname}${signed.search}`).buffer(true);
    expect(whole.status).toBe(200);
    expect(Buffer.from(whole.body as Buffer).equals(mp4())).toBe(true);
    const part = await t.http
      .get(`${signed.pathname}${signed.search}`)
      .set('Range', 'bytes=4-11')
      .buffer(true);
    expect(part.status).toBe(206);
    expect(Buffer.from(part.body as Buffer).toString('latin1')).toBe('ftypisom');
  });

  it('should set an avatar uploaded to the bucket', async () => {
    const avatar = await upload(t, me);
    const res = await t.http
      .post('/user/modify/profile')
      .set('Authorization', me.token)
      .type('form')
      .send({ avatar });
    expect(res.body.data.avatar).toBe(pinned(avatar));
    expect((await fetchPublic(pinned(avatar))).status).toBe(200);
  });
});
