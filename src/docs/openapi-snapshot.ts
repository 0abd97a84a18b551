import { tmpdir } from 'node:os';
import type { OpenAPIObject } from '@nestjs/swagger';
import { pino } from 'pino';
import { createApp } from '#src/app.factory.js';
import { loadConfig } from '#src/config/app-config.js';
import { buildOpenApiDocuments } from '#src/docs/swagger.js';

/**
 * The OpenAPI documents as committed under openapi/: every dialect enabled, no prefixes, built from the
 * decorators in preview mode (no database). `npm run openapi` writes them and a unit test compares, so the
 * build and the tests produce them the same way.
 */
export async function generateOpenApiDocuments(): Promise<Record<string, OpenAPIObject>> {
  const config = loadConfig({
    NODE_ENV: 'development',
    JWT_SECRET: 'openapi-generation-needs-no-real-secret-at-all',
    DATABASE_URL: 'postgres://openapi@127.0.0.1:1/openapi',
    DATA_DIR: tmpdir(),
    LOG_LEVEL: 'silent',
  });
  const app = await createApp(config, { logger: pino({ level: 'silent' }), preview: true, docs: false });
  try {
    return buildOpenApiDocuments(app, config);
  } finally {
    await app.close();
  }
}

export function serializeOpenApi(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
