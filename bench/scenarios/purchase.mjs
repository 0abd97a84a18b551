// purchase: POST /pay/view, every request a new purchase of a paid video (a new buyer-and-feed pair), at
// BENCH_CONNECTIONS. Two shapes of the same load:
//   purchase             distinct buyers of distinct authors: consecutive requests (all those in flight at once)
//                        name different buyers and different authors
//   purchase-one-author  distinct buyers of one author: every purchase credits the same income account, and the
//                        requests in flight at once buy the same video
// Buyers are the seeded users, given coins by an operator's grant (POST /admin/users/{id}/coins: a ledger posting
// against the promotions account); authors and their paid videos are written straight into the tables (a purchase
// never reads a video's file). Each answer must be `{ret:200,…}`: a pair bought twice would answer USER_BOUGHT and
// count as an error, so the pairs are planned for more requests than the run can send.
import { join } from 'node:path';
import pg from 'pg';
import { COMMON, CONNECTIONS, DURATION_S, runId, USE_WRK, WARMUP_S } from '../config.mjs';
import { log, runAutocannon, runWrk } from '../harness.mjs';

/** Whole coins per video. */
const PRICE = 10;
/** Authors of the distinct-authors shape: more than the connections, so requests in flight never share one. */
const MIN_AUTHORS = 64;
/** The pairs are planned for this rate: a run that goes faster wraps around and reports USER_BOUGHT errors. */
const PLANNED_RATE = 3000;

/** An untimed run before the first purchase scenario (see purchaseScenarios). */
const SHARED_WARMUP_S = 3;

export const PURCHASE_TARGET = { rps: 800, oneAuthorShare: 0.7 };

/**
 * One shape: request i is buyer `i mod B` buying feed `round(i)` of author `authorOf(i)`, round = floor(i / B), so
 * no pair repeats until every buyer bought `rounds` videos.
 */
function plan({ name, tokens, feedsByAuthor, authorOf }) {
  const buyers = tokens.length;
  const rounds = Math.min(...feedsByAuthor.map((f) => f.length));
  const capacity = buyers * rounds;
  let cursor = 0;
  const next = () => {
    const i = cursor++;
    if (i === capacity) log(`${name}: every planned purchase was sent; repeats will answer USER_BOUGHT`);
    const wrapped = i % capacity;
    const buyer = wrapped % buyers;
    const round = Math.floor(wrapped / buyers);
    return { token: tokens[buyer], feedId: feedsByAuthor[authorOf(buyer)][round] };
  };
  const request = ({ token, feedId }) => ({
    method: 'POST',
    path: '/pay/view',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({ type: 'video', id: feedId, ...COMMON }),
  });
  return { name, next, request, capacity };
}

/** Pairs one wrk run is given: more than it can send at the planned rate (the rest are never used). */
const wrkSlice = (connections, durationS) => Math.ceil(PLANNED_RATE * durationS) + connections * 4;

/** Drives one planned shape; wrk gets a fresh slice of the plan per run, autocannon takes the next pair per request. */
function purchases(shape, workDir) {
  return async (connections, durationS) => {
    let result;
    if (USE_WRK) {
      const requests = Array.from({ length: wrkSlice(connections, durationS) }, () =>
        shape.request(shape.next()),
      );
      result = await runWrk({
        url: shape.baseUrl,
        connections,
        durationS,
        scriptFile: join(workDir, `${shape.name}-${connections}-${durationS}.lua`),
        requests,
      });
    } else {
      result = await runAutocannon({
        url: shape.baseUrl,
        method: 'POST',
        path: '/pay/view',
        connections,
        durationS,
        setupRequest: (req) => {
          const r = shape.request(shape.next());
          return { ...req, headers: { ...req.headers, ...r.headers }, body: r.body };
        },
      });
    }
    return [{ label: `POST /pay/view (${shape.name})`, ...result }];
  };
}

async function postJson(url, payload, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

/**
 * Seeds both shapes: authors and their paid videos, and coins for every buyer, enough for the planned purchases of
 * both. Answers `{ purchase, 'purchase-one-author' }`, each a scenario for measure().
 */
export async function purchaseScenarios({ baseUrl, users, workDir, databaseUrl, scenarios }) {
  const shapes = scenarios.filter((s) => s === 'purchase' || s === 'purchase-one-author');
  // Each timed run is preceded by a warm-up of at least a second (measure.mjs); both take pairs from one plan, and
  // one purchase checks the route first.
  const warmupS = Math.max(1, WARMUP_S);
  const planned =
    wrkSlice(CONNECTIONS, SHARED_WARMUP_S) +
    wrkSlice(CONNECTIONS, warmupS) +
    wrkSlice(CONNECTIONS, DURATION_S) +
    1;
  const perBuyer = Math.ceil(planned / users.length) + 1;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const emails = users.map((u) => u.email);
    const { rows: found } = await client.query('SELECT id, email FROM users WHERE email = ANY($1)', [emails]);
    const idOf = new Map(found.map((r) => [r.email, String(r.id)]));

    // An operator, as `npm run cli -- create-admin` makes one, to grant the coins through the ledger.
    const { createAdmin } = await import('../../dist/src/admin/admin-accounts.js');
    const admin = { email: `bench-ops-${runId}@example.com`, password: `bench-ops-${runId}-password` };
    await createAdmin(client, { ...admin, actor: 'bench' });
    const session = await postJson(`${baseUrl}/admin/session`, admin);
    if (!session.body?.token) throw new Error(`admin sign-in failed: ${JSON.stringify(session.body)}`);
    const coins = perBuyer * PRICE * shapes.length;
    log(`granting ${coins} coins to each of ${users.length} buyers (POST /admin/users/{id}/coins)`);
    let next = 0;
    const grant = async () => {
      while (next < users.length) {
        const id = idOf.get(users[next++].email);
        const res = await postJson(
          `${baseUrl}/admin/users/${id}/coins`,
          { amount: coins, reason: 'benchmark purchases' },
          { authorization: `Bearer ${session.body.token}` },
        );
        if (res.status !== 200) throw new Error(`grant failed: ${res.status} ${JSON.stringify(res.body)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, grant));

    const seedAuthors = async (count, feedsEach) => {
      const { rows: authors } = await client.query(
        `INSERT INTO users (email, nickname, type, reg_done, created_at, updated_at)
         SELECT 'bench-author-' || $1::text || '-' || g || '@seed.invalid', 'Author ' || g, 'star', true, now(), now()
           FROM generate_series(1, $2::int) g RETURNING id`,
        [`${runId}-${count}`, count],
      );
      const ids = authors.map((a) => String(a.id));
      const { rows: feeds } = await client.query(
        `INSERT INTO feeds (author_id, type, photo_key, video_key, width, height, duration, words, free, price,
                            created_at)
         SELECT a.id, 'video', 'u/' || a.id || '/bench-' || g || '.jpg', 'u/' || a.id || '/bench-' || g || '.mp4',
                320, 240, 30, 'bench', false, $3, now()
           FROM unnest($1::bigint[]) AS a (id) CROSS JOIN generate_series(1, $2::int) g
          ORDER BY a.id, g
         RETURNING id, author_id`,
        [ids, feedsEach, PRICE],
      );
      const byAuthor = new Map(ids.map((id) => [id, []]));
      for (const f of feeds) byAuthor.get(String(f.author_id)).push(String(f.id));
      return ids.map((id) => byAuthor.get(id));
    };

    const tokens = users.map((u) => u.token);
    const built = {};
    if (shapes.includes('purchase')) {
      const count = Math.max(MIN_AUTHORS, 2 * CONNECTIONS);
      const feedsByAuthor = await seedAuthors(count, perBuyer);
      log(`seeded ${count} authors with ${perBuyer} paid videos each`);
      built.purchase = plan({
        name: 'purchase',
        tokens,
        feedsByAuthor,
        authorOf: (buyer) => buyer % count,
      });
    }
    if (shapes.includes('purchase-one-author')) {
      const feedsByAuthor = await seedAuthors(1, perBuyer);
      log(`seeded one author with ${perBuyer} paid videos`);
      built['purchase-one-author'] = plan({
        name: 'purchase-one-author',
        tokens,
        feedsByAuthor,
        authorOf: () => 0,
      });
    }
    await client.query('ANALYZE users');
    await client.query('ANALYZE feeds');

    // One purchase of each shape before any timing, so a broken route fails in a second with a clear message.
    const scenarioOf = {};
    for (const [name, shape] of Object.entries(built)) {
      shape.baseUrl = baseUrl;
      const probe = shape.request(shape.next());
      const res = await fetch(`${baseUrl}${probe.path}`, {
        method: 'POST',
        headers: probe.headers,
        body: probe.body,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      if (!text.startsWith('{"ret":200'))
        throw new Error(`${name}: POST /pay/view answered ${text.slice(0, 200)}`);
      scenarioOf[name] = purchases(shape, workDir);
    }
    // The first purchases of the server's life pay for V8's compilation of the whole path; one scenario's own
    // warm-up (a second on a short run) does not cover it, and the first shape measured would pay for both.
    const [first] = Object.keys(scenarioOf);
    if (first) {
      log(`purchases: shared warm-up ${SHARED_WARMUP_S} s (${first})`);
      await scenarioOf[first](CONNECTIONS, SHARED_WARMUP_S);
    }
    return scenarioOf;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Each target beside its result: the first shape's rate, and the one-author shape's share of it. */
export function purchaseTargets(scenarios) {
  const rps = (name) => scenarios.find((s) => s.name === name)?.parts[0]?.rps;
  const distinct = rps('purchase');
  const one = rps('purchase-one-author');
  const targets = [];
  const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d });
  if (distinct !== undefined) {
    targets.push({
      target: `purchases (distinct buyers of distinct authors) ≥ ${PURCHASE_TARGET.rps}/s`,
      result: `${fmt(distinct)}/s`,
      met: distinct >= PURCHASE_TARGET.rps,
    });
  }
  if (distinct !== undefined && one !== undefined) {
    const share = one / distinct;
    targets.push({
      target: `purchases of one author ≥ ${PURCHASE_TARGET.oneAuthorShare * 100}% of distinct authors`,
      result: `${fmt(share * 100, 1)}% (${fmt(one)}/s)`,
      met: share >= PURCHASE_TARGET.oneAuthorShare,
    });
  }
  return targets;
}
