// The users the scenarios sign in as, registered through the API as clients register, the feeds the feed-list
// scenario lists (straight into the database), and a first request of each kind before any timing.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { COMMON, FEED_DEEP_OFFSET, md5, PROFILE_PATH, ROOT, runId } from './config.mjs';
import { log, OK_PREFIX } from './harness.mjs';

export async function seedUsers(baseUrl, count) {
  const users = new Array(count);
  let next = 0;
  // A few at a time: registration hashes, and the server caps hashing at the core count anyway.
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const email = `bench-${runId}-u${i}@example.com`;
      const digest = md5(`concord-bench-${runId}-${i}`);
      const body = await postJson(`${baseUrl}/passport/email/register`, {
        email,
        password: digest,
        nickname: `bench${i}`,
      });
      if (body.ret !== 200 || typeof body.data?.token !== 'string') {
        throw new Error(`seeding user ${i} failed: ${JSON.stringify(body).slice(0, 200)}`);
      }
      users[i] = { email, digest, token: body.data.token };
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return users;
}

async function postJson(url, payload, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${url} answered HTTP ${res.status} with a non-JSON body: ${text.slice(0, 200)}`);
  }
}

/** One request of each kind before any timing, so a broken route fails in a second with a clear message. */
export async function preflight(baseUrl, user) {
  const res = await fetch(`${baseUrl}${PROFILE_PATH}`, {
    headers: { authorization: user.token },
    signal: AbortSignal.timeout(10_000),
  });
  const profile = await res.text();
  if (!profile.startsWith(OK_PREFIX))
    throw new Error(`GET /user/profile with a seeded token answered ${profile.slice(0, 200)}`);
  const res2 = await fetch(`${baseUrl}/passport/email/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.digest, ...COMMON }),
    signal: AbortSignal.timeout(30_000),
  });
  const login = await res2.text();
  if (!login.startsWith(OK_PREFIX)) throw new Error(`login of a seeded user answered ${login.slice(0, 200)}`);
  // The stand-in that answers the load generator while the bound is measured gives this same answer.
  return { loginAnswer: login };
}

/** Feeds the lists show: neither deleted nor hidden, by an account that is not closed (src/feeds/feeds.repository.ts). */
const LISTED = `f.deleted_at IS NULL AND f.hidden_at IS NULL AND u.status <> 'closed'`;

/**
 * Makes sure the database holds at least `count` listed feeds, seeding the missing ones with bench/seed-feeds.sql
 * (one INSERT … SELECT; about a minute for 1,000,000 on a shared 2-core machine): seeded once per bench database,
 * reused as they are when a database (DATABASE_URL) already has them. Answers the deep page's `maxId`: the id
 * FEED_DEEP_OFFSET listed feeds above the oldest, so the page below it is full and near the end of the list.
 */
export async function seedFeeds(databaseUrl, count, authors) {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const listed = async () =>
      (
        await client.query(
          `SELECT count(*)::int AS n FROM feeds f JOIN users u ON u.id = f.author_id WHERE ${LISTED}`,
        )
      ).rows[0].n;
    const present = await listed();
    if (present >= count) {
      log(`feed-list: ${present.toLocaleString('en-US')} listed feeds present, reused`);
    } else {
      const missing = count - present;
      log(
        `feed-list: seeding ${missing.toLocaleString('en-US')} feeds over ${authors} authors (bench/seed-feeds.sql)`,
      );
      const started = performance.now();
      await client.query(await readFile(join(ROOT, 'bench', 'seed-feeds.sql'), 'utf8'));
      await client.query('SELECT concord_seed_feeds($1, $2)', [missing, authors]);
      // Otherwise autovacuum takes on the million new rows during the first timed run (PostgreSQL vacuums after
      // inserts too), and the first reads of each page set the rows' hint bits: both are costs of seeding.
      await client.query('VACUUM (ANALYZE) feeds, users');
      log(`feed-list: seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    const { rows } = await client.query(
      `SELECT f.id::text AS id FROM feeds f JOIN users u ON u.id = f.author_id WHERE ${LISTED}
        ORDER BY f.id ASC OFFSET $1 LIMIT 1`,
      [FEED_DEEP_OFFSET],
    );
    if (!rows[0]) throw new Error(`fewer than ${FEED_DEEP_OFFSET} listed feeds: no deep page`);
    return { listed: await listed(), deepMaxId: rows[0].id };
  } finally {
    await client.end().catch(() => {});
  }
}
