import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * TypeORM's own pg pool, for the few hot-path queries (session check, sign-in) that run as named prepared
 * statements outside TypeORM's query runner: each connection parses and plans them once, and the ORM's per-query
 * overhead is gone. Same connections, same pool size.
 */
export function pgPool(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

export interface HotStatement {
  /** Unique per SQL text: PostgreSQL keeps one plan per name and connection. */
  name: string;
  text: string;
  values: unknown[];
}

/**
 * A hot-path write that may or may not run inside a transaction: outside one (`em` is the data source's own manager)
 * it is a named prepared statement on the pool; inside one it must use the transaction's connection, so it goes
 * through TypeORM there.
 */
export async function hotQuery<R extends object>(em: EntityManager, statement: HotStatement): Promise<R[]> {
  if (em.queryRunner) return em.query<R[]>(statement.text, statement.values);
  try {
    const { rows } = await pgPool(em.connection).query<R>(statement);
    return rows;
  } catch (error) {
    // As TypeORM's errors do: the crash log names the statement (never its values, which the log drops).
    if (error instanceof Error) Object.assign(error, { query: statement.text });
    throw error;
  }
}

/**
 * A hot statement over many keys at once (values `[keys]`, matched with `= ANY($1)`), its rows as a map by key: the
 * fetch of a BatchWhileBusy. `entry` must give each row's key back as the caller asked for it.
 */
export async function hotQueryByKey<R extends object, K, V>(
  dataSource: DataSource,
  statement: Omit<HotStatement, 'values'>,
  keys: readonly K[],
  entry: (row: R) => [K, V],
): Promise<Map<K, V>> {
  const rows = await hotQuery<R>(dataSource.manager, { ...statement, values: [keys] });
  return new Map(rows.map(entry));
}
