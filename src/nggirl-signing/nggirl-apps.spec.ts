import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '#src/config/app-config.js';
import {
  developmentNggirlApp,
  NggirlApps,
  nggirlSigningNotice,
  parseNggirlApps,
} from '#src/nggirl-signing/nggirl-apps.js';

const SECRET_A = 'secret-of-app-a-0123456789';
const SECRET_B = 'secret-of-app-b-0123456789';

describe(parseNggirlApps.name, () => {
  it('should read id:secret pairs and id:secret:unsigned', () => {
    expect(parseNggirlApps(`14314:${SECRET_A}, 14316:${SECRET_B}:unsigned`)).toEqual([
      { id: '14314', secret: SECRET_A, signed: true },
      { id: '14316', secret: SECRET_B, signed: false },
    ]);
  });

  it.each([
    ['', 'at least one'],
    ['14314', 'entry 1: expected id:secret'],
    [`a:${SECRET_A}:signed`, 'may only be "unsigned"'],
    [`a:${SECRET_A}:unsigned:x`, 'entry 1: expected id:secret'],
    ['a:short', 'at least 16 characters'],
    [`a b:${SECRET_A}`, 'the app id must be'],
    [`a:${SECRET_A},a:${SECRET_B}`, 'entry 2: app a is listed twice'],
  ])('should refuse %j, saying why without the secret', (text, message) => {
    expect(() => parseNggirlApps(text)).toThrow(message);
    try {
      parseNggirlApps(text);
    } catch (error) {
      expect((error as Error).message).not.toContain(SECRET_A);
    }
  });
});

describe('NGGIRL_APPS and IM_SECRET_KEY in the configuration', () => {
  const root = mkdtempSync(join(tmpdir(), 'concord-nggirl-config-'));
  let dirs = 0;
  const dataDir = () => join(root, `data-${++dirs}`);
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const JWT_SECRET = 'a-production-secret-of-at-least-32-characters';
  const KEY = Buffer.alloc(32, 7);

  it('should configure one development app and a development IM key, kept under DATA_DIR', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.nggirl.developmentApp).toBe(true);
    expect(config.nggirl.apps).toEqual([
      { id: 'dev', secret: readFileSync(join(dir, 'nggirl-dev-app-secret'), 'utf8'), signed: true },
    ]);
    expect(statSync(join(dir, 'nggirl-dev-app-secret')).mode & 0o777).toBe(0o600);
    expect(config.im.secretKey).toHaveLength(32);
    const again = loadConfig({ DATA_DIR: dir });
    expect(again.nggirl.apps).toEqual(config.nggirl.apps);
    expect(again.im.secretKey).toEqual(config.im.secretKey);
  });

  it('should read the apps and the key it is given', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      NGGIRL_APPS: `14314:${SECRET_A}`,
      IM_SECRET_KEY: KEY.toString('base64'),
    });
    expect(config.nggirl).toEqual({
      apps: [{ id: '14314', secret: SECRET_A, signed: true }],
      developmentApp: false,
    });
    expect(config.im.secretKey).toEqual(KEY);
    expect(loadConfig({ DATA_DIR: dataDir(), IM_SECRET_KEY: KEY.toString('hex') }).im.secretKey).toEqual(KEY);
  });

  it('should configure no app in production when NGGIRL_APPS is unset, and need no IM key then', () => {
    const config = loadConfig({ DATA_DIR: dataDir(), NODE_ENV: 'production', JWT_SECRET });
    expect(config.nggirl).toEqual({ apps: [], developmentApp: false });
    expect(config.im.secretKey).toBeUndefined();
  });

  it('should generate nothing when the nggirl dialect is not served', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir, DIALECTS: 'xiaoma', JWT_SECRET });
    expect(config.nggirl).toEqual({ apps: [], developmentApp: false });
    expect(config.im.secretKey).toBeUndefined();
    expect(() => statSync(join(dir, 'nggirl-dev-app-secret'))).toThrow();
  });

  it('should name the variable of a bad value', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), NGGIRL_APPS: 'x' })).toThrow(/\n {2}NGGIRL_APPS: entry 1/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), IM_SECRET_KEY: 'abc' })).toThrow(
      /\n {2}IM_SECRET_KEY: expected 32/,
    );
    expect(() =>
      loadConfig({ DATA_DIR: dataDir(), NODE_ENV: 'production', JWT_SECRET, NGGIRL_APPS: `a:${SECRET_A}` }),
    ).toThrow(/IM_SECRET_KEY: is required in production when NGGIRL_APPS is set/);
  });

  it('should print the development app, and warn about unsigned apps and an empty production list', () => {
    const dev = loadConfig({ DATA_DIR: dataDir() });
    expect(nggirlSigningNotice(dev)).toContain(`app_id=dev\n  secret=${dev.nggirl.apps[0].secret}`);
    const mixed = loadConfig({
      DATA_DIR: dataDir(),
      NGGIRL_APPS: `a:${SECRET_A},b:${SECRET_B}:unsigned`,
    });
    const notice = nggirlSigningNotice(mixed);
    expect(notice).toContain('app(s) b');
    expect(notice).not.toContain(SECRET_B);
    expect(nggirlSigningNotice({ ...mixed, nggirl: { apps: [], developmentApp: false } })).toContain(
      'refused',
    );
    expect(
      nggirlSigningNotice({ ...dev, dialects: { ...dev.dialects, enabled: ['xiaoma'] } }),
    ).toBeUndefined();
  });
});

describe(NggirlApps.name, () => {
  it('should find apps by id and list the unsigned ones', () => {
    const sut = new NggirlApps(parseNggirlApps(`a:${SECRET_A},b:${SECRET_B}:unsigned`));
    expect(sut.find('a')?.secret).toBe(SECRET_A);
    expect(sut.find('c')).toBeUndefined();
    expect(sut.unsignedIds()).toEqual(['b']);
  });
});

describe(developmentNggirlApp.name, () => {
  it('should generate a secret again when its file is gone, and refuse a damaged one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'concord-nggirl-dev-'));
    try {
      const first = developmentNggirlApp(dir).secret;
      rmSync(join(dir, 'nggirl-dev-app-secret'));
      const second = developmentNggirlApp(dir).secret;
      expect(second).toHaveLength(43);
      expect(second).not.toBe(first);
      writeFileSync(join(dir, 'nggirl-dev-app-secret'), 'short\n');
      expect(() => developmentNggirlApp(dir)).toThrow(/nggirl-dev-app-secret holds fewer than 16 characters/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
