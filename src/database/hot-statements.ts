import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';

/** A statement PostgreSQL parses and plans once per connection, then only executes. */
export interface NamedStatement {
  /** Unique per SQL text: PostgreSQL keeps one plan per name and connection. */
  readonly name: string;
  readonly text: string;
}

/** The most rows a keyset page statement (keysetPage) returns. */
export const MAX_PAGE_ROWS = 50;

/**
 * A keyset page (`select` ends with its `ORDER BY <key> DESC`) whose cached plan fits every page. PostgreSQL plans a
 * named statement once without its values (a generic plan) unless that looks costlier than planning each execution;
 * for `LIMIT $n` it assumes a tenth of the table, so over a million feeds its generic plan sized a memoize cache for
 * 100,000 rows at every execution, and every page was planned again instead: 3.5× PostgreSQL's CPU per page (pgbench,
 * docs/performance.md). The inner constant LIMIT sizes the plan for a page; the outer one stops after `size` rows,
 * which the executor pulls one at a time.
 */
export function keysetPage(select: string, key: string, size: string): string {
  return `SELECT * FROM (${select} LIMIT ${MAX_PAGE_ROWS}) page ORDER BY ${key} DESC LIMIT ${size}`;
}

/** Refuses a page larger than keysetPage's statements return, rather than answering it short. */
export function checkPageSize(size: number): number {
  if (!(size >= 1 && size <= MAX_PAGE_ROWS)) throw new RangeError(`a page holds 1 to ${MAX_PAGE_ROWS} rows`);
  return size;
}

/**
 * The hot statements (the session check, feed and star pages, the coin spend) run as named prepared statements: on
 * these machines planning a feed page or the spend costs as much as running it, and TypeORM's `query()` sends no
 * statement name. They run outside any transaction, each a unit of work by itself, on a small pg pool of their own
 * (`DATABASE_HOT_POOL_SIZE` connections): TypeORM's pool stays TypeORM's, reached only through its public API.
 */
@Injectable()
export class HotStatements implements OnApplicationShutdown {
  private readonly pool: pg.Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new pg.Pool({
      connectionString: config.database.url,
      max: config.database.hotPoolSize,
      application_name: 'concord-hot',
    });
    // A backend that dies (a failover, pg_terminate_backend) fails the query that was running; the idle client or a
    // client between queries must not take the process down with an unhandled 'error'.
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  async query<R extends object>(statement: NamedStatement, values: readonly unknown[]): Promise<R[]> {
    try {
      const { rows } = await this.pool.query<R>({
        name: statement.name,
        text: statement.text,
        values: [...values],
      });
      return rows;
    } catch (error) {
      // As TypeORM's errors do: the crash log names the statement (never its values, which the log drops).
      if (error instanceof Error) Object.assign(error, { query: statement.text });
      throw error;
    }
  }

  // After the HTTP server drained: a request still running keeps its connection until it answers.
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/** The hot statements' pool, like TypeORM's data source one per app and used by every area's repositories. */
@Global()
@Module({ providers: [HotStatements], exports: [HotStatements] })
export class HotStatementsModule {}
