import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakePili } from '#test/helpers/fake-pili.js';
import { roomsOf, STREAM_OBJECT_KEYS } from '#test/helpers/live.js';
import { MRPYQ_ENV, mrpyqPost, registerMrpyqUser } from '#test/helpers/mrpyq.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

describe('mrpyq /room on the local media server', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ...MRPYQ_ENV,
        LIVE_PROVIDER: 'local',
        LIVE_HOOK_SECRET: 'hook-secret-for-the-mrpyq-room-suite',
        LIVE_LOCAL_RTMP_HOST: 'live.example.com:1935',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should answer the stream object as a JSON string in message, from which the client builds its publish URL', async () => {
    const anchor = await registerMrpyqUser(t);

    const res = await mrpyqPost(t, '/room', { token: anchor.token, live: '1', title: '周末钢琴' });

    expect(res.result).toBe('0000');
    expect(typeof res.message).toBe('string');
    const stream = JSON.parse(res.message as string) as {
      id: string;
      hub: string;
      title: string;
      publishKey: string;
      publishSecurity: string;
      publishUrl: string;
      hosts: { publish: { rtmp: string } };
    };
    expect(Object.keys(stream).sort()).toEqual(STREAM_OBJECT_KEYS);
    expect(stream.publishSecurity).toBe('static');
    expect(stream.id).toBe(`z1.live.${stream.title}`);
    expect(`rtmp://${stream.hosts.publish.rtmp}/${stream.hub}/${stream.title}?key=${stream.publishKey}`).toBe(
      stream.publishUrl,
    );
    const [room] = await roomsOf(t.db, anchor.id);
    expect(room).toMatchObject({ status: 'open', title: '周末钢琴', streamKey: stream.title });
  });

  it('should answer the same stream when the room is opened again, and close it on leave=1', async () => {
    const anchor = await registerMrpyqUser(t);
    const first = JSON.parse(
      (await mrpyqPost(t, '/room', { token: anchor.token, live: '1' })).message as string,
    ) as {
      id: string;
      publishKey: string;
    };
    const again = JSON.parse(
      (await mrpyqPost(t, '/room', { token: anchor.token, live: '1', title: '新标题' })).message as string,
    ) as { id: string; publishKey: string };
    expect(again.id).toBe(first.id);
    expect(again.publishKey).toBe(first.publishKey);

    expect(await mrpyqPost(t, '/room', { token: anchor.token, leave: '1' })).toEqual({
      result: '0000',
      message: null,
    });
    expect((await roomsOf(t.db, anchor.id)).map((r) => r.status)).toEqual(['closed']);
    // Leaving without a room succeeds.
    expect((await mrpyqPost(t, '/room', { token: anchor.token, leave: '1' })).result).toBe('0000');
  });

  it('should answer 0002 for a title over 100 characters', async () => {
    const anchor = await registerMrpyqUser(t);
    expect(
      (await mrpyqPost(t, '/room', { token: anchor.token, live: '1', title: '长'.repeat(101) })).result,
    ).toBe('0002');
  });
});

describe('mrpyq /room on Qiniu Pili', () => {
  let t: TestApp;
  let pili: FakePili;

  beforeAll(async () => {
    pili = await FakePili.start();
    t = await createTestApp({ env: { ...MRPYQ_ENV, ...pili.env() } });
  });
  afterAll(async () => {
    await t.close();
    await pili.close();
  });

  it('should answer 0009 when Pili refuses to create the stream, and open no room', async () => {
    const anchor = await registerMrpyqUser(t);
    pili.failWith = { status: 500, error: 'internal error' };
    try {
      expect(await mrpyqPost(t, '/room', { token: anchor.token, live: '1' })).toEqual({
        result: '0009',
        message: 'API错误,bad request',
      });
    } finally {
      pili.failWith = undefined;
    }
    expect(await roomsOf(t.db, anchor.id)).toEqual([]);
  });

  it('should answer 0009 when Pili cannot disable the stream on leave=1, and keep the room open for a retry', async () => {
    const anchor = await registerMrpyqUser(t);
    const opened = await mrpyqPost(t, '/room', { token: anchor.token, live: '1' });
    expect(JSON.parse(opened.message as string)).toMatchObject({
      publishSecurity: 'expiry_sk',
      hub: 'mrpyq',
    });

    pili.failWith = { status: 502, error: 'bad gateway' };
    try {
      expect(await mrpyqPost(t, '/room', { token: anchor.token, leave: '1' })).toEqual({
        result: '0009',
        message: 'API错误,bad request',
      });
    } finally {
      pili.failWith = undefined;
    }
    expect((await roomsOf(t.db, anchor.id)).map((r) => r.status)).toEqual(['open']);
    expect((await mrpyqPost(t, '/room', { token: anchor.token, leave: '1' })).result).toBe('0000');
  });
});
