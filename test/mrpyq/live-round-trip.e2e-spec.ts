import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { describeWithMediaServer, LiveServerUnderTest } from '#test/helpers/media-server.js';
import {
  befriend,
  MRPYQ_ENV,
  mrpyqPost,
  registerMrpyqUser,
  type MrpyqTestUser,
} from '#test/helpers/mrpyq.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';
import { run, until } from '#test/helpers/processes.js';

const SECRET = 'hook-secret-for-the-mrpyq-round-trip';

interface Stream {
  hub: string;
  title: string;
  publishKey: string;
  hosts: { publish: { rtmp: string } };
}

interface FriendEntry {
  userId: string;
  live: boolean;
  room: null | { title: string; play: { rtmp: string; hls?: string } };
}

describeWithMediaServer('the mrpyq live round trip')(
  'mrpyq end to end: /room, a real nginx-rtmp, ffmpeg publishing, and the friend list',
  () => {
    let t: TestApp;
    let live: LiveServerUnderTest;

    beforeAll(async () => {
      live = await LiveServerUnderTest.prepare(SECRET);
      t = await createTestApp({ listen: true, env: { ...MRPYQ_ENV, ...live.appEnv } });
      await live.start(t.url!);
    });

    afterAll(async () => {
      await live?.stop();
      await t?.close();
    });

    const friendList = async (who: MrpyqTestUser) =>
      (
        (await mrpyqPost(t, '/list', { token: who.token, friendlist: '1' })).message as {
          friends: FriendEntry[];
        }
      ).friends;

    it('should list a friend who publishes first, playable over HLS, and not once the publisher stops', async () => {
      const anchor = await registerMrpyqUser(t, { nickname: '主播' });
      const viewer = await registerMrpyqUser(t, { nickname: '观众' });
      const quiet = await registerMrpyqUser(t, { nickname: '安静' });
      await befriend(t, viewer, anchor);
      // Befriended last, the quiet friend comes first while nobody is live.
      await befriend(t, viewer, quiet);
      expect((await friendList(viewer)).map((f) => f.userId)).toEqual([quiet.phone, anchor.phone]);

      const opened = await mrpyqPost(t, '/room', { token: anchor.token, live: '1', title: '测试信号' });
      expect(opened.result).toBe('0000');
      // An unchanged client: parse the string, build rtmp://<publish>/<hub>/<title>?key=<publishKey>.
      const stream = JSON.parse(opened.message as string) as Stream;
      const url = `rtmp://${stream.hosts.publish.rtmp}/${stream.hub}/${stream.title}?key=${stream.publishKey}`;
      const ffmpeg = run('ffmpeg', [
        ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-re'],
        ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-t', '6'],
        ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '15', '-f', 'flv', url],
      ]);

      const first = await until('the anchor is listed live', async () => {
        const [top] = await friendList(viewer);
        return top?.live ? top : undefined;
      });
      expect(first.userId).toBe(anchor.phone);
      expect(first.room?.title).toBe('测试信号');
      expect((await friendList(viewer)).map((f) => f.userId)).toEqual([anchor.phone, quiet.phone]);
      const playlist = await until('the HLS playlist is served', async () => {
        const res = await fetch(first.room!.play.hls!).catch(() => undefined);
        return res?.ok ? res.text() : undefined;
      });
      expect(playlist).toContain('#EXTM3U');

      expect(await ffmpeg.exited).toBe(0);
      await until('the anchor is no longer live', async () =>
        (await friendList(viewer)).some((f) => f.live) ? undefined : true,
      );
      expect((await friendList(viewer)).map((f) => f.userId)).toEqual([quiet.phone, anchor.phone]);
      expect((await mrpyqPost(t, '/room', { token: anchor.token, leave: '1' })).result).toBe('0000');
    }, 90_000);
  },
);
