import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeClock } from '#test/helpers/fake-clock.js';
import { nginxForm } from '#test/helpers/live.js';
import {
  befriend,
  MRPYQ_ENV,
  mrpyqPost,
  newPhone,
  registerMrpyqUser,
  type MrpyqTestUser,
} from '#test/helpers/mrpyq.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const SECRET = 'hook-secret-for-the-mrpyq-friends-suite';

interface Message {
  flag: number;
  verifyId: string;
  objectId: string;
  userId: string;
  objectUserId: string;
  time: number;
  user: { userId: string; nickname: string; headImage: string; gender: string };
}

interface FriendEntry {
  userId: string;
  nickname: string;
  live: boolean;
  room: null | {
    title: string;
    liveSince: string;
    play: { rtmp: string; hls?: string };
    stream: Record<string, unknown>;
  };
}

describe('mrpyq friends: /friend and /list', () => {
  let t: TestApp;
  let clock: FakeClock;

  beforeAll(async () => {
    clock = new FakeClock(Date.parse('2024-06-01T04:00:00.000Z'));
    t = await createTestApp({
      clock,
      env: {
        ...MRPYQ_ENV,
        LIVE_PROVIDER: 'local',
        LIVE_HOOK_SECRET: SECRET,
        LIVE_LOCAL_RTMP_HOST: 'live.example.com:1935',
        LIVE_LOCAL_HLS_HOST: 'live.example.com:8080',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const user = async (gender?: '0' | '1') => {
    const created = await registerMrpyqUser(t, gender ? { gender } : {});
    clock.advance(1000);
    return created;
  };
  const friendCall = (who: MrpyqTestUser, marker: string, form: Record<string, string> = {}) =>
    mrpyqPost(t, '/friend', { token: who.token, [marker]: '1', ...form });
  const messages = async (who: MrpyqTestUser) =>
    (await mrpyqPost(t, '/list', { token: who.token, messagelist: '1' })).message as Message[];
  const friends = async (who: MrpyqTestUser) =>
    (await mrpyqPost(t, '/list', { token: who.token, friendlist: '1' })).message as {
      count: number;
      friends: FriendEntry[];
    };
  const deal = (
    who: MrpyqTestUser,
    message: Message,
    behaviour: string,
    overrides: Record<string, string> = {},
  ) =>
    friendCall(who, 'dealMessage', {
      userId: message.userId,
      verifyId: message.verifyId,
      objectId: message.objectId,
      behaviour,
      ...overrides,
    });

  describe('search=1', () => {
    it('should find a user by phone, with flag "0" for a stranger, "1" for a friend and "-1" for oneself', async () => {
      const a = await user();
      const b = await user('0');

      expect(await friendCall(a, 'search', { userId: b.phone })).toEqual({
        result: '0000',
        flag: '0',
        message: { userId: b.phone, nickname: b.nickname, headImage: '', gender: '0' },
      });
      await befriend(t, a, b);
      expect((await friendCall(a, 'search', { userId: b.phone })).flag).toBe('1');
      expect(await friendCall(a, 'search', { userId: a.phone })).toEqual({
        result: '0000',
        flag: '-1',
        message: { userId: a.phone, nickname: a.nickname, headImage: '', gender: '' },
      });
    });

    it('should answer 0007 for a number with no account, and 0002 for what is no number', async () => {
      const a = await user();
      expect(await friendCall(a, 'search', { userId: newPhone() })).toEqual({
        result: '0007',
        message: '用户不存在',
      });
      expect((await friendCall(a, 'search', { userId: 'abc' })).result).toBe('0002');
    });
  });

  describe('add=1 and messagelist=1', () => {
    it('should send a request both sides see: flag 0 for the addressee, 2 for the requester, one message however often it is asked', async () => {
      const a = await user();
      const b = await user();

      expect(await friendCall(a, 'add', { userId: b.phone })).toEqual({ result: '0000', message: null });
      clock.advance(5000);
      expect((await friendCall(a, 'add', { userId: b.phone })).result).toBe('0000');

      const received = await messages(b);
      const sent = await messages(a);
      expect(received).toHaveLength(1);
      expect(sent).toHaveLength(1);
      const time = received[0].time;
      expect(received[0]).toEqual({
        flag: 0,
        verifyId: `${b.phone},${time}`,
        objectId: `${a.phone},${time}`,
        userId: a.phone,
        objectUserId: b.phone,
        time,
        user: { userId: a.phone, nickname: a.nickname, headImage: '', gender: '' },
      });
      expect(sent[0]).toEqual({
        ...received[0],
        flag: 2,
        user: { userId: b.phone, nickname: b.nickname, headImage: '', gender: '' },
      });
    });

    it('should make friends of two who ask each other: flags 1 and 3', async () => {
      const a = await user();
      const b = await user();
      await friendCall(a, 'add', { userId: b.phone });

      expect((await friendCall(b, 'add', { userId: a.phone })).result).toBe('0000');

      expect((await messages(b)).map((m) => m.flag)).toEqual([1]);
      expect((await messages(a)).map((m) => m.flag)).toEqual([3]);
      expect((await friends(a)).count).toBe(1);
    });

    it('should make one friendship of two requests crossing each other, and one request of ten identical ones', async () => {
      const a = await user();
      const b = await user();
      const c = await user();

      const crossing = await Promise.all([
        friendCall(a, 'add', { userId: b.phone }),
        friendCall(b, 'add', { userId: a.phone }),
      ]);
      const repeated = await Promise.all(
        Array.from({ length: 10 }, () => friendCall(c, 'add', { userId: a.phone })),
      );

      expect(crossing.map((r) => r.result)).toEqual(['0000', '0000']);
      expect(repeated.every((r) => r.result === '0000')).toBe(true);
      expect((await friends(a)).friends.map((f) => f.userId)).toEqual([b.phone]);
      expect((await messages(a)).filter((m) => m.userId === c.phone)).toHaveLength(1);
      const rows = await t.db.query<Array<{ n: string }>>(
        `SELECT count(*) AS n FROM friendships WHERE user_id = ANY($1::bigint[])`,
        [[a.id, b.id]],
      );
      expect(rows[0].n).toBe('2');
    });

    it('should answer 0010 between friends, 0007 for no account and 0002 for oneself or no number', async () => {
      const a = await user();
      const b = await user();
      await befriend(t, a, b);

      expect(await friendCall(a, 'add', { userId: b.phone })).toEqual({
        result: '0010',
        message: '已经互为好友',
      });
      expect((await friendCall(a, 'add', { userId: newPhone() })).result).toBe('0007');
      expect((await friendCall(a, 'add', { userId: 'not-a-phone' })).result).toBe('0002');
      expect(await friendCall(a, 'add', { userId: a.phone })).toEqual({
        result: '0002',
        message: '不能添加自己为好友',
      });
    });
  });

  describe('dealMessage=1', () => {
    it('should make friends when the addressee accepts, and accepting again changes nothing', async () => {
      const a = await user();
      const b = await user();
      await friendCall(a, 'add', { userId: b.phone });
      const [message] = await messages(b);

      expect(await deal(b, message, 'accept')).toEqual({ result: '0000', message: null });
      expect((await deal(b, message, 'accept')).result).toBe('0000');

      expect((await messages(b))[0].flag).toBe(1);
      expect((await messages(a))[0].flag).toBe(3);
      expect((await friends(a)).friends.map((f) => f.userId)).toEqual([b.phone]);
      expect((await friends(b)).friends.map((f) => f.userId)).toEqual([a.phone]);
    });

    it('should refuse a message that is not the caller’s: a third user’s, the requester accepting, another requester or time', async () => {
      const a = await user();
      const b = await user();
      const c = await user();
      await friendCall(a, 'add', { userId: b.phone });
      const [message] = await messages(b);
      const refused = { result: '0002', message: '消息不存在' };

      expect(await deal(c, message, 'accept')).toEqual(refused);
      expect(await deal(c, message, 'delete')).toEqual(refused);
      expect(await deal(a, message, 'accept')).toEqual(refused);
      expect(await deal(b, message, 'accept', { userId: c.phone })).toEqual(refused);
      const other = message.time + 1;
      expect(
        await deal(b, message, 'accept', {
          verifyId: `${b.phone},${other}`,
          objectId: `${a.phone},${other}`,
        }),
      ).toEqual(refused);
      expect((await friends(b)).count).toBe(0);
    });

    it('should answer 0002 for ids that name no one request, or a behaviour it does not know', async () => {
      const a = await user();
      const b = await user();
      await friendCall(a, 'add', { userId: b.phone });
      const [message] = await messages(b);

      expect((await deal(b, message, 'accept', { objectId: `${a.phone},${message.time + 1}` })).result).toBe(
        '0002',
      );
      expect((await deal(b, message, 'accept', { verifyId: 'nonsense' })).result).toBe('0002');
      expect((await deal(b, message, 'ignore')).result).toBe('0002');
      // A full-width comma, as the document writes it, is read the same.
      expect(
        (await deal(b, message, 'accept', { verifyId: message.verifyId.replace(',', '，') })).result,
      ).toBe('0000');
    });

    it('should decline a pending request for both sides when the addressee deletes it, and withdraw it when the requester does', async () => {
      const a = await user();
      const b = await user();
      await friendCall(a, 'add', { userId: b.phone });
      expect((await deal(b, (await messages(b))[0], 'delete')).result).toBe('0000');
      expect(await messages(a)).toEqual([]);
      expect(await messages(b)).toEqual([]);

      await friendCall(a, 'add', { userId: b.phone });
      expect((await deal(a, (await messages(a))[0], 'delete')).result).toBe('0000');
      expect(await messages(b)).toEqual([]);
    });

    it('should hide an accepted message from the deleting side only, friends still', async () => {
      const a = await user();
      const b = await user();
      await befriend(t, a, b);

      expect((await deal(a, (await messages(a))[0], 'delete')).result).toBe('0000');

      expect(await messages(a)).toEqual([]);
      expect((await messages(b)).map((m) => m.flag)).toEqual([1]);
      expect((await friends(a)).count).toBe(1);
    });
  });

  describe('delete=1', () => {
    it('should end the friendship for both, forget its messages, and let them ask afresh', async () => {
      const a = await user();
      const b = await user();
      await befriend(t, a, b);

      expect(await friendCall(a, 'delete', { userId: b.phone })).toEqual({ result: '0000', message: null });

      expect((await friends(a)).count).toBe(0);
      expect((await friends(b)).count).toBe(0);
      expect(await messages(b)).toEqual([]);
      expect((await friendCall(b, 'search', { userId: a.phone })).flag).toBe('0');
      expect((await friendCall(b, 'add', { userId: a.phone })).result).toBe('0000');
      expect((await messages(a)).map((m) => m.flag)).toEqual([0]);
    });

    it('should answer 0006 for someone who is not a friend (or no one), 0002 for what is no number', async () => {
      const a = await user();
      const b = await user();
      const notFriend = { result: '0006', message: '对方不是你的好友' };

      expect(await friendCall(a, 'delete', { userId: b.phone })).toEqual(notFriend);
      expect(await friendCall(a, 'delete', { userId: newPhone() })).toEqual(notFriend);
      expect((await friendCall(a, 'delete', { userId: 'x' })).result).toBe('0002');
    });
  });

  describe('friendlist=1', () => {
    it('should answer {count, friends}, friends who are live first with what a viewer needs to watch', async () => {
      const me = await user();
      const quiet = await user('1');
      const anchor = await user('0');
      const newest = await user();
      await befriend(t, me, quiet);
      clock.advance(1000);
      await befriend(t, me, anchor);
      clock.advance(1000);
      await befriend(t, me, newest);

      const before = await friends(me);
      expect(before.count).toBe(3);
      expect(before.friends.map((f) => f.userId)).toEqual([newest.phone, anchor.phone, quiet.phone]);
      expect(before.friends.every((f) => !f.live && f.room === null)).toBe(true);

      const opened = await mrpyqPost(t, '/room', { token: anchor.token, live: '1', title: '晚上好' });
      const stream = JSON.parse(opened.message as string) as { title: string; publishKey: string };
      const published = await t.http
        .post(`/live/hooks?secret=${SECRET}`)
        .type('form')
        .send(nginxForm('publish', stream.title, stream.publishKey));
      expect(published.status).toBe(200);

      const after = await friends(me);
      expect(after.friends.map((f) => f.userId)).toEqual([anchor.phone, newest.phone, quiet.phone]);
      const [live] = after.friends;
      expect(live).toEqual({
        userId: anchor.phone,
        nickname: anchor.nickname,
        headImage: '',
        gender: '0',
        live: true,
        room: {
          title: '晚上好',
          liveSince: expect.stringMatching(/^2024-06-01T12:\d\d:\d\d\.\d{3}\+08:00$/),
          play: {
            rtmp: `rtmp://live.example.com:1935/live/${stream.title}`,
            hls: `http://live.example.com:8080/live/${stream.title}.m3u8`,
          },
          stream: expect.objectContaining({ title: stream.title, publishKey: '' }),
        },
      });
      expect(live.room!.stream).not.toHaveProperty('publishUrl');

      await t.http
        .post(`/live/hooks?secret=${SECRET}`)
        .type('form')
        .send(nginxForm('publish_done', stream.title, stream.publishKey));
      expect((await friends(me)).friends.map((f) => f.live)).toEqual([false, false, false]);
    });
  });
});
