import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/**
 * A PostgreSQL backend that is killed (a failover, `pg_terminate_backend`) may send its FATAL message in the same
 * read as a new connection's ReadyForQuery. At that instant pg-pool has already taken its error listener off the
 * client and TypeORM has not yet put its own on, so the client emits `error` with no listener: an uncaught
 * exception that ends the process. Every client gets a listener of its own from the moment it connects; the query
 * that was running still fails and answers its caller. Seen with the ledger's connection-kill test.
 *
 * This reads the driver's pool (`PostgresDriver.master`, declared public by TypeORM but not documented): there is
 * no other way to reach the clients it creates.
 */
@Injectable()
export class PoolErrorListener implements OnApplicationBootstrap {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool | undefined;
    pool?.on('connect', (client: PoolClient) => client.on('error', () => undefined));
  }
}
