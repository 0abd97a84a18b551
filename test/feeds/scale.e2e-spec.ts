import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { MAX_PAGE_ROWS } from '#src/database/hot-statements.js';
import { FEED_STATEMENTS, NO_MAX_ID } from '#src/feeds/feeds.repository.js';
import { STAR_STATEMENTS } from '#src/stars/stars.repository.js';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { seedFeeds } from '#test/helpers/seed-feeds.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const SEEDED = 200_000;

type PlanMode = 'custom' | 'generic';
const MODES: PlanMode[] = ['custom', 'generic'];

interface PlanNode {
  'Node Type': string;
  'Plan Rows': number;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/**
 * Lists cost the same whatever the page size (a constant number of queries: no query per item) and whatever the
 * depth (keyset over partial indexes: no offset, no sort). Queries are counted at the driver, on the pool the app
 * really uses; plans are read from PostgreSQL itself over 200,000 seeded feeds.
 */
describe('feed lists at scale', () => {
  let t: TestApp;
  let viewer: NuzzleTestUser;
  let star: string;
  let queries: string[] | undefined;
  let restore: () => void;

  beforeAll(async () => {
    t = await createTestApp();
    viewer = await registerNuzzleUser(t);
    await seedFeeds(t.db, SEEDED, 200);
    const rows = await t.db.query<Array<{ id: string }>>(
      `SELECT author_id AS id FROM feeds GROUP BY author_id ORDER BY count(*) DESC, author_id LIMIT 1`,
    );
    star = rows[0].id;
    // Count every statement any pooled connection runs while a request is in flight.
    // Every pooled connection is a pg.Client: counting on its prototype sees them all, the database untouched.
    const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = prototype.query;
    prototype.query = function (this: unknown, ...args: unknown[]) {
      const first = args[0] as string | { text?: string; name?: string };
      queries?.push(typeof first === 'string' ? first : (first.name ?? first.text ?? '?'));
      return original.apply(this, args);
    };
    restore = () => {
      prototype.query = original;
    };
  }, 180_000);
  afterAll(async () => {
    restore?.();
    await t.close();
  });

  async function countQueries(run: () => Promise<{ body: { ret: number } }>): Promise<string[]> {
    queries = [];
    const res = await run();
    const seen = queries;
    queries = undefined;
    expect(res.body.ret).toBe(200);
    return seen;
  }

  const endpoints: Array<[string, (size: number) => Promise<{ body: { ret: number } }>]> = [
    ['/feed/list', (size) => t.http.get('/feed/list').query({ size }).set('Authorization', viewer.token)],
    [
      '/star/feed/list',
      (size) =>
        t.http
          .post('/star/feed/list')
          .type('form')
          .send({ userId: star, size })
          .set('Authorization', viewer.token),
    ],
    [
      '/star/feed/tag/list',
      (size) =>
        t.http.get('/star/feed/tag/list').query({ userId: star, size }).set('Authorization', viewer.token),
    ],
    [
      '/star/list',
      (size) => t.http.post('/star/list').type('form').send({ size }).set('Authorization', viewer.token),
    ],
  ];

  it.each(endpoints)('should run as many queries for 50 items as for 6 on %s', async (_path, call) => {
    // Whether the viewer bought each paid feed is read by the page statement itself: no lookup per page either.
    await call(6); // warm up: the session's sliding touch, prepared statements
    const small = await countQueries(() => call(6));
    const large = await countQueries(() => call(50));
    expect(large).toEqual(small);
    // The session check, the star's own row on the star pages, the page with its access.
    expect(large.length).toBeLessThanOrEqual(3);
  });

  let probes = 0;
  /**
   * The plan of a page statement as the app runs it: a named statement, planned for its values the first times
   * (`custom`) and then, as PostgreSQL prefers once it has seen a few, once without them (`generic`).
   */
  async function explain(text: string, values: unknown[], mode: PlanMode): Promise<PlanNode> {
    return t.db.transaction(async (em) => {
      const name = `scale_probe_${++probes}`;
      await em.query(`SET LOCAL plan_cache_mode = force_${mode}_plan`);
      await em.query(`PREPARE ${name} AS ${text}`);
      const literals = values.map((v) => `'${String(v).replace(/'/g, "''")}'`).join(', ');
      const rows = await em.query<Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE ${name}(${literals})`,
      );
      await em.query(`DEALLOCATE ${name}`);
      return rows[0]['QUERY PLAN'][0].Plan;
    });
  }

  const buffers = (plan: PlanNode) =>
    nodesOf(plan).reduce((sum, n) => sum + (n['Shared Hit Blocks'] ?? 0) + (n['Shared Read Blocks'] ?? 0), 0);

  /** Index scans of `feeds` only (by `index` when given), nothing sorted, never the whole table read. */
  function expectIndexRange(plan: PlanNode, index?: string): void {
    const nodes = nodesOf(plan);
    const onFeeds = nodes.filter((n) => n['Relation Name'] === 'feeds');
    expect(onFeeds.length).toBeGreaterThan(0);
    for (const node of onFeeds) {
      expect(node['Node Type']).toBe('Index Scan');
      if (index) expect(node['Index Name']).toBe(index);
    }
    expect(nodes.map((n) => n['Node Type'])).not.toContain('Sort');
    // Whether the viewer bought a paid feed: read through the ledger's entitlement index (the viewer's purchases, or
    // one probe per paid feed), never a scan of every purchase.
    expect(nodes.some((n) => n['Index Name'] === 'coin_purchases_entitlement')).toBe(true);
    expect(
      nodes.filter((n) => n['Relation Name'] === 'coin_purchases').map((n) => n['Node Type']),
    ).not.toContain('Seq Scan');
  }

  /**
   * Planned for a page, not for a tenth of the table: that is what PostgreSQL assumes of `LIMIT $n` without its value,
   * and over a million feeds it then sized the plan's memoize cache for 100,000 authors on every execution.
   */
  function expectPlannedForAPage(plan: PlanNode): void {
    expect(plan['Plan Rows']).toBeLessThanOrEqual(MAX_PAGE_ROWS);
  }

  const pages = [
    [
      'everyone’s feeds',
      FEED_STATEMENTS.newest.text,
      'feeds_pkey',
      (maxId: string) => [maxId, 20, viewer.id],
    ],
    [
      'one author’s feeds',
      FEED_STATEMENTS.byAuthor.text,
      'feeds_author_listed_idx',
      (maxId: string) => [star, maxId, 20, viewer.id],
    ],
    [
      'one author’s tagged feeds',
      FEED_STATEMENTS.taggedByAuthor.text,
      'feeds_author_tagged_idx',
      (maxId: string) => [star, maxId, 20, viewer.id],
    ],
  ] as const;

  it.each(MODES.flatMap((mode) => pages.map(([label, ...rest]) => [label, mode, ...rest] as const)))(
    'should read a deep page of %s like the first (%s plan): an index range, no sort',
    async (_label, mode, text, index, values) => {
      const deep = await t.db.query<Array<{ id: string }>>(
        `SELECT id FROM feeds ORDER BY id DESC OFFSET $1 LIMIT 1`,
        [Math.floor(SEEDED * 0.9)],
      );
      const first = await explain(text, values(NO_MAX_ID), mode);
      const deepPlan = await explain(text, values(deep[0].id), mode);
      expectIndexRange(first, index);
      expectIndexRange(deepPlan, index);
      expectPlannedForAPage(first);
      expect(buffers(deepPlan)).toBeLessThanOrEqual(buffers(first) + 10);
    },
  );

  it.each(MODES)('should read a deep page of stars like the first (%s plan)', async (mode) => {
    const stars = await t.db.query<Array<{ id: string }>>(
      `SELECT id FROM users WHERE type = 'star' ORDER BY id DESC OFFSET 150 LIMIT 1`,
    );
    const first = await explain(STAR_STATEMENTS.list.text, [viewer.id, NO_MAX_ID, 20], mode);
    const deep = await explain(STAR_STATEMENTS.list.text, [viewer.id, stars[0].id, 20], mode);
    expectPlannedForAPage(first);
    for (const plan of [first, deep]) {
      expect(nodesOf(plan).some((n) => n['Index Name'] === 'users_stars_idx')).toBe(true);
      expect(nodesOf(plan).map((n) => n['Node Type'])).not.toContain('Sort');
      // Each star's three covers come from its own index range, not a scan of every feed.
      expect(
        nodesOf(plan)
          .filter((n) => n['Relation Name'] === 'feeds')
          .map((n) => n['Index Name']),
      ).toEqual(['feeds_author_listed_idx']);
    }
    expect(buffers(deep)).toBeLessThanOrEqual(buffers(first) + 10);
  });
});
