import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { LiveRoomsService } from '#src/live/live-rooms.service.js';
import type { StreamObject } from '#src/live/stream-object.js';
import { createLiveUser, roomsOf } from '#test/helpers/live.js';
import { describeWithMediaServer, LiveServerUnderTest } from '#test/helpers/media-server.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';
import { type Run, run, until } from '#test/helpers/processes.js';

const SECRET = 'hook-secret-for-the-nginx-rtmp-suite';

/** A generated test pattern, published the way mrpyq's client would: to the URL it builds from the stream object. */
function publish(stream: StreamObject, key: string, seconds: number): Run {
  const url = `rtmp://${stream.hosts.publish.rtmp}/${stream.hub}/${stream.title}?key=${key}`;
  return run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-re'],
    ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-t', String(seconds)],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '15', '-f', 'flv', url],
  ]);
}

describeWithMediaServer('the nginx-rtmp round trip')(
  'Live rooms through a real nginx-rtmp and ffmpeg',
  () => {
    let t: TestApp;
    let sut: LiveRoomsService;
    let live: LiveServerUnderTest;

    beforeAll(async () => {
      live = await LiveServerUnderTest.prepare(SECRET);
      t = await createTestApp({ listen: true, env: live.appEnv });
      sut = t.app.get(LiveRoomsService);
      await live.start(t.url!);
    });

    afterAll(async () => {
      await live?.stop();
      await t?.close();
    });

    const liveNow = async (userId: string) => (await sut.liveNow([userId])).get(userId);

    it('should see the room go live while ffmpeg publishes, play it over HLS, then see it end', async () => {
      const userId = await createLiveUser(t.db);
      const stream = await sut.openRoom(userId, '测试信号');
      const ffmpeg = publish(stream, stream.publishKey, 6);

      const broadcast = await until('the room is live', () => liveNow(userId));
      expect(broadcast.title).toBe('测试信号');
      expect((await roomsOf(t.db, userId))[0].status).toBe('live');

      // nginx writes HLS fragments as they come: the play URL the friends list gives answers a playlist.
      const playlist = await until('the HLS playlist is served', async () => {
        const res = await fetch(broadcast.play.hls!).catch(() => undefined);
        return res?.ok ? res.text() : undefined;
      });
      expect(playlist).toContain('#EXTM3U');

      expect(await ffmpeg.exited).toBe(0);
      await until('the room has ended', async () => ((await liveNow(userId)) ? undefined : true));
      expect((await roomsOf(t.db, userId))[0].status).toBe('ended');
    }, 60_000);

    it('should refuse a wrong key: ffmpeg is turned away and the room never goes live', async () => {
      const userId = await createLiveUser(t.db);
      const stream = await sut.openRoom(userId);
      const ffmpeg = publish(stream, 'not-the-publish-key', 3);

      expect(await ffmpeg.exited).not.toBe(0);
      expect(await liveNow(userId)).toBeUndefined();
      expect((await roomsOf(t.db, userId))[0].status).toBe('open');
      expect(t.logs.some((line) => line.includes('publish refused') && line.includes(stream.title))).toBe(
        true,
      );
    }, 60_000);

    it('should cut the publisher within an update interval when the owner leaves', async () => {
      const userId = await createLiveUser(t.db);
      const stream = await sut.openRoom(userId);
      const ffmpeg = publish(stream, stream.publishKey, 30);
      await until('the room is live', () => liveNow(userId));

      const left = Date.now();
      expect(await sut.leaveRoom(userId)).toBe(true);

      // nginx's next on_update (every 2 s here) is refused, and nginx drops the connection.
      expect(await ffmpeg.exited).not.toBe(0);
      expect(Date.now() - left).toBeLessThan(15_000);
      expect((await roomsOf(t.db, userId))[0].status).toBe('closed');
    }, 60_000);
  },
);
