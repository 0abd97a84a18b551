// feed-list: GET /feed/list as signed-in callers (rotating tokens), pages of 20 feeds with their authors and
// `access`, over BENCH_FEEDS seeded feeds (1,000,000; seeded once per bench database, see seedFeeds in seed.mjs):
// the first page, then a deep page (maxId near the oldest end), each timed on its own. wrk when on PATH, else
// autocannon. Every request carries nuzzle's common parameters, as real clients send them.
import { join } from 'node:path';
import { COMMON, FEED_PAGE_SIZE, TARGET, USE_WRK } from '../config.mjs';
import { runAutocannon, runWrk } from '../harness.mjs';

export function feedListPath(maxId) {
  const params = { ...COMMON, size: String(FEED_PAGE_SIZE), ...(maxId ? { maxId } : {}) };
  return `/feed/list?${new URLSearchParams(params)}`;
}

/** Reads of one page (`maxId` undefined: the first) for `durationS` at `connections`, each with the next token. */
function pageReads({ baseUrl, users, workDir }, maxId, file) {
  const tokens = users.map((u) => u.token);
  const path = feedListPath(maxId);
  return (connections, durationS) =>
    USE_WRK
      ? runWrk({
          url: baseUrl,
          connections,
          durationS,
          scriptFile: join(workDir, `${file}-${connections}.lua`),
          requests: tokens.map((token) => ({ method: 'GET', path, headers: { Authorization: token } })),
        })
      : (() => {
          let i = 0;
          return runAutocannon({
            url: baseUrl,
            path,
            connections,
            durationS,
            setupRequest: (req) => ({
              ...req,
              headers: { ...req.headers, authorization: tokens[i++ % tokens.length] },
            }),
          });
        })();
}

export function feedListFirstScenario(target) {
  const reads = pageReads(target, undefined, 'feed-first');
  return async (connections, durationS) => [
    { label: `GET /feed/list size=${FEED_PAGE_SIZE}`, ...(await reads(connections, durationS)) },
  ];
}

export function feedListDeepScenario(target, deepMaxId) {
  const reads = pageReads(target, deepMaxId, 'feed-deep');
  return async (connections, durationS) => [
    {
      label: `GET /feed/list size=${FEED_PAGE_SIZE} maxId=${deepMaxId}`,
      ...(await reads(connections, durationS)),
    },
  ];
}

/** One request of each page before any timing: a full page of feeds with authors and `access`, or fail at once. */
export async function preflightFeedList(baseUrl, user, deepMaxId) {
  for (const maxId of [undefined, deepMaxId]) {
    const res = await fetch(`${baseUrl}${feedListPath(maxId)}`, {
      headers: { authorization: user.token },
      signal: AbortSignal.timeout(10_000),
    });
    const body = await res.json().catch(() => undefined);
    const page = body?.data;
    const complete =
      body?.ret === 200 &&
      Array.isArray(page) &&
      page.length === FEED_PAGE_SIZE &&
      page.every((f) => typeof f.access === 'boolean' && typeof f.authorUserInfo?.nickname === 'string');
    if (!complete) {
      throw new Error(
        `GET ${feedListPath(maxId)} did not answer a full page: ${JSON.stringify(body).slice(0, 300)}`,
      );
    }
  }
}

/** The targets for both pages: requests per second at the run's connections, and the server's RSS. */
export function feedListTargets(scenarios, connections) {
  const targets = [];
  for (const name of ['feed-list first', 'feed-list deep']) {
    const s = scenarios.find((x) => x.name === name);
    if (!s) continue;
    const part = s.parts[0];
    targets.push({
      target: `${name} page ≥ ${TARGET.feedListRps.toLocaleString('en-US')} req/s at ${connections} connections`,
      result: `${Math.round(part.rps).toLocaleString('en-US')} req/s`,
      met: part.rps >= TARGET.feedListRps,
    });
    const peakMb = s.memory.peakKb === undefined ? undefined : s.memory.peakKb / 1024;
    targets.push({
      target: `${name} page: server RSS < ${TARGET.feedListRssMb} MB`,
      result: peakMb === undefined ? '-' : `${Math.round(peakMb)} MB peak`,
      met: peakMb === undefined ? undefined : peakMb < TARGET.feedListRssMb,
    });
  }
  return targets;
}
