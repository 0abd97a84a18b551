import { describe, expect, it } from '@jest/globals';
import express, { type Express } from 'express';
import request from 'supertest';
import { type RouterLayer, staticRouteIndex } from '#src/common/http/static-route-index.js';

const stackOf = (app: Express) => () => (app as unknown as { router: { stack: RouterLayer[] } }).router.stack;

/** The same routes, with the index in front or not: every answer must be the same. */
function build(withIndex: boolean): { app: Express; walked: string[] } {
  const app = express();
  const walked: string[] = [];
  if (withIndex) app.use(staticRouteIndex(stackOf(app)));
  const answer = (name: string) => (req: express.Request, res: express.Response) =>
    void res.json({ name, params: req.params, route: (req.route as { path: string }).path });
  app.use('/files', (_req, res, next) => (_req.path === '/kept.txt' ? void res.send('file') : next()));
  app.get('/items/:id', answer('item by id'));
  app.get('/items/latest', answer('latest (never reached: the parameter route is first)'));
  app.post('/items/latest', answer('post latest'));
  app.get('/Mixed/Case', answer('mixed case'));
  app.get('/files/kept.txt', answer('route behind the folder'));
  app.get('/twice', answer('first twice'));
  app.get('/twice', answer('second twice'));
  app.get('/profile', answer('profile'));
  app.post('/profile', answer('post profile'));
  app.get('/fails', () => {
    throw new Error('boom');
  });
  app.use((_req, res) => void res.status(404).json({ name: 'not found' }));
  app.use(
    (error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
      void res.status(500).json({ name: 'error', message: error.message }),
  );
  // Every route pattern tried is recorded, to see which requests skipped the walk.
  for (const layer of stackOf(app)()) {
    if (!layer.route) continue;
    const match = layer.match.bind(layer);
    layer.match = (path: string) => {
      walked.push(layer.route!.path as string);
      return match(path);
    };
  }
  return { app, walked };
}

const cases: Array<[method: 'get' | 'post' | 'head' | 'options', path: string]> = [
  ['get', '/profile'],
  ['post', '/profile'],
  ['get', '/PROFILE'],
  ['get', '/profile/'],
  ['get', '/profile?x=1&y=2'],
  ['head', '/profile'],
  ['options', '/profile'],
  ['get', '/profile//'],
  ['get', '/items/7'],
  ['get', '/items/latest'],
  ['post', '/items/latest'],
  ['get', '/mixed/case'],
  ['get', '/files/kept.txt'],
  ['get', '/twice'],
  ['get', '/fails'],
  ['get', '/nowhere'],
  ['post', '/mixed/case'],
];

describe(staticRouteIndex.name, () => {
  it.each(cases)('should answer %s %s exactly as the walk does', async (method, path) => {
    const walk = await request(build(false).app)[method](path);
    const indexed = await request(build(true).app)[method](path);
    expect({ status: indexed.status, body: indexed.body as unknown, allow: indexed.headers.allow }).toEqual({
      status: walk.status,
      body: walk.body as unknown,
      allow: walk.headers.allow,
    });
  });

  it('should send a literal path straight to its route, without trying the patterns before it', async () => {
    const { app, walked } = build(true);
    await request(app).get('/nowhere'); // the index is built on the first request
    walked.length = 0;
    expect((await request(app).post('/profile')).body).toMatchObject({ name: 'post profile' });
    expect(walked).toEqual([]);
    // A parameter path still walks.
    expect((await request(app).get('/items/7')).body).toMatchObject({
      name: 'item by id',
      params: { id: '7' },
    });
    expect(walked).toContain('/items/:id');
  });
});
