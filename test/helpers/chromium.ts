import { existsSync } from 'node:fs';
import { describe } from '@jest/globals';
import { reportMissingService } from '#test/helpers/services.js';

/** Debian's Chromium, which `.ci/run` installs. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** `describe` where Chromium is installed; elsewhere the suite skips and says why (or fails, in CI). */
export function describeInChromium(suite: string): typeof describe | typeof describe.skip {
  if (existsSync(CHROMIUM)) return describe;
  reportMissingService(
    'chromium',
    `${suite} skips (${CHROMIUM} not found)`,
    'Install the Debian package: apt-get update && apt-get install -y chromium',
  );
  return describe.skip;
}
