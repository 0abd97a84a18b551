import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** A Pili hub, an RTMP application name or a stream key: what Pili allows in names, and inert in an nginx config. */
export const streamName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 letters, digits, _ or -');

/** A host name or address with an optional port, as it goes into `rtmp://<host>/…` (no scheme, no path). */
export const hostAndPort = z
  .string()
  .regex(
    /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/,
    'expected host or host:port, without scheme or path',
  );

/** Where the development hook secret is kept; `npm run live-server` reads the same file (scripts/live-server.mjs). */
export const HOOK_SECRET_FILE = 'live-hook-secret';

interface LiveEnv {
  NODE_ENV: string;
  LIVE_PROVIDER: 'local' | 'pili';
  PILI_ACCESS_KEY?: string;
  PILI_SECRET_KEY?: string;
  PILI_HUB?: string;
  PILI_PUBLISH_DOMAIN?: string;
  PILI_PLAY_RTMP_DOMAIN?: string;
  PILI_PLAY_HLS_DOMAIN?: string;
}

/** Cross-field rules of the live keys, reported by the config schema like its own. */
export function liveConfigIssues(v: LiveEnv): Array<{ path: string[]; message: string }> {
  const issues: Array<{ path: string[]; message: string }> = [];
  if (v.LIVE_PROVIDER === 'pili') {
    for (const name of [
      'PILI_ACCESS_KEY',
      'PILI_SECRET_KEY',
      'PILI_HUB',
      'PILI_PUBLISH_DOMAIN',
      'PILI_PLAY_RTMP_DOMAIN',
      'PILI_PLAY_HLS_DOMAIN',
    ] as const) {
      if (!v[name]) issues.push({ path: [name], message: 'is required when LIVE_PROVIDER=pili' });
    }
  }
  return issues;
}

/**
 * The secret nginx puts in its callback URLs: LIVE_HOOK_SECRET, else (outside production) one generated on first start.
 * In production without LIVE_HOOK_SECRET it is '' and the callback route refuses every call: instances on several
 * machines cannot share a generated file, and a chosen secret is the only kind worth trusting there.
 */
export function liveHookSecret(configured: string | undefined, production: boolean, dataDir: string): string {
  if (configured) return configured;
  return production ? '' : developmentHookSecret(dataDir);
}

/**
 * Development only: the secret nginx puts in its callback URLs, generated on first start and kept (mode 600) under
 * DATA_DIR, where `npm run live-server` finds it too.
 */
export function developmentHookSecret(dataDir: string): string {
  const file = join(dataDir, HOOK_SECRET_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // The live server or another instance wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 24) {
    throw new Error(`${file} holds fewer than 24 characters; delete it or set LIVE_HOOK_SECRET`);
  }
  return secret;
}
