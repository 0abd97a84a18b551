// nggirl-cosmetics: GET /nggirl/app/bus/phoneUser/listCosmeticsClass as the artists' app reads it, every request
// signed (HMAC-SHA256, docs/dialects/nggirl.md) with a nonce of its own, so each one writes its nonce to the
// PostgreSQL nonce store (the server runs without REDIS_URL), then checks its session. Artists are seeded users
// given a phone (straight into the table) who sign in through nggirl's own `logon`. Each answer must be
// `{"code":0,…}`: a repeated nonce would answer code 8 and count as an error, so wrk is given more signed paths
// than a run can send (one file line each). Target: ≥ 75% of the `/user/profile` rate of the same run.
import { createHmac, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { CONNECTIONS, DURATION_S, USE_WRK } from '../config.mjs';
import { log, runAutocannon, runWrk } from '../harness.mjs';

const ROUTE = '/nggirl/app/bus/phoneUser/listCosmeticsClass';
const OK = '{"code":0';
/** Signed paths are written for this rate: a run that goes faster reuses the last one, and those count as errors. */
const PLANNED_RATE = 20_000;
/** Artists signed in: the requests rotate over their tokens, as profile reads rotate over the seeded users'. */
const ARTISTS = 50;

export const NGGIRL_TARGET = { shareOfProfile: 0.75 };

/** The app the bench signs as: a secret of its own per run, never written down. */
const app = { id: 'bench', secret: randomBytes(32).toString('base64url') };

/**
 * The server's configuration for this scenario: the bench app, the key of the IM passwords production needs, and no
 * REDIS_URL even where the shell has one (the target is about the PostgreSQL nonce store).
 */
export function nggirlServerEnv() {
  return {
    NGGIRL_APPS: `${app.id}:${app.secret}`,
    IM_SECRET_KEY: randomBytes(32).toString('base64'),
    REDIS_URL: undefined,
  };
}

function signedQuery(params) {
  const all = {
    ...params,
    app_id: app.id,
    nonce: randomBytes(12).toString('base64url'),
    timestamp: String(Math.floor(Date.now() / 1000)),
  };
  // Names and values here are ASCII: byte order is code unit order.
  const canonical = Object.keys(all)
    .sort()
    .map((name) => `${name}=${all[name]}`)
    .join('&');
  const sign = createHmac('sha256', app.secret).update(canonical, 'utf8').digest('hex');
  return new URLSearchParams({ ...all, sign }).toString();
}

async function postForm(url, params) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: params,
    signal: AbortSignal.timeout(30_000),
  });
  return res.json();
}

/** Gives the first ARTISTS seeded users a phone and signs each in through nggirl `logon`; answers their tokens. */
export async function seedNggirlArtists({ baseUrl, users, databaseUrl }) {
  const artists = users.slice(0, ARTISTS);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const [i, user] of artists.entries()) {
      user.phone = `139${String(Date.now() % 10_000).padStart(4, '0')}${String(i).padStart(4, '0')}`;
      await client.query('UPDATE users SET phone = $1 WHERE email = $2', [`+86${user.phone}`, user.email]);
    }
  } finally {
    await client.end();
  }
  log(`signing ${artists.length} artists in through nggirl logon`);
  const tokens = [];
  for (const user of artists) {
    const answer = await postForm(
      `${baseUrl}/nggirl/app/bus/phoneUser/logon`,
      signedQuery({ phoneNum: user.phone, password: user.digest }),
    );
    if (answer.code !== 0) throw new Error(`nggirl logon failed: ${JSON.stringify(answer).slice(0, 200)}`);
    tokens.push(answer.data.accessToken);
  }
  const check = await fetch(`${baseUrl}${ROUTE}?${signedQuery({ accessToken: tokens[0] })}`);
  const text = await check.text();
  if (!text.startsWith(OK)) throw new Error(`a signed listCosmeticsClass answered ${text.slice(0, 200)}`);
  return tokens;
}

/** One signed path per line, for wrk to send each once. */
async function writeSignedPaths(file, tokens, count) {
  const out = createWriteStream(file);
  for (let i = 0; i < count; i++) {
    if (!out.write(`${ROUTE}?${signedQuery({ accessToken: tokens[i % tokens.length] })}\n`)) {
      await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
}

/**
 * `drive` for measure(), and `prepare`, its `afterWarmup`: the timed run's signed paths are written between the
 * warm-up and the timed window, so that signing them counts neither in the run's CPU nor in its wall time, and every
 * timestamp is seconds old when it is sent (300 s allowed).
 */
export function nggirlCosmeticsScenario({ baseUrl, workDir }, tokens) {
  let runs = 0;
  let prepared;
  const write = async (connections, durationS) => {
    const file = join(workDir, `nggirl-paths-${++runs}.txt`);
    await writeSignedPaths(file, tokens, Math.ceil(PLANNED_RATE * durationS) + connections * 4);
    return { file, connections, durationS };
  };
  const prepare = async () => {
    if (USE_WRK) prepared = await write(CONNECTIONS, DURATION_S);
  };
  const drive = async (connections, durationS) => {
    let result;
    if (USE_WRK) {
      const ready =
        prepared?.connections === connections && prepared.durationS === durationS ? prepared : undefined;
      prepared = undefined;
      const pathsFile = (ready ?? (await write(connections, durationS))).file;
      result = await runWrk({
        url: baseUrl,
        connections,
        durationS,
        scriptFile: join(workDir, `nggirl-cosmetics-${runs}-${durationS}.lua`),
        pathsFile,
        okPrefix: OK,
      });
    } else {
      let i = 0;
      result = await runAutocannon({
        url: baseUrl,
        path: ROUTE,
        connections,
        durationS,
        okPrefix: OK,
        // Signed here, one request at a time: autocannon runs in this process.
        setupRequest: (req) => ({
          ...req,
          path: `${ROUTE}?${signedQuery({ accessToken: tokens[i++ % tokens.length] })}`,
        }),
      });
    }
    return [{ label: 'GET nggirl listCosmeticsClass (signed, PostgreSQL nonces)', ...result }];
  };
  return { drive, prepare };
}

export function nggirlTargets(scenarios) {
  const rps = (name) => scenarios.find((s) => s.name === name)?.parts[0]?.rps;
  const nggirl = rps('nggirl-cosmetics');
  const profile = rps('profile');
  if (nggirl === undefined || profile === undefined) return [];
  const share = nggirl / profile;
  const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d });
  return [
    {
      target: `signed nggirl listCosmeticsClass ≥ ${NGGIRL_TARGET.shareOfProfile * 100}% of /user/profile`,
      result: `${fmt(share * 100, 1)}% (${fmt(nggirl)} of ${fmt(profile)} req/s)`,
      met: share >= NGGIRL_TARGET.shareOfProfile,
    },
  ];
}
