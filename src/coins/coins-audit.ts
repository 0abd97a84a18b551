import { coinsFromDb, type AccountKind, type Currency } from '#src/coins/ledger-types.js';

/** Runs one statement and answers its rows: a TypeORM EntityManager's `query`, or a pg client's adapted. */
export type AuditQuery = <R = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>;

/** At most this many of each kind of finding are listed (the counts are exact). */
const LIST_LIMIT = 1000;

export interface BalanceDifference {
  accountId: string;
  kind: AccountKind;
  userId: string | null;
  currency: Currency;
  cached: number;
  fromEntries: number;
}

export interface CoinsAuditReport {
  /** No finding at all. */
  ok: boolean;
  checkedAt: string;
  counts: { accounts: number; postings: number; entries: number; purchases: number };
  /** Cached balances (wallets, debts) that differ from the sum of their entries. */
  balanceDifferences: { count: number; items: BalanceDifference[] };
  /** Postings whose entries do not sum to zero in some currency. */
  unbalancedPostings: { count: number; items: Array<{ postingId: string; currency: Currency; sum: number }> };
  /** Postings without any entry. */
  emptyPostings: { count: number; items: string[] };
  /** Entries naming an account that does not exist. */
  orphanEntries: { count: number; items: string[] };
  /** Purchases whose posting did not take the price from the buyer's wallet and the seller's amount to their income. */
  purchaseMismatches: { count: number; items: string[] };
  /** A wallet below zero or a debt above zero (the CHECK constraints make this impossible; listed if it happens). */
  boundViolations: { count: number; items: Array<{ accountId: string; kind: AccountKind; balance: number }> };
  /** Per currency and kind of account, the sum of balances (system accounts by name): what is outstanding where. */
  totals: Array<{ currency: Currency; kind: AccountKind; name: string | null; balance: number }>;
}

async function finding<T>(
  query: AuditQuery,
  sql: string,
  map: (row: Record<string, unknown>) => T,
): Promise<{ count: number; items: T[] }> {
  const rows = await query(
    `SELECT f.*, count(*) OVER () AS "totalCount" FROM (${sql}) f LIMIT ${LIST_LIMIT}`,
  );
  return { count: rows.length ? coinsFromDb(rows[0].totalCount as string) : 0, items: rows.map(map) };
}

/**
 * Recomputes every cached balance from the entries and checks every posting sums to zero per currency, among
 * other invariants. Run it inside a REPEATABLE READ transaction (`runCoinsAudit`) so every check reads the same
 * snapshot while postings go on: a purchase committed between two checks would otherwise look like a difference.
 */
export async function auditCoins(query: AuditQuery, now: Date): Promise<CoinsAuditReport> {
  const [counts] = await query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM coin_accounts) AS accounts, (SELECT count(*) FROM coin_postings) AS postings,
            (SELECT count(*) FROM coin_entries) AS entries, (SELECT count(*) FROM coin_purchases) AS purchases`,
  );
  const balanceDifferences = await finding(
    query,
    `SELECT a.id, a.kind, a.user_id, a.currency, a.balance, COALESCE(s.total, 0) AS total
       FROM coin_accounts a
       LEFT JOIN (SELECT account_id, sum(amount) AS total FROM coin_entries GROUP BY account_id) s
         ON s.account_id = a.id
      WHERE a.balance IS NOT NULL AND a.balance <> COALESCE(s.total, 0)
      ORDER BY a.id`,
    (r) => ({
      accountId: String(r.id),
      kind: r.kind as AccountKind,
      userId: r.user_id === null ? null : String(r.user_id as string),
      currency: r.currency as Currency,
      cached: coinsFromDb(r.balance as string),
      fromEntries: coinsFromDb(r.total as string),
    }),
  );
  const unbalancedPostings = await finding(
    query,
    `SELECT e.posting_id, a.currency, sum(e.amount) AS total
       FROM coin_entries e JOIN coin_accounts a ON a.id = e.account_id
      GROUP BY e.posting_id, a.currency HAVING sum(e.amount) <> 0
      ORDER BY e.posting_id`,
    (r) => ({
      postingId: String(r.posting_id),
      currency: r.currency as Currency,
      sum: coinsFromDb(r.total as string),
    }),
  );
  const emptyPostings = await finding(
    query,
    `SELECT p.id FROM coin_postings p
      WHERE NOT EXISTS (SELECT 1 FROM coin_entries e WHERE e.posting_id = p.id) ORDER BY p.id`,
    (r) => String(r.id),
  );
  const orphanEntries = await finding(
    query,
    `SELECT e.id FROM coin_entries e
      WHERE NOT EXISTS (SELECT 1 FROM coin_accounts a WHERE a.id = e.account_id) ORDER BY e.id`,
    (r) => String(r.id),
  );
  const purchaseMismatches = await finding(
    query,
    `SELECT p.id FROM coin_purchases p
       LEFT JOIN LATERAL (
         SELECT sum(e.amount) FILTER (WHERE a.kind = 'wallet' AND a.user_id = p.buyer_id) AS paid,
                sum(e.amount) FILTER (WHERE a.kind = 'income' AND a.user_id = p.seller_id) AS earned,
                sum(e.amount) FILTER (WHERE a.kind = 'system') AS platform
           FROM coin_entries e JOIN coin_accounts a ON a.id = e.account_id
          WHERE e.posting_id = p.posting_id AND a.currency = 'coin') s ON true
      WHERE COALESCE(s.paid, 0) <> -p.price OR COALESCE(s.earned, 0) <> p.seller_amount
         OR COALESCE(s.platform, 0) <> p.platform_amount
      ORDER BY p.id`,
    (r) => String(r.id),
  );
  const boundViolations = await finding(
    query,
    `SELECT id, kind, balance FROM coin_accounts
      WHERE (kind = 'wallet' AND balance < 0) OR (kind = 'debt' AND balance > 0) ORDER BY id`,
    (r) => ({
      accountId: String(r.id),
      kind: r.kind as AccountKind,
      balance: coinsFromDb(r.balance as string),
    }),
  );
  const totals = await query<{ currency: Currency; kind: AccountKind; name: string | null; total: string }>(
    `SELECT a.currency, a.kind, a.system_name AS name, sum(e.amount) AS total
       FROM coin_entries e JOIN coin_accounts a ON a.id = e.account_id
      GROUP BY a.currency, a.kind, a.system_name
      ORDER BY a.currency, a.kind, a.system_name`,
  );
  const findings = [
    balanceDifferences,
    unbalancedPostings,
    emptyPostings,
    orphanEntries,
    purchaseMismatches,
    boundViolations,
  ];
  return {
    ok: findings.every((f) => f.count === 0),
    checkedAt: now.toISOString(),
    counts: {
      accounts: coinsFromDb(counts.accounts),
      postings: coinsFromDb(counts.postings),
      entries: coinsFromDb(counts.entries),
      purchases: coinsFromDb(counts.purchases),
    },
    balanceDifferences,
    unbalancedPostings,
    emptyPostings,
    orphanEntries,
    purchaseMismatches,
    boundViolations,
    totals: totals.map((t) => ({
      currency: t.currency,
      kind: t.kind,
      name: t.name,
      balance: coinsFromDb(t.total),
    })),
  };
}

/** A plain-text report for the CLI. */
export function formatCoinsAudit(report: CoinsAuditReport): string {
  const lines = [
    `coin ledger audit at ${report.checkedAt}: ${report.ok ? 'no difference' : 'DIFFERENCES FOUND'}`,
    `  ${report.counts.accounts} accounts, ${report.counts.postings} postings, ${report.counts.entries} entries, ${report.counts.purchases} purchases`,
  ];
  const section = <T>(title: string, f: { count: number; items: T[] }, show: (item: T) => string) => {
    if (f.count === 0) return;
    lines.push(`  ${title}: ${f.count}`);
    for (const item of f.items.slice(0, 20)) lines.push(`    ${show(item)}`);
    if (f.count > 20) lines.push(`    … ${f.count - 20} more (--json lists up to ${LIST_LIMIT})`);
  };
  section(
    'cached balance differs from its entries',
    report.balanceDifferences,
    (d) =>
      `account ${d.accountId} (${d.kind}${d.userId ? ` of user ${d.userId}` : ''}, ${d.currency}): cached ${d.cached}, entries ${d.fromEntries}`,
  );
  section(
    'postings that do not sum to zero',
    report.unbalancedPostings,
    (p) => `posting ${p.postingId}: ${p.currency} sums to ${p.sum}`,
  );
  section('postings without entries', report.emptyPostings, (id) => `posting ${id}`);
  section('entries of no account', report.orphanEntries, (id) => `entry ${id}`);
  section('purchases that disagree with their posting', report.purchaseMismatches, (id) => `purchase ${id}`);
  section(
    'balances out of bounds',
    report.boundViolations,
    (b) => `account ${b.accountId} (${b.kind}): ${b.balance}`,
  );
  for (const t of report.totals) {
    lines.push(`  total ${t.currency} ${t.kind}${t.name ? ` ${t.name}` : ''}: ${t.balance}`);
  }
  return `${lines.join('\n')}\n`;
}
