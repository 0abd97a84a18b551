#!/usr/bin/env node
// `npm run live-server`: Concord's local streaming server. Writes an nginx configuration with the RTMP module under
// DATA_DIR and runs nginx in the foreground with it (`nginx -p <dir> -c <conf>`: never the system's configuration,
// no path outside <dir>). nginx asks Concord, through its on_publish / on_update / on_publish_done callbacks, whether
// a stream may be published, and tells it when publishing stops (src/live/controllers/live-hooks.controller.ts).
//
// Settings (environment; the names Concord reads are the same):
//   DATA_DIR                ./.data      the live server's folder is $DATA_DIR/live-server (LIVE_SERVER_DIR overrides)
//   LIVE_RTMP_BIND          127.0.0.1    where RTMP listens; 0.0.0.0 to take publishers from other machines
//   LIVE_RTMP_PORT          1935
//   LIVE_LOCAL_APP          live         the RTMP application: rtmp://<host>/<app>/<stream key>?key=<publish key>
//   LIVE_HLS_PORT           (none)       set to serve HLS at http://<LIVE_HTTP_BIND>:<port>/<app>/<stream key>.m3u8
//   LIVE_HTTP_BIND          127.0.0.1
//   LIVE_HOOK_URL           http://127.0.0.1:$PORT/live/hooks (PORT: Concord's, 3000 by default)
//   LIVE_HOOK_SECRET        (generated)  shared with Concord; unset, both read $DATA_DIR/live-hook-secret
//   LIVE_UPDATE_INTERVAL    30           seconds between on_update calls; keep it below Concord's LIVE_HEARTBEAT_TIMEOUT
//   LIVE_SERVER_LOG_LEVEL   warn         nginx's error_log level (written to stderr)
//   NGINX_BIN               nginx
//   NGINX_RTMP_MODULE       (found)      path of ngx_rtmp_module.so, or `none` for an nginx built with the module
// `--config-only` writes the configuration, prints its path and exits.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const env = process.env;

function fail(message) {
  console.error(`live-server: ${message}`);
  process.exit(2);
}

function setting(name, fallback, pattern, what) {
  const value = env[name] === undefined || env[name] === '' ? fallback : env[name];
  if (value !== undefined && pattern && !pattern.test(value)) fail(`${name} must be ${what}, got "${value}"`);
  return value;
}

const PORT = /^\d{1,5}$/;
const ADDRESS = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)$/;

const dataDir = resolve(setting('DATA_DIR', './.data'));
const dir = resolve(setting('LIVE_SERVER_DIR', join(dataDir, 'live-server')));
const rtmpBind = setting('LIVE_RTMP_BIND', '127.0.0.1', ADDRESS, 'an address');
const rtmpPort = setting('LIVE_RTMP_PORT', '1935', PORT, 'a port');
const app = setting('LIVE_LOCAL_APP', 'live', /^[A-Za-z0-9_-]{1,64}$/, '1-64 letters, digits, _ or -');
const hlsPort = setting('LIVE_HLS_PORT', undefined, PORT, 'a port');
const httpBind = setting('LIVE_HTTP_BIND', '127.0.0.1', ADDRESS, 'an address');
const hookUrl = setting(
  'LIVE_HOOK_URL',
  `http://127.0.0.1:${setting('PORT', '3000', PORT, 'a port')}/live/hooks`,
  // nginx-rtmp calls plain HTTP only; the URL goes into the configuration, so nothing that could end a directive.
  /^http:\/\/[A-Za-z0-9.:[\]-]+(\/[A-Za-z0-9._~/-]*)?$/,
  'an http:// URL without query',
);
const updateInterval = setting('LIVE_UPDATE_INTERVAL', '30', /^\d{1,4}$/, 'a number of seconds');
const logLevel = setting(
  'LIVE_SERVER_LOG_LEVEL',
  'warn',
  /^(debug|info|notice|warn|error|crit)$/,
  'an nginx log level',
);
const nginx = setting('NGINX_BIN', 'nginx');

/** The same file Concord generates in development (src/live/live-config.ts): whoever starts first writes it. */
function hookSecret() {
  if (env.LIVE_HOOK_SECRET) return env.LIVE_HOOK_SECRET;
  const file = join(dataDir, 'live-hook-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 24) fail(`${file} holds fewer than 24 characters; delete it or set LIVE_HOOK_SECRET`);
  return secret;
}

function rtmpModule() {
  const configured = env.NGINX_RTMP_MODULE;
  if (configured === 'none') return undefined;
  if (configured) return resolve(configured);
  const candidates = [
    '/usr/lib/nginx/modules/ngx_rtmp_module.so',
    '/usr/lib64/nginx/modules/ngx_rtmp_module.so',
    '/usr/share/nginx/modules/ngx_rtmp_module.so',
  ];
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    fail(
      'the nginx RTMP module was not found (Debian: apt-get install nginx libnginx-mod-rtmp); ' +
        'set NGINX_RTMP_MODULE to its path, or to none for an nginx built with it',
    );
  }
  return found;
}

/** Quoted for nginx's configuration; every value is checked above, this only keeps paths with spaces whole. */
const q = (text) => `"${text.replace(/(["\\])/g, '\\$1')}"`;

const secret = hookSecret();
// The secret travels as a query parameter that Concord's request log redacts (`secret`).
const callback = `${hookUrl}?secret=${encodeURIComponent(secret)}`;
const hlsDir = join(dir, 'hls');
const tempDir = join(dir, 'tmp');
const module = rtmpModule();

const lines = [
  '# Written by scripts/live-server.mjs at every start: change its settings, not this file.',
  ...(module ? [`load_module ${q(module)};`] : []),
  'daemon off;',
  // One worker: nginx-rtmp keeps a live stream inside the worker that received it.
  'worker_processes 1;',
  `pid ${q(join(dir, 'nginx.pid'))};`,
  `lock_file ${q(join(dir, 'nginx.lock'))};`,
  `error_log stderr ${logLevel};`,
  'events { worker_connections 1024; }',
  'rtmp {',
  '  server {',
  `    listen ${rtmpBind}:${rtmpPort};`,
  '    chunk_size 4096;',
  '    notify_method post;',
  `    application ${app} {`,
  '      live on;',
  '      record off;',
  '      drop_idle_publisher 10s;',
  // Any 2xx allows; anything else refuses the publish (on_publish) or cuts it (on_update).
  `      on_publish ${q(callback)};`,
  `      on_update ${q(callback)};`,
  `      notify_update_timeout ${updateInterval}s;`,
  `      on_publish_done ${q(callback)};`,
  ...(hlsPort
    ? [
        '      hls on;',
        `      hls_path ${q(hlsDir)};`,
        '      hls_fragment 2s;',
        '      hls_playlist_length 10s;',
      ]
    : []),
  '    }',
  '  }',
  '}',
];
if (hlsPort) {
  lines.push(
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (kind) => `  ${kind}_temp_path ${q(join(tempDir, kind))};`,
    ),
    '  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }',
    '  server {',
    `    listen ${httpBind}:${hlsPort};`,
    `    location /${app}/ {`,
    `      alias ${q(`${hlsDir}/`)};`,
    '      add_header Cache-Control no-cache;',
    "      add_header Access-Control-Allow-Origin '*';",
    '    }',
    '  }',
    '}',
  );
}

mkdirSync(dir, { recursive: true, mode: 0o700 });
const conf = join(dir, 'nginx.conf');
// The configuration holds the hook secret: readable by its owner only.
writeFileSync(conf, `${lines.join('\n')}\n`, { mode: 0o600 });
if (hlsPort) {
  mkdirSync(hlsDir, { recursive: true });
  mkdirSync(tempDir, { recursive: true });
  // Started as root, nginx's workers run as nobody and must write the HLS fragments and temporary files.
  if (process.getuid?.() === 0) {
    const nobody = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .find((fields) => fields[0] === 'nobody');
    if (nobody) {
      // They may pass through the server's folder (not read it: the configuration stays root's) into theirs.
      chownSync(dir, 0, Number(nobody[3]));
      chmodSync(dir, 0o710);
      for (const path of [hlsDir, tempDir]) chownSync(path, Number(nobody[2]), Number(nobody[3]));
    }
  }
}

if (process.argv.includes('--config-only')) {
  console.log(conf);
  process.exit(0);
}

console.error(
  `live-server: rtmp://${rtmpBind}:${rtmpPort}/${app}/<stream key>?key=<publish key>` +
    (hlsPort ? `, HLS at http://${httpBind}:${hlsPort}/${app}/<stream key>.m3u8` : '') +
    `, callbacks to ${hookUrl}`,
);
const child = spawn(nginx, ['-p', `${dir}/`, '-c', conf], { stdio: ['ignore', 'inherit', 'inherit'] });
child.on('error', (error) => fail(`could not start ${nginx}: ${error.message}`));
// nginx stops quickly on SIGTERM and gracefully on SIGQUIT; pass on what we receive.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGQUIT']) {
  process.on(signal, () => child.kill(signal === 'SIGINT' ? 'SIGTERM' : signal));
}
child.on('exit', (code) => process.exit(code ?? 1));
