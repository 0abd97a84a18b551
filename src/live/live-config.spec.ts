import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '#src/config/app-config.js';

describe('live configuration', () => {
  let root: string;
  let dirs = 0;
  const dataDir = () => join(root, `data-${++dirs}`);

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'concord-live-config-'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('should name every Pili key that LIVE_PROVIDER=pili needs', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), LIVE_PROVIDER: 'pili' })).toThrow(
      /PILI_ACCESS_KEY: is required when LIVE_PROVIDER=pili[\s\S]*PILI_SECRET_KEY[\s\S]*PILI_HUB[\s\S]*PILI_PUBLISH_DOMAIN[\s\S]*PILI_PLAY_RTMP_DOMAIN[\s\S]*PILI_PLAY_HLS_DOMAIN/,
    );
  });

  it('should refuse domains with a scheme or a path, and hubs that could not name a stream', () => {
    expect(() =>
      loadConfig({ DATA_DIR: dataDir(), LIVE_LOCAL_RTMP_HOST: 'rtmp://live.example.com' }),
    ).toThrow(/LIVE_LOCAL_RTMP_HOST: expected host or host:port/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), LIVE_LOCAL_APP: 'live;evil' })).toThrow(/LIVE_LOCAL_APP/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), LIVE_HOOK_SECRET: 'short' })).toThrow(
      /LIVE_HOOK_SECRET: must be at least 24 characters/,
    );
  });

  it('should read a Pili configuration, the HDL domain defaulting to the HLS one', () => {
    const sut = loadConfig({
      DATA_DIR: dataDir(),
      LIVE_PROVIDER: 'pili',
      PILI_ACCESS_KEY: 'ak',
      PILI_SECRET_KEY: 'sk',
      PILI_HUB: 'mrpyq',
      PILI_API_BASE_URL: 'http://127.0.0.1:9000/',
      PILI_PUBLISH_DOMAIN: 'pili-publish.mrpyq.com',
      PILI_PLAY_RTMP_DOMAIN: 'pili-live-rtmp.mrpyq.com',
      PILI_PLAY_HLS_DOMAIN: 'pili-live-hls.mrpyq.com',
      PILI_PLAY_SCHEME: 'https',
      PILI_PLAY_KEY: 'play-key',
      PILI_PLAY_URL_TTL: '30m',
    });
    expect(sut.live).toEqual({
      provider: 'pili',
      roomTtlMs: 86_400_000,
      heartbeatTimeoutMs: 90_000,
      local: expect.objectContaining({ hookSecret: '' }),
      pili: {
        accessKey: 'ak',
        secretKey: 'sk',
        hub: 'mrpyq',
        apiBaseUrl: 'http://127.0.0.1:9000',
        publishDomain: 'pili-publish.mrpyq.com',
        playRtmpDomain: 'pili-live-rtmp.mrpyq.com',
        playHlsDomain: 'pili-live-hls.mrpyq.com',
        playHdlDomain: 'pili-live-hls.mrpyq.com',
        snapshotDomain: '',
        playbackDomain: '',
        playScheme: 'https',
        playKey: 'play-key',
        playUrlTtlMs: 1_800_000,
      },
    });
  });

  it('should generate the hook secret once in development, keep it, and never in production', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).live.local.hookSecret;
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(join(dir, 'live-hook-secret'), 'utf8')).toBe(first);
    expect(loadConfig({ DATA_DIR: dir }).live.local.hookSecret).toBe(first);
    expect(
      loadConfig({ DATA_DIR: dir, LIVE_HOOK_SECRET: 'a-chosen-secret-of-24-chars' }).live.local.hookSecret,
    ).toBe('a-chosen-secret-of-24-chars');

    const production = dataDir();
    const config = loadConfig({
      DATA_DIR: production,
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-at-least-32-characters',
    });
    expect(config.live.local.hookSecret).toBe('');
    expect(existsSync(join(production, 'live-hook-secret'))).toBe(false);
  });
});
