import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe } from '@jest/globals';
import { reportMissingService } from '#test/helpers/services.js';

/** Where Debian's libnginx-mod-rtmp puts the module (scripts/live-server.mjs looks in the same places). */
const RTMP_MODULES = [
  '/usr/lib/nginx/modules/ngx_rtmp_module.so',
  '/usr/lib64/nginx/modules/ngx_rtmp_module.so',
  '/usr/share/nginx/modules/ngx_rtmp_module.so',
];

function runs(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/**
 * `describe` where nginx with its RTMP module and ffmpeg are installed; elsewhere the suite skips and says which is
 * missing (or fails, where CONCORD_REQUIRE_SERVICES names them, as in CI).
 */
export function describeWithMediaServer(suite: string): typeof describe | typeof describe.skip {
  let present = true;
  const moduleFound =
    process.env.NGINX_RTMP_MODULE === 'none' || RTMP_MODULES.some((path) => existsSync(path));
  if (!runs(process.env.NGINX_BIN ?? 'nginx', ['-v']) || !moduleFound) {
    reportMissingService(
      'nginx-rtmp',
      `${suite} skips (nginx or its RTMP module not found)`,
      'Install the Debian packages: apt-get update && apt-get install -y nginx libnginx-mod-rtmp',
    );
    present = false;
  }
  if (!runs('ffmpeg', ['-version'])) {
    reportMissingService(
      'ffmpeg',
      `${suite} skips (ffmpeg not found)`,
      'Install the Debian package: apt-get update && apt-get install -y ffmpeg',
    );
    present = false;
  }
  return present ? describe : describe.skip;
}
