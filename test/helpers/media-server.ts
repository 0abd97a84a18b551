import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe } from '@jest/globals';
import { accepts, freePort, type Run, run, until } from '#test/helpers/processes.js';
import { reportMissingService } from '#test/helpers/services.js';

const LIVE_SERVER_SCRIPT = resolve(import.meta.dirname, '../../scripts/live-server.mjs');

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

/**
 * `npm run live-server` (nginx-rtmp) for one suite, on ports and a folder of its own: `appEnv` points the app at it,
 * `start` runs it with its hooks sent to the app, `stop` ends it and removes the folder.
 */
export class LiveServerUnderTest {
  private server?: Run;

  private constructor(
    readonly dir: string,
    readonly rtmpPort: number,
    readonly hlsPort: number,
    private readonly secret: string,
  ) {}

  static async prepare(secret: string): Promise<LiveServerUnderTest> {
    const dir = await mkdtemp(join(tmpdir(), 'concord-live-'));
    // Started as root, nginx's workers run as nobody and must reach the HLS folder inside.
    await chmod(dir, 0o755);
    return new LiveServerUnderTest(dir, await freePort(), await freePort(), secret);
  }

  get appEnv(): Record<string, string> {
    return {
      LIVE_PROVIDER: 'local',
      LIVE_HOOK_SECRET: this.secret,
      LIVE_LOCAL_RTMP_HOST: `127.0.0.1:${this.rtmpPort}`,
      LIVE_LOCAL_HLS_HOST: `127.0.0.1:${this.hlsPort}`,
    };
  }

  /** Started as `npm run live-server` starts it; resolves once nginx accepts RTMP connections. */
  async start(appUrl: string): Promise<void> {
    const server = run(process.execPath, [LIVE_SERVER_SCRIPT], {
      ...process.env,
      DATA_DIR: this.dir,
      LIVE_RTMP_PORT: String(this.rtmpPort),
      LIVE_HLS_PORT: String(this.hlsPort),
      LIVE_HOOK_URL: `${appUrl}/live/hooks`,
      LIVE_HOOK_SECRET: this.secret,
      LIVE_UPDATE_INTERVAL: '2',
      LIVE_SERVER_LOG_LEVEL: 'error',
    });
    this.server = server;
    await until(
      `nginx listens on ${this.rtmpPort} (${server.output.join('')})`,
      () => accepts(this.rtmpPort),
      15_000,
    );
  }

  async stop(): Promise<void> {
    if (this.server && this.server.child.exitCode === null) {
      this.server.child.kill('SIGTERM');
      await this.server.exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
