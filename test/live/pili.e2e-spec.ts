import { createHash, createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainError } from '#src/common/errors/domain-error.js';
import { LiveRoomsService } from '#src/live/live-rooms.service.js';
import type { StreamObject } from '#src/live/stream-object.js';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { FakePili } from '#test/helpers/fake-pili.js';
import { createLiveUser, roomsOf, STREAM_OBJECT_KEYS } from '#test/helpers/live.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const START = Date.parse('2017-01-06T02:28:45.799Z');
const DAY = 86_400_000;

/** Pili's expiry_sk token, computed here with Node's HMAC rather than the adapter's helper. */
function expectedPublishUrl(fake: FakePili, stream: StreamObject, expireAt: number): string {
  const path = `/${fake.hub}/${stream.title}?e=${expireAt}`;
  const sign = createHmac('sha1', fake.secretKey)
    .update(path)
    .digest('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
  return `rtmp://pili-publish.mrpyq.com${path}&token=${fake.accessKey}:${sign}`;
}

const failure = async (promise: Promise<unknown>): Promise<DomainError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe('Live rooms on Qiniu Pili', () => {
  let pili: FakePili;
  let clock: FakeClock;
  let t: TestApp;
  let sut: LiveRoomsService;

  beforeAll(async () => {
    pili = await FakePili.start();
    clock = new FakeClock(START);
    t = await createTestApp({ clock, env: pili.env({ PILI_PLAY_KEY: 'test-play-key' }) });
    sut = t.app.get(LiveRoomsService);
  });
  afterAll(async () => {
    await t.close();
    await pili.close();
  });
  afterEach(() => {
    pili.failWith = undefined;
  });

  it('should create the stream at Pili and answer the document’s stream object with a signed publish URL', async () => {
    const userId = await createLiveUser(t.db);
    const before = pili.requests.length;

    const stream = await sut.openRoom(userId, '周末钢琴');

    expect(Object.keys(stream).sort()).toEqual(STREAM_OBJECT_KEYS);
    expect(stream).toEqual({
      id: `z1.mrpyq.${stream.title}`,
      createdAt: '2017-01-06T10:28:45.799+08:00',
      updatedAt: '2017-01-06T10:28:45.799+08:00',
      expireAt: '2017-01-07T10:28:45.799+08:00',
      title: expect.stringMatching(/^[0-9a-f]{24}$/),
      hub: 'mrpyq',
      disabledTill: 0,
      disabled: false,
      publishKey: '',
      publishSecurity: 'expiry_sk',
      nonce: 0,
      nropEnable: null,
      hosts: {
        publish: { rtmp: 'pili-publish.mrpyq.com' },
        live: {
          rtmp: 'pili-live-rtmp.mrpyq.com',
          hls: 'pili-live-hls.mrpyq.com',
          hdl: 'pili-live-hdl.mrpyq.com',
          http: 'pili-live-hls.mrpyq.com',
          snapshot: 'pili-live-snapshot.mrpyq.com',
        },
        playback: {
          hls: '10004p0.playback1.z1.pili.qiniucdn.com',
          http: '10004p0.playback1.z1.pili.qiniucdn.com',
        },
        play: { rtmp: 'pili-live-rtmp.mrpyq.com', http: 'pili-live-hls.mrpyq.com' },
      },
      publishUrl: expectedPublishUrl(pili, stream, Math.floor((START + DAY) / 1000)),
    });
    expect(pili.requests.slice(before)).toEqual([
      { method: 'POST', path: '/v2/hubs/mrpyq/streams', body: { key: stream.title } },
    ]);
    expect(pili.streams.has(stream.title)).toBe(true);
    expect(await roomsOf(t.db, userId)).toEqual([
      {
        id: expect.any(String),
        status: 'open',
        title: '周末钢琴',
        streamKey: stream.title,
        closeReason: null,
      },
    ]);
  });

  it('should answer the same room when reopened, with a later expiry, a fresh signature and the new title', async () => {
    const userId = await createLiveUser(t.db);
    const first = await sut.openRoom(userId, 'first');
    const before = pili.requests.length;
    clock.advance(3_600_000);

    const again = await sut.openRoom(userId, 'second');

    expect(again.id).toBe(first.id);
    expect(again.createdAt).toBe(first.createdAt);
    expect(again.updatedAt).toBe('2017-01-06T11:28:45.799+08:00');
    expect(again.expireAt).toBe('2017-01-07T11:28:45.799+08:00');
    expect(again.publishUrl).toBe(
      expectedPublishUrl(pili, again, Math.floor((clock.now().getTime() + DAY) / 1000)),
    );
    expect(again.publishUrl).not.toBe(first.publishUrl);
    // No second stream at Pili.
    expect(pili.requests.length).toBe(before);
    expect((await roomsOf(t.db, userId)).map((r) => [r.status, r.title])).toEqual([['open', 'second']]);

    // No title: the room keeps its own.
    await sut.openRoom(userId);
    expect((await roomsOf(t.db, userId))[0].title).toBe('second');
  });

  it('should open one room when the same user opens many at once', async () => {
    const userId = await createLiveUser(t.db);
    const existing = new Set(pili.streams.keys());
    const streams = await Promise.all(Array.from({ length: 8 }, () => sut.openRoom(userId, 'race')));
    expect(new Set(streams.map((s) => s.id)).size).toBe(1);
    const rooms = await roomsOf(t.db, userId);
    expect(rooms).toHaveLength(1);
    // Streams created by the losers of the race are disabled at Pili, the winner's is not.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const created = [...pili.streams].filter(([key]) => !existing.has(key));
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const [key, stream] of created) {
      expect(stream.disabledTill).toBe(key === rooms[0].streamKey ? 0 : -1);
    }
  });

  it('should close an idle room found expired and open a new stream', async () => {
    const userId = await createLiveUser(t.db);
    const old = await sut.openRoom(userId);
    clock.advance(DAY);

    const fresh = await sut.openRoom(userId);

    expect(fresh.title).not.toBe(old.title);
    expect((await roomsOf(t.db, userId)).map((r) => [r.status, r.closeReason])).toEqual([
      ['closed', 'expired'],
      ['open', null],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pili.streams.get(old.title)?.disabledTill).toBe(-1);
  });

  it('should disable the stream for good when the owner leaves, and leaving again changes nothing', async () => {
    const userId = await createLiveUser(t.db);
    const stream = await sut.openRoom(userId);
    const before = pili.requests.length;

    expect(await sut.leaveRoom(userId)).toBe(true);
    expect(pili.requests.slice(before)).toEqual([
      {
        method: 'POST',
        path: `/v2/hubs/mrpyq/streams/${Buffer.from(stream.title).toString('base64url')}/disabled`,
        body: { disabledTill: -1 },
      },
    ]);
    expect((await roomsOf(t.db, userId)).map((r) => [r.status, r.closeReason])).toEqual([['closed', 'left']]);

    expect(await sut.leaveRoom(userId)).toBe(false);
    expect(pili.requests.length).toBe(before + 1);
  });

  it('should answer UPSTREAM_FAILED and open nothing when Pili refuses to create the stream', async () => {
    const userId = await createLiveUser(t.db);
    pili.failWith = { status: 500, error: 'internal error' };
    const error = await failure(sut.openRoom(userId));
    expect(error.code).toBe('UPSTREAM_FAILED');
    expect(error.detail).toMatchObject({ provider: 'pili', status: 500, error: 'internal error' });
    expect(await roomsOf(t.db, userId)).toEqual([]);
  });

  it('should keep the room open when Pili fails to disable it, so leaving can be tried again', async () => {
    const userId = await createLiveUser(t.db);
    await sut.openRoom(userId);
    pili.failWith = { status: 503, error: 'service unavailable' };
    expect((await failure(sut.leaveRoom(userId))).code).toBe('UPSTREAM_FAILED');
    expect((await roomsOf(t.db, userId))[0].status).toBe('open');
    pili.failWith = undefined;
    expect(await sut.leaveRoom(userId)).toBe(true);
  });

  it('should say who is live from Pili’s live status, with signed play URLs', async () => {
    const anchor = await createLiveUser(t.db);
    const idle = await createLiveUser(t.db);
    const nobody = await createLiveUser(t.db);
    const stream = await sut.openRoom(anchor, 'live now');
    await sut.openRoom(idle);
    const since = Math.floor(clock.now().getTime() / 1000) - 60;
    pili.setLive(stream.title, since);

    const live = await sut.liveNow([anchor, idle, nobody, 'not-an-id']);

    expect([...live.keys()]).toEqual([anchor]);
    const broadcast = live.get(anchor)!;
    const expiry = Math.floor((clock.now().getTime() + 2 * 3_600_000) / 1000).toString(16);
    const signed = (url: string) => {
      const path = new URL(url).pathname;
      const sign = createHash('md5').update(`test-play-key${path}${expiry}`).digest('hex');
      return `${url}?sign=${sign}&t=${expiry}`;
    };
    expect(broadcast).toEqual({
      userId: anchor,
      roomId: expect.any(String),
      title: 'live now',
      liveSince: new Date(since * 1000),
      play: {
        rtmp: signed(`rtmp://pili-live-rtmp.mrpyq.com/mrpyq/${stream.title}`),
        hls: signed(`http://pili-live-hls.mrpyq.com/mrpyq/${stream.title}.m3u8`),
        flv: signed(`http://pili-live-hdl.mrpyq.com/mrpyq/${stream.title}.flv`),
      },
      // Viewers get the stream without its publish credentials.
      stream: { ...stream, publishSecurity: 'expiry_sk', publishKey: '', publishUrl: undefined },
    });
    expect('publishUrl' in broadcast.stream).toBe(false);
    expect(pili.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v2/hubs/mrpyq/livestreams' });
  });

  it('should show nobody live, and log it, when Pili cannot tell', async () => {
    const anchor = await createLiveUser(t.db);
    const stream = await sut.openRoom(anchor);
    pili.setLive(stream.title, 1);
    pili.failWith = { status: 500, error: 'internal error' };
    expect((await sut.liveNow([anchor])).size).toBe(0);
    expect(t.logs.some((line) => line.includes('live status unavailable'))).toBe(true);
  });

  it('should refuse a title longer than 100 characters', async () => {
    const userId = await createLiveUser(t.db);
    expect((await failure(sut.openRoom(userId, '长'.repeat(101)))).code).toBe('INVALID_PARAMS');
    await expect(sut.openRoom(userId, '长'.repeat(100))).resolves.toBeDefined();
  });

  describe('with a wrong secret key', () => {
    let wrong: TestApp;

    beforeAll(async () => {
      wrong = await createTestApp({ env: pili.env({ PILI_SECRET_KEY: 'not-the-secret' }) });
    });
    afterAll(async () => {
      await wrong.close();
    });

    it('should be refused by the fake’s signature check, so a malformed signature would be caught', async () => {
      const userId = await createLiveUser(wrong.db);
      const refused = pili.refusedSignatures.length;
      const error = await failure(wrong.app.get(LiveRoomsService).openRoom(userId));
      expect(error.code).toBe('UPSTREAM_FAILED');
      expect(error.detail).toMatchObject({ status: 401, error: 'bad token' });
      expect(pili.refusedSignatures.length).toBe(refused + 1);
      expect(wrong.logs.join('\n')).not.toContain('not-the-secret');
    });
  });
});
