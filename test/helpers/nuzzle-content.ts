import sharp from 'sharp';
import request from 'supertest';
import type { NuzzleTestUser } from '#test/helpers/nuzzle.js';
import type { TestApp } from '#test/helpers/test-app.js';

/** What `/aws/store/token` answers, decoded. */
export interface UploadGrantJson {
  url: string;
  fields: Record<string, string>;
  keyPrefix: string;
  publicBaseUrl: string;
  maxBytes: number;
  expiresAt: number;
}

let counter = 0;

/** A small real JPEG (or PNG), different each call. */
export async function jpeg(format: 'jpeg' | 'png' = 'jpeg'): Promise<Buffer> {
  counter += 1;
  const image = sharp({
    create: { width: 32, height: 24, channels: 3, background: { r: counter % 255, g: 80, b: 160 } },
  });
  return format === 'png' ? image.png().toBuffer() : image.jpeg().toBuffer();
}

/** The start of an MP4 file (an `ftyp` box, then a `free` box of filler): what the server recognises a video by. */
export function mp4(size = 4096): Buffer {
  const ftyp = Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from('ftypisom', 'latin1'),
    Buffer.from([0, 0, 2, 0]),
    Buffer.from('isomiso2', 'latin1'),
  ]);
  const free = Buffer.alloc(Math.max(8, size - ftyp.length));
  free.writeUInt32BE(free.length, 0);
  free.write('free', 4, 'latin1');
  return Buffer.concat([ftyp, free]);
}

export async function uploadGrant(t: TestApp, token: string): Promise<UploadGrantJson> {
  const res = await t.http.get('/aws/store/token').set('Authorization', token);
  if (res.body?.ret !== 200) throw new Error(`token failed: ${JSON.stringify(res.body)}`);
  return JSON.parse(Buffer.from(res.body.data as string, 'base64').toString('utf8')) as UploadGrantJson;
}

/** The path of the grant's URL on this app (supertest talks to the app, not to PUBLIC_BASE_URL). */
export function localPath(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/**
 * Uploads a file as a client does with a grant: every field, the key, the Content-Type, the file last. Answers the
 * HTTP status and the file's address.
 */
export async function uploadWith(
  t: TestApp,
  grant: UploadGrantJson,
  file: { name: string; contentType: string; bytes: Buffer; fields?: Record<string, string> },
): Promise<{ status: number; url: string; body: unknown }> {
  const key = `${grant.keyPrefix}${file.name}`;
  // The app's own upload route, or a storage elsewhere (an S3 endpoint).
  const target = grant.url.startsWith(t.config.http.publicBaseUrl)
    ? t.http.post(localPath(grant.url))
    : request(new URL(grant.url).origin).post(localPath(grant.url));
  let req = target;
  for (const [name, value] of Object.entries({ ...grant.fields, ...file.fields }))
    req = req.field(name, value);
  req = req.field('key', key).field('Content-Type', file.contentType);
  const res = await req.attach('file', file.bytes, { filename: file.name, contentType: file.contentType });
  return { status: res.status, url: `${grant.publicBaseUrl}${key}`, body: res.body };
}

/** Uploads one file of the user's and answers its address. */
export async function upload(
  t: TestApp,
  user: NuzzleTestUser,
  file: { name?: string; contentType?: string; bytes?: Buffer } = {},
): Promise<string> {
  counter += 1;
  const bytes = file.bytes ?? (await jpeg());
  const name = file.name ?? `file-${counter}-${Date.now()}.jpg`;
  const grant = await uploadGrant(t, user.token);
  const done = await uploadWith(t, grant, { name, contentType: file.contentType ?? 'image/jpeg', bytes });
  if (done.status !== 204) throw new Error(`upload failed: ${done.status} ${JSON.stringify(done.body)}`);
  return done.url;
}

export const uploadVideo = (t: TestApp, user: NuzzleTestUser) =>
  upload(t, user, {
    name: `clip-${Date.now()}-${(counter += 1)}.mp4`,
    contentType: 'video/mp4',
    bytes: mp4(),
  });

export interface PostedFeed {
  id: string;
  photoUrl: string;
  videoUrl?: string;
}

/** Posts a feed through the API (uploading its files first) and answers its id, found as the author's newest. */
export async function postFeed(
  t: TestApp,
  user: NuzzleTestUser,
  options: Partial<{
    type: 'pic' | 'video';
    free: boolean;
    price: number;
    words: string;
    tag: string;
    extra: Record<string, unknown>;
  }> = {},
): Promise<PostedFeed> {
  const type = options.type ?? 'pic';
  const photoUrl = await upload(t, user);
  const videoUrl = type === 'video' ? await uploadVideo(t, user) : undefined;
  const res = await t.http
    .post('/feed/post')
    .set('Authorization', user.token)
    .type('form')
    .send({
      type,
      photoUrl,
      ...(videoUrl ? { videoUrl, duration: 12 } : {}),
      width: 320,
      height: 240,
      free: String(options.free ?? true),
      ...(options.price === undefined ? {} : { price: options.price }),
      ...(options.words === undefined ? {} : { words: options.words }),
      ...(options.tag === undefined ? {} : { tag: options.tag }),
      tz: 'Asia/Shanghai',
      ...options.extra,
    });
  if (res.body?.ret !== 200) throw new Error(`post failed: ${JSON.stringify(res.body)}`);
  const rows = await t.db.query<Array<{ id: string }>>(
    `SELECT id FROM feeds WHERE author_id = $1 ORDER BY id DESC LIMIT 1`,
    [user.id],
  );
  return { id: rows[0].id, photoUrl, videoUrl };
}

/** An operator's Bearer token: the user becomes an admin and signs in at /admin/session. */
export async function adminToken(t: TestApp, user: NuzzleTestUser): Promise<string> {
  await t.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [user.id]);
  const res = await t.http.post('/admin/session').send({ email: user.email, password: user.plainPassword });
  if (res.status !== 201) throw new Error(`admin sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { token: string }).token;
}

export async function makeStar(t: TestApp, userId: string): Promise<void> {
  await t.db.query(`UPDATE users SET type = 'star' WHERE id = $1`, [userId]);
}
