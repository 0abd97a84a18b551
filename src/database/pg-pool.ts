import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * TypeORM's own pg pool, for the few hot-path queries (session check, sign-in) that run as named prepared
 * statements outside TypeORM's query runner: each connection parses and plans them once, and the ORM's per-query
 * overhead is gone. Same connections, same pool size.
 */
export function pgPool(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}
