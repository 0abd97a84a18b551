import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { MediaService } from '#src/media/media.service.js';
import { LocalDiskStorage, Storage } from '#src/media/storage.js';
import { outcomeOf } from '#test/helpers/outcome.js';
import { registerNuzzleUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const BOMB_SIDE = 8_000;

/**
 * A valid PNG of 8,000 × 8,000 black pixels (64 megapixels, over the 40 MP default) that compresses to a few dozen
 * kilobytes: decoding it would take 64 MB per copy, so it must be refused from its header.
 */
function decompressionBomb(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(BOMB_SIDE, 0);
  header.writeUInt32BE(BOMB_SIDE, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  // Each row: filter byte 0, then BOMB_SIDE zero pixels.
  const pixels = deflateSync(Buffer.alloc((BOMB_SIDE + 1) * BOMB_SIDE), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', pixels),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

describe(MediaService.name, () => {
  let t: TestApp;
  let sut: MediaService;
  /** Every upload belongs to an account. */
  let owner: string;

  beforeAll(async () => {
    t = await createTestApp({
      env: { DATA_DIR: `/tmp/concord-media-${process.pid}`, PUBLIC_BASE_URL: 'https://api.example.com' },
    });
    sut = t.app.get(MediaService);
    owner = (await registerNuzzleUser(t)).id;
  });
  afterAll(async () => {
    await t.close();
  });

  const photo = (format: 'jpeg' | 'png' | 'webp' = 'jpeg') =>
    sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366cc' } })
      [format]()
      .withExif({ IFD0: { Artist: 'secret-artist', Copyright: 'GPS 39.9042N 116.4074E' } })
      .toBuffer();

  it('should re-encode a JPEG without its EXIF, under a server-generated name, served with nosniff', async () => {
    const original = await photo('jpeg');
    expect((await sharp(original).metadata()).exif).toBeDefined();

    const stored = await sut.storeImage(original, owner);

    expect(stored).toMatchObject({ contentType: 'image/jpeg', width: 64, height: 48 });
    expect(stored.key).toMatch(/^images\/\d{4}\/\d{2}\/[0-9a-f-]{36}\.jpg$/);
    expect(stored.url).toBe(`https://api.example.com/media/${stored.key}`);
    const served = await t.http.get(`/media/${stored.key}`).buffer(true);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    const body = served.body as Buffer;
    expect((await sharp(body).metadata()).exif).toBeUndefined();
    expect(body.toString('latin1')).not.toContain('secret-artist');
  });

  it.each(['png', 'webp'] as const)('should keep a %s as its own type', async (format) => {
    const stored = await sut.storeImage(await photo(format), owner);
    expect(stored.contentType).toBe(`image/${format}`);
    expect(
      (await sharp((await t.http.get(`/media/${stored.key}`).buffer(true)).body as Buffer).metadata()).exif,
    ).toBeUndefined();
  });

  it('should drop a payload appended to a valid image', async () => {
    const original = Buffer.concat([await photo('jpeg'), Buffer.from('<script>alert(1)</script>')]);
    const stored = await sut.storeImage(original, owner);
    const body = (await t.http.get(`/media/${stored.key}`).buffer(true)).body as Buffer;
    expect(body.toString('latin1')).not.toContain('<script>');
  });

  it.each([
    ['an HTML page', Buffer.from('<!doctype html><html><script>alert(1)</script></html>')],
    ['a text file', Buffer.from('just some text, named avatar.jpg by its sender')],
    ['a PDF', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n')],
    [
      'a polyglot with a JPEG signature',
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<html>')]),
    ],
    ['a truncated PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0])],
    ['a decompression bomb', decompressionBomb()],
  ])('should refuse %s as UNSUPPORTED_MEDIA', async (_label, bytes) => {
    expect(await outcomeOf(sut.storeImage(bytes, owner))).toBe('UNSUPPORTED_MEDIA');
  });

  it('should refuse the bomb for its pixel count, though it is a small and valid file', async () => {
    const bomb = decompressionBomb();
    expect(bomb.length).toBeLessThan(200_000);
    const header = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect([header.width, header.height]).toEqual([BOMB_SIDE, BOMB_SIDE]);
    expect(await outcomeOf(sut.storeImage(bomb, owner))).toBe('UNSUPPORTED_MEDIA');
  });

  it('should refuse a file over UPLOAD_MAX_BYTES as FILE_TOO_LARGE before looking at it', async () => {
    const huge = Buffer.concat([
      (await photo('png')).subarray(0, 8),
      Buffer.alloc(t.config.http.uploadMaxBytes),
    ]);
    expect(await outcomeOf(sut.storeImage(huge, owner))).toBe('FILE_TOO_LARGE');
  });

  it('should never write outside the storage root', async () => {
    const storage = t.app.get<Storage, LocalDiskStorage>(Storage);
    for (const key of [
      '../../etc/passwd',
      'images/../../x.jpg',
      '/etc/passwd',
      'images/a b.jpg',
      'images/.hidden.jpg',
    ]) {
      expect(() => storage.pathOf(key)).toThrow(/refusing storage key/);
      await expect(storage.put(key, Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/refusing storage key/);
    }
  });

  it('should answer 404 for a file that does not exist, and list no directory', async () => {
    expect((await t.http.get('/media/images/2026/11/nope.jpg')).status).toBe(404);
    expect((await t.http.get('/media/images/')).status).toBe(404);
  });
});
