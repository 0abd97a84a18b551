import { describe, expect, it } from '@jest/globals';
import { isLoopback } from '#src/live/controllers/live-hook.guard.js';
import { parseLiveHookEvent } from '#src/live/live-hook-event.js';

describe(parseLiveHookEvent.name, () => {
  const nginx = { app: 'live', addr: '127.0.0.1', clientid: '1', name: 'stream1', key: 'k1' };

  it('should read nginx-rtmp publish, update and done calls with the publisher’s key', () => {
    expect(parseLiveHookEvent({ ...nginx, call: 'publish', type: 'live' })).toEqual({
      server: 'nginx',
      kind: 'publish',
      app: 'live',
      streamKey: 'stream1',
      publishKey: 'k1',
    });
    expect(parseLiveHookEvent({ ...nginx, call: 'update_publish', time: '30' }).kind).toBe('update');
    expect(parseLiveHookEvent({ ...nginx, call: 'publish_done' }).kind).toBe('publish_done');
    const { key: _key, ...withoutKey } = nginx;
    expect(parseLiveHookEvent({ ...withoutKey, call: 'publish' }).publishKey).toBe('');
  });

  it('should ignore the calls it does not handle, including inherited property names', () => {
    for (const call of ['play', 'play_done', 'update_play', 'connect', 'done', 'toString', '__proto__']) {
      expect(parseLiveHookEvent({ ...nginx, call }).kind).toBe('ignored');
    }
  });

  it('should refuse repeated or missing fields', () => {
    expect(() => parseLiveHookEvent({ ...nginx, call: 'publish', name: ['a', 'b'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    expect(() => parseLiveHookEvent({ ...nginx, call: ['publish', 'publish_done'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    expect(() => parseLiveHookEvent({ ...nginx, call: 'publish', key: ['a', 'b'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    expect(() => parseLiveHookEvent({ call: 'publish', app: 'live' })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    for (const body of [undefined, null, 'call=publish', [], {}]) {
      expect(() => parseLiveHookEvent(body)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
    }
  });

  it('should read SRS on_publish and on_unpublish, taking the key from param', () => {
    const srs = {
      action: 'on_publish',
      app: 'live',
      stream: 'stream1',
      param: '?key=k1&vhost=x',
      client_id: 5,
    };
    expect(parseLiveHookEvent(srs)).toEqual({
      server: 'srs',
      kind: 'publish',
      app: 'live',
      streamKey: 'stream1',
      publishKey: 'k1',
    });
    expect(parseLiveHookEvent({ ...srs, action: 'on_unpublish' }).kind).toBe('publish_done');
    expect(parseLiveHookEvent({ ...srs, param: undefined }).publishKey).toBe('');
    expect(parseLiveHookEvent({ action: 'on_play' }).kind).toBe('ignored');
    expect(() => parseLiveHookEvent({ ...srs, param: '?key=a&key=b' })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    expect(() => parseLiveHookEvent({ ...srs, stream: 7 })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
  });
});

describe(isLoopback.name, () => {
  it('should accept 127.0.0.0/8 and ::1, also IPv4-mapped, and nothing else', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])
      expect(isLoopback(address)).toBe(true);
    for (const address of [undefined, '', '10.0.0.1', '::ffff:10.0.0.1', '::2', '1127.0.0.1', 'fe80::1']) {
      expect(isLoopback(address)).toBe(false);
    }
  });
});
