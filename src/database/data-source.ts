import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '#migrations/index.js';
import { ENTITIES } from '#src/database/entities.js';

/** One definition for the app, the CLI and the tests. `synchronize` is never on: the migrations are the schema. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, application_name: 'concord' },
  };
}

export function createDataSource(url: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}
