import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AnonymousUploads } from '#src/media/anonymous-uploads.service.js';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { MRPYQ_ENV, mrpyqPost, newPhone, png, verifyMrpyqPhone } from '#test/helpers/mrpyq.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const MINUTE = 60_000;

describe('mrpyq /upload: avatars before the account exists', () => {
  let t: TestApp;
  let clock: FakeClock;

  beforeAll(async () => {
    clock = new FakeClock();
    t = await createTestApp({ clock, env: MRPYQ_ENV });
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = async (): Promise<string> => {
    const res = await t.http
      .post('/upload')
      .attach('img', await png(), { filename: 'me.png', contentType: 'image/png' });
    const body = res.body as { result: string; message: string };
    if (body.result !== '0000') throw new Error(`upload failed: ${JSON.stringify(body)}`);
    return body.message;
  };
  const served = async (url: string) => (await t.http.get(new URL(url).pathname)).status;

  it('should store the image without an owner and answer its full address, served from there', async () => {
    const url = await upload();

    expect(url.startsWith(`${t.config.http.publicBaseUrl}/media/images/`)).toBe(true);
    expect(await served(url)).toBe(200);
    const [row] = await t.db.query<Array<{ owner: string | null }>>(
      `SELECT user_id AS owner FROM media_uploads WHERE key = $1`,
      [new URL(url).pathname.replace('/media/', '')],
    );
    expect(row.owner).toBeNull();
  });

  it('should answer 0002 without img and 0006 for what is not an image', async () => {
    expect((await t.http.post('/upload').field('name', 'x')).body).toEqual({
      result: '0002',
      message: '缺少图片',
    });
    const fake = await t.http
      .post('/upload')
      .attach('img', Buffer.from('<?php echo 1; ?>'), { filename: 'a.png', contentType: 'image/png' });
    expect(fake.body).toEqual({ result: '0006', message: '图片格式不支持' });
  });

  it('should delete what no registration claimed within the hour, and keep what one did', async () => {
    const claimed = await upload();
    const forgotten = await upload();
    const phone = newPhone();
    await verifyMrpyqPhone(t, phone);
    const registered = await mrpyqPost(t, '/register', {
      register: '1',
      userId: phone,
      password: 'abc12345',
      headImage: claimed,
    });
    expect(registered.result).toBe('0000');
    clock.advance(30 * MINUTE);
    const recent = await upload();

    clock.advance(31 * MINUTE);
    // Past the hour, an upload cannot be claimed even before the sweep came by.
    const late = newPhone();
    await verifyMrpyqPhone(t, late);
    expect(
      (
        await mrpyqPost(t, '/register', {
          register: '1',
          userId: late,
          password: 'abc12345',
          headImage: forgotten,
        })
      ).result,
    ).toBe('0002');

    expect(await t.app.get(AnonymousUploads).sweep()).toBeGreaterThanOrEqual(1);

    expect(await served(forgotten)).toBe(404);
    expect(await served(claimed)).toBe(200);
    expect(await served(recent)).toBe(200);
    const keys = await t.db.query<Array<{ key: string }>>(`SELECT key FROM media_uploads`);
    const keyOf = (url: string) => new URL(url).pathname.replace('/media/', '');
    expect(keys.map((k) => k.key)).toEqual(expect.arrayContaining([keyOf(claimed), keyOf(recent)]));
    expect(keys.map((k) => k.key)).not.toContain(keyOf(forgotten));
  });
});
