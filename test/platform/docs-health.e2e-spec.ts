import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

describe('health and API documentation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('should serve Swagger UI at /docs with a picker for every dialect', async () => {
    const res = await t.http.get('/docs/').redirects(1);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const init = await t.http.get('/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    for (const name of ['nuzzle', 'moretv', 'mrpyq', 'nggirl', 'xiaoma', 'platform']) {
      expect(init.text).toContain(`/docs/${name}.json`);
    }
  });

  it.each(['nuzzle', 'xiaoma', 'platform'])(
    'should serve /docs/%s.json exactly as committed in openapi/',
    async (name) => {
      const res = await t.http.get(`/docs/${name}.json`);
      expect(res.status).toBe(200);
      const committed: unknown = JSON.parse(await readFile(`openapi/${name}.json`, 'utf8'));
      expect(res.body).toEqual(committed);
    },
  );

  it('should answer /health with 200 while the database answers', async () => {
    const res = await t.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('should answer /health with 503 when the database does not answer', async () => {
    await t.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    await t.db.destroy();
    const res = await t.http.get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', database: 'down' });
  });
});
