import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jpeg } from '#test/helpers/nuzzle-content.js';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const PARAM_ERROR = { ret: 500, errcode: 'PARAM_ERROR' };

/** nuzzle content refusals its main suites leave out: malformed parameters, and a stored object over the limit. */
describe('nuzzle content refusals', () => {
  let t: TestApp;
  let user: NuzzleTestUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { UPLOAD_MAX_BYTES: '4096' } });
    user = await registerNuzzleUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  /**
   * An object in the caller's own folder that is larger than UPLOAD_MAX_BYTES, as one could be when put there
   * outside the upload policy (straight into a bucket, or before the limit was lowered).
   */
  async function oversizedUpload(name: string): Promise<string> {
    const key = `u/${user.id}/${name}`;
    const file = join(t.config.media.dir, key);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, Buffer.concat([await jpeg(), Buffer.alloc(8192)]));
    return `${t.config.http.publicBaseUrl}/media/${key}`;
  }

  it('should refuse a feed whose picture is over the upload limit', async () => {
    const photoUrl = await oversizedUpload('big-feed.jpg');
    const res = await t.http
      .post('/feed/post')
      .set('Authorization', user.token)
      .send({ type: 'pic', photoUrl, width: 32, height: 24, free: true, tz: 'UTC' });
    expect(res.body).toEqual(PARAM_ERROR);
  });

  it('should refuse an avatar over the upload limit', async () => {
    const avatar = await oversizedUpload('big-avatar.jpg');
    const res = await t.http
      .post('/user/modify/profile')
      .set('Authorization', user.token)
      .send({ avatar, tz: 'UTC' });
    expect(res.body).toEqual(PARAM_ERROR);
  });

  it.each([
    ['/feed/delete without an id', '/feed/delete', { type: 'pic' }],
    ['/star/feed/tag/list without a star', '/star/feed/tag/list', {}],
    ['/star/list with a size that is not a number', '/star/list', { size: 'many' }],
  ])('should answer %s with PARAM_ERROR', async (_label, path, params) => {
    const res = await t.http
      .post(path)
      .set('Authorization', user.token)
      .send({ ...params, tz: 'UTC' });
    expect(res.body).toEqual(PARAM_ERROR);
  });
});
