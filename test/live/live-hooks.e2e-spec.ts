import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LiveRoomsService } from '#src/live/live-rooms.service.js';
import type { StreamObject } from '#src/live/stream-object.js';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { createLiveUser, nginxForm, roomsOf } from '#test/helpers/live.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const SECRET = 'hook-secret-for-the-live-hook-suite';
const HOOK = `/live/hooks?secret=${SECRET}`;

describe('Live rooms on the local media server (hooks)', () => {
  let clock: FakeClock;
  let t: TestApp;
  let sut: LiveRoomsService;

  beforeAll(async () => {
    clock = new FakeClock(Date.parse('2024-05-01T00:00:00.000Z'));
    t = await createTestApp({
      clock,
      env: {
        LIVE_PROVIDER: 'local',
        LIVE_HOOK_SECRET: SECRET,
        LIVE_LOCAL_RTMP_HOST: 'live.example.com:1935',
        LIVE_LOCAL_HLS_HOST: 'live.example.com:8080',
      },
    });
    sut = t.app.get(LiveRoomsService);
  });
  afterAll(async () => {
    await t.close();
  });

  const nginx = (body: string, path = HOOK) => t.http.post(path).type('form').send(body);
  const srs = (body: Record<string, unknown>) => t.http.post(HOOK).send(body);
  const isLive = async (userId: string) => (await sut.liveNow([userId])).has(userId);

  const openRoom = async (title?: string): Promise<{ userId: string; stream: StreamObject }> => {
    const userId = await createLiveUser(t.db);
    return { userId, stream: await sut.openRoom(userId, title) };
  };

  it('should answer a stream object an unchanged client builds its static publish URL from', async () => {
    const { stream } = await openRoom('晚间直播');
    expect(stream).toEqual({
      id: `z1.live.${stream.title}`,
      createdAt: '2024-05-01T08:00:00.000+08:00',
      updatedAt: '2024-05-01T08:00:00.000+08:00',
      expireAt: '2024-05-02T08:00:00.000+08:00',
      title: expect.stringMatching(/^[0-9a-f]{24}$/),
      hub: 'live',
      disabledTill: 0,
      disabled: false,
      publishKey: expect.stringMatching(/^[0-9a-f]{32}$/),
      publishSecurity: 'static',
      nonce: 0,
      nropEnable: null,
      hosts: {
        publish: { rtmp: 'live.example.com:1935' },
        live: {
          rtmp: 'live.example.com:1935',
          hls: 'live.example.com:8080',
          hdl: '',
          http: 'live.example.com:8080',
          snapshot: '',
        },
        playback: { hls: '', http: '' },
        play: { rtmp: 'live.example.com:1935', http: 'live.example.com:8080' },
      },
      publishUrl: `rtmp://live.example.com:1935/live/${stream.title}?key=${stream.publishKey}`,
    });
    // What Pili v1's client SDK builds for publishSecurity "static".
    expect(stream.publishUrl).toBe(
      `rtmp://${stream.hosts.publish.rtmp}/${stream.hub}/${stream.title}?key=${stream.publishKey}`,
    );
  });

  describe('the callback route', () => {
    it('should refuse a call without the secret, or with a wrong one, whatever it carries', async () => {
      const { userId, stream } = await openRoom();
      const form = nginxForm('publish', stream.title, stream.publishKey);
      for (const path of ['/live/hooks', '/live/hooks?secret=wrong', `/live/hooks?secret=${SECRET}x`]) {
        const res = await nginx(form, path);
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
      }
      const twice = await nginx(form, `/live/hooks?secret=${SECRET}&secret=${SECRET}`);
      expect(twice.status).toBe(403);
      expect(await isLive(userId)).toBe(false);
    });

    it('should not write the secret in the request log', async () => {
      await nginx(nginxForm('play', 'x'));
      expect(t.logs.join('\n')).not.toContain(SECRET);
    });

    it('should let the room’s key publish: the room goes live, answered 200 with body 0', async () => {
      const { userId, stream } = await openRoom('go live');
      const res = await nginx(nginxForm('publish', stream.title, stream.publishKey));
      expect(res.status).toBe(200);
      expect(res.text).toBe('0');
      expect(res.headers['content-type']).toMatch(/^application\/json/);

      const live = await sut.liveNow([userId]);
      expect(live.get(userId)).toEqual({
        userId,
        roomId: expect.any(String),
        title: 'go live',
        liveSince: clock.now(),
        play: {
          rtmp: `rtmp://live.example.com:1935/live/${stream.title}`,
          hls: `http://live.example.com:8080/live/${stream.title}.m3u8`,
        },
        stream: expect.objectContaining({ title: stream.title, publishKey: '', publishSecurity: 'static' }),
      });
      expect(live.get(userId)!.stream).not.toHaveProperty('publishUrl');
      expect((await roomsOf(t.db, userId))[0].status).toBe('live');
    });

    it('should refuse a wrong key, a missing key, another room’s key and another application', async () => {
      const { userId, stream } = await openRoom();
      const other = await openRoom();
      for (const form of [
        nginxForm('publish', stream.title, 'not-the-key'),
        nginxForm('publish', stream.title),
        nginxForm('publish', stream.title, other.stream.publishKey),
        nginxForm('publish', stream.title, stream.publishKey, 'other-app'),
        nginxForm('publish', 'no-such-stream', stream.publishKey),
      ]) {
        const res = await nginx(form);
        expect(res.status).toBe(403);
      }
      expect(await isLive(userId)).toBe(false);
    });

    it('should refuse a form that names a field twice (a publisher can append its own)', async () => {
      const { userId, stream } = await openRoom();
      const victim = await openRoom();
      // nginx appends the publisher's query unescaped: `?key=<mine>&name=<victim>` adds a second name.
      const injected = `${nginxForm('publish', stream.title, stream.publishKey)}&name=${victim.stream.title}`;
      const res = await nginx(injected);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'INVALID_PARAMS' } });
      const doubleKey = `${nginxForm('publish', stream.title, stream.publishKey)}&key=${stream.publishKey}`;
      expect((await nginx(doubleKey)).status).toBe(400);
      expect(await isLive(userId)).toBe(false);
      expect(await isLive(victim.userId)).toBe(false);
    });

    it('should allow calls it has no business with (play, connect) and refuse malformed ones', async () => {
      expect((await nginx(nginxForm('play', 'anything'))).status).toBe(200);
      expect((await nginx('app=live&name=x')).status).toBe(400);
      expect((await t.http.post(HOOK).send([1, 2])).status).toBe(400);
    });

    it('should end the room on publish_done, and let the same key publish again while the room is open', async () => {
      const { userId, stream } = await openRoom();
      await nginx(nginxForm('publish', stream.title, stream.publishKey)).expect(200);
      clock.advance(60_000);

      expect((await nginx(nginxForm('publish_done', stream.title, stream.publishKey))).status).toBe(200);
      expect(await isLive(userId)).toBe(false);
      expect((await roomsOf(t.db, userId))[0].status).toBe('ended');

      await nginx(nginxForm('publish', stream.title, stream.publishKey)).expect(200);
      expect((await sut.liveNow([userId])).get(userId)?.liveSince).toEqual(clock.now());
    });

    it('should refuse a publish_done with a wrong key and keep the room live', async () => {
      const { userId, stream } = await openRoom();
      await nginx(nginxForm('publish', stream.title, stream.publishKey)).expect(200);
      expect((await nginx(nginxForm('publish_done', stream.title, 'wrong'))).status).toBe(403);
      expect(await isLive(userId)).toBe(true);
    });

    it('should stop counting a room live when nginx’s updates stop, and count it again when they resume', async () => {
      const { userId, stream } = await openRoom();
      await nginx(nginxForm('publish', stream.title, stream.publishKey)).expect(200);
      clock.advance(60_000);
      await nginx(nginxForm('update_publish', stream.title, stream.publishKey)).expect(200);
      clock.advance(89_000);
      expect(await isLive(userId)).toBe(true);
      clock.advance(2_000);
      expect(await isLive(userId)).toBe(false);
      await nginx(nginxForm('update_publish', stream.title, stream.publishKey)).expect(200);
      expect(await isLive(userId)).toBe(true);
    });

    it('should cut a publisher whose owner left: the next update is refused, and so is a new publish', async () => {
      const { userId, stream } = await openRoom();
      await nginx(nginxForm('publish', stream.title, stream.publishKey)).expect(200);

      expect(await sut.leaveRoom(userId)).toBe(true);

      expect(await isLive(userId)).toBe(false);
      expect((await nginx(nginxForm('update_publish', stream.title, stream.publishKey))).status).toBe(403);
      expect((await nginx(nginxForm('publish', stream.title, stream.publishKey))).status).toBe(403);
      // The publish_done that follows the cut is harmless.
      expect((await nginx(nginxForm('publish_done', stream.title, stream.publishKey))).status).toBe(200);
      expect((await roomsOf(t.db, userId)).map((r) => [r.status, r.closeReason])).toEqual([
        ['closed', 'left'],
      ]);
    });

    it('should refuse to start publishing in a room left idle past its expiry; reopening gives a new room', async () => {
      const { userId, stream } = await openRoom();
      clock.advance(86_400_000);
      expect((await nginx(nginxForm('publish', stream.title, stream.publishKey))).status).toBe(403);

      const fresh = await sut.openRoom(userId);
      expect(fresh.title).not.toBe(stream.title);
      expect(fresh.publishKey).not.toBe(stream.publishKey);
      await nginx(nginxForm('publish', fresh.title, fresh.publishKey)).expect(200);
      expect((await nginx(nginxForm('publish', stream.title, stream.publishKey))).status).toBe(403);
    });

    it('should keep a room that is live when its expiry passes, and answer it on reopen', async () => {
      const { userId, stream } = await openRoom();
      await nginx(nginxForm('publish', stream.title, stream.publishKey)).expect(200);
      clock.advance(86_400_000 + 1);
      await nginx(nginxForm('update_publish', stream.title, stream.publishKey)).expect(200);
      const again = await sut.openRoom(userId);
      expect(again.id).toBe(stream.id);
      expect(again.publishKey).toBe(stream.publishKey);
    });
  });

  describe("SRS's JSON hooks on the same route", () => {
    const srsEvent = (action: string, stream: StreamObject, param: string) => ({
      server_id: 'vid-0xk989d',
      action,
      client_id: '341w361a',
      ip: '127.0.0.1',
      vhost: '__defaultVhost__',
      app: 'live',
      tcUrl: 'rtmp://127.0.0.1:1935/live',
      stream: stream.title,
      param,
    });

    it('should allow on_publish with the room’s key (answering 0) and end the room on on_unpublish', async () => {
      const { userId, stream } = await openRoom();
      const res = await srs(srsEvent('on_publish', stream, `?key=${stream.publishKey}&vhost=x`));
      expect(res.status).toBe(200);
      expect(res.text).toBe('0');
      expect(await isLive(userId)).toBe(true);
      // SRS sends no updates: its rooms are not timed out.
      clock.advance(600_000);
      expect(await isLive(userId)).toBe(true);

      await srs(srsEvent('on_unpublish', stream, `?key=${stream.publishKey}`)).expect(200);
      expect(await isLive(userId)).toBe(false);
    });

    it('should refuse on_publish with a wrong, missing or doubled key', async () => {
      const { userId, stream } = await openRoom();
      expect((await srs(srsEvent('on_publish', stream, '?key=wrong'))).status).toBe(403);
      expect((await srs(srsEvent('on_publish', stream, ''))).status).toBe(403);
      expect((await srs(srsEvent('on_publish', stream, `?key=${stream.publishKey}&key=x`))).status).toBe(400);
      expect(await isLive(userId)).toBe(false);
      // Other actions (on_play, on_connect…) are allowed.
      expect((await srs({ action: 'on_play', app: 'live', stream: 'x' })).text).toBe('0');
    });
  });

  it('should leave nothing to leave twice, and refuse a title over 100 characters', async () => {
    const userId = await createLiveUser(t.db);
    expect(await sut.leaveRoom(userId)).toBe(false);
    await expect(sut.openRoom(userId, 'x'.repeat(101))).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });
});

describe('Live hooks in production without LIVE_HOOK_SECRET', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { NODE_ENV: 'production', LIVE_PROVIDER: 'local' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should refuse every callback, even one with an empty secret', async () => {
    const userId = await createLiveUser(t.db);
    const stream = await t.app.get(LiveRoomsService).openRoom(userId);
    for (const path of ['/live/hooks', '/live/hooks?secret=']) {
      const res = await t.http
        .post(path)
        .type('form')
        .send(nginxForm('publish', stream.title, stream.publishKey));
      expect(res.status).toBe(403);
    }
  });
});
