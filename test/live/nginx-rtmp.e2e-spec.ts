import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { LiveRoomsService } from '#src/live/live-rooms.service.js';
import type { StreamObject } from '#src/live/stream-object.js';
import { createLiveUser, roomsOf } from '#test/helpers/live.js';
import { describeWithMediaServer } from '#test/helpers/media-server.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';
import { accepts, freePort, type Run, run, until } from '#test/helpers/processes.js';

const SECRET = 'hook-secret-for-the-nginx-rtmp-suite';
const SCRIPT = resolve(import.meta.dirname, '../../scripts/live-server.mjs');

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
    let dir: string;
    let t: TestApp;
    let sut: LiveRoomsService;
    let server: Run;
    let hlsPort: number;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'concord-live-'));
      // Started as root, nginx's workers run as nobody and must reach the HLS folder inside.
      await chmod(dir, 0o755);
      const rtmpPort = await freePort();
      hlsPort = await freePort();
      t = await createTestApp({
        listen: true,
        env: {
          LIVE_PROVIDER: 'local',
          LIVE_HOOK_SECRET: SECRET,
          LIVE_LOCAL_RTMP_HOST: `127.0.0.1:${rtmpPort}`,
          LIVE_LOCAL_HLS_HOST: `127.0.0.1:${hlsPort}`,
        },
      });
      sut = t.app.get(LiveRoomsService);
      server = run(process.execPath, [SCRIPT], {
        ...process.env,
        DATA_DIR: dir,
        LIVE_RTMP_PORT: String(rtmpPort),
        LIVE_HLS_PORT: String(hlsPort),
        LIVE_HOOK_URL: `${t.url}/live/hooks`,
        LIVE_HOOK_SECRET: SECRET,
        LIVE_UPDATE_INTERVAL: '2',
        LIVE_SERVER_LOG_LEVEL: 'error',
      });
      await until(
        `nginx listens on ${rtmpPort} (${server.output.join('')})`,
        () => accepts(rtmpPort),
        15_000,
      );
    });

    afterAll(async () => {
      if (server && server.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      await t?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
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
