import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CosmeticsService } from '#src/cosmetics/cosmetics.service.js';
import { runCli } from '#test/helpers/cli.js';
import { registerNuzzleUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const PASSWORD = 'correct horse battery';

describe('admin cosmetics catalogue (/admin/cosmetics)', () => {
  let t: TestApp;
  let token: string;
  const bearer = () => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp({ env: { DATA_DIR: `/tmp/concord-nggirl-admin-${process.pid}` } });
    const made = await runCli(t, ['create-admin', 'cosmetics@example.com'], `${PASSWORD}\n`);
    expect(made.code).toBe(0);
    const res = await t.http
      .post('/admin/session')
      .send({ email: 'cosmetics@example.com', password: PASSWORD });
    token = (res.body as { token: string }).token;
  });
  afterAll(async () => {
    await t.close();
  });

  const appClasses = () => t.app.get(CosmeticsService).listClassNames();
  const audit = async (action: string) =>
    (await t.http.get('/admin/audit-log').query({ action }).set(bearer())).body.items as Array<{
      actor: string;
      detail: Record<string, unknown>;
    }>;

  it('should refuse callers without an admin session', async () => {
    expect((await t.http.get('/admin/cosmetics/classes')).status).toBe(401);
    const app = await registerNuzzleUser(t);
    const res = await t.http.get('/admin/cosmetics/classes').set({ authorization: `Bearer ${app.token}` });
    expect(res.status).toBe(401);
  });

  it('should list the seeded classes with their brand counts', async () => {
    const res = await t.http.get('/admin/cosmetics/classes').set(bearer());
    expect(res.status).toBe(200);
    const items = res.body.items as Array<{ name: string; brandCount: number; retired: boolean; id: string }>;
    expect(items[0]).toMatchObject({ name: '粉底液', retired: false, brandCount: expect.any(Number) });
    expect(items[0].brandCount).toBeGreaterThan(50);
    expect(items.length).toBeGreaterThanOrEqual(15);
  });

  it('should add, rename, retire and restore a class, each audited, the app following at once', async () => {
    const added = await t.http.post('/admin/cosmetics/classes').set(bearer()).send({ name: ' 香水 ' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      id: expect.any(String),
      name: '香水',
      position: expect.any(Number),
      retired: false,
      brandCount: 0,
    });
    expect((await appClasses()).at(-1)).toBe('香水');
    const id = added.body.id as string;

    const duplicate = await t.http.post('/admin/cosmetics/classes').set(bearer()).send({ name: 'bb霜' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('CONFLICT');

    const renamed = await t.http.patch(`/admin/cosmetics/classes/${id}`).set(bearer()).send({ name: '香氛' });
    expect(renamed.body).toMatchObject({ id, name: '香氛' });
    expect(await appClasses()).toContain('香氛');

    const retired = await t.http.post(`/admin/cosmetics/classes/${id}/retire`).set(bearer());
    expect(retired.status).toBe(200);
    expect(retired.body.retired).toBe(true);
    expect(await appClasses()).not.toContain('香氛');
    const listed = await t.http.get('/admin/cosmetics/classes').set(bearer());
    expect((listed.body.items as Array<{ id: string }>).map((c) => c.id)).not.toContain(id);
    const all = await t.http.get('/admin/cosmetics/classes').query({ includeRetired: 'true' }).set(bearer());
    expect((all.body.items as Array<{ id: string }>).map((c) => c.id)).toContain(id);

    const restored = await t.http.post(`/admin/cosmetics/classes/${id}/restore`).set(bearer());
    expect(restored.body.retired).toBe(false);

    expect(await audit('cosmetics.class.added')).toEqual([
      expect.objectContaining({ actor: 'cosmetics@example.com', detail: { classId: id, name: '香水' } }),
    ]);
    expect(await audit('cosmetics.class.renamed')).toEqual([
      expect.objectContaining({ detail: { classId: id, from: '香水', to: '香氛' } }),
    ]);
    expect(await audit('cosmetics.class.retired')).toHaveLength(1);
    expect(await audit('cosmetics.class.restored')).toHaveLength(1);
  });

  it('should add a brand listed by classes, change it, list and unlist it, and retire it', async () => {
    const classes = (await t.http.get('/admin/cosmetics/classes').set(bearer())).body.items as Array<{
      id: string;
      name: string;
    }>;
    const lipstick = classes.find((c) => c.name === '口红')!.id;
    const blush = classes.find((c) => c.name === '腮红')!.id;

    const added = await t.http
      .post('/admin/cosmetics/brands')
      .set(bearer())
      .send({ name: '橘朵Judydoll', country: '中国', classIds: [lipstick] });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      id: expect.any(String),
      name: '橘朵Judydoll',
      country: '中国',
      retired: false,
      classIds: [lipstick],
    });
    const id = added.body.id as string;
    const lipBrands = async () =>
      (await t.app.get(CosmeticsService).brandsOfClass('口红')).flatMap((g) => g.brand);
    expect(await lipBrands()).toContain('橘朵Judydoll');

    const changed = await t.http
      .patch(`/admin/cosmetics/brands/${id}`)
      .set(bearer())
      .send({ country: '中国大陆' });
    expect(changed.body).toMatchObject({ name: '橘朵Judydoll', country: '中国大陆' });
    expect((await t.http.patch(`/admin/cosmetics/brands/${id}`).set(bearer()).send({})).status).toBe(400);
    expect(
      (await t.http.patch(`/admin/cosmetics/brands/${id}`).set(bearer()).send({ name: 'dior迪奥' })).status,
    ).toBe(409);

    const linked = await t.http.put(`/admin/cosmetics/classes/${blush}/brands/${id}`).set(bearer());
    expect(linked.status).toBe(200);
    expect([...(linked.body.classIds as string[])].sort()).toEqual([lipstick, blush].sort());
    const unlinked = await t.http.delete(`/admin/cosmetics/classes/${lipstick}/brands/${id}`).set(bearer());
    expect(unlinked.body.classIds).toEqual([blush]);
    expect(await lipBrands()).not.toContain('橘朵Judydoll');

    const byClass = await t.http.get('/admin/cosmetics/brands').query({ classId: blush }).set(bearer());
    expect((byClass.body.items as Array<{ id: string }>).map((b) => b.id)).toContain(id);

    expect((await t.http.post(`/admin/cosmetics/brands/${id}/retire`).set(bearer())).body.retired).toBe(true);
    const live = await t.http.get('/admin/cosmetics/brands').set(bearer());
    expect((live.body.items as Array<{ id: string }>).map((b) => b.id)).not.toContain(id);
    expect((await t.http.post(`/admin/cosmetics/brands/${id}/restore`).set(bearer())).body.retired).toBe(
      false,
    );

    for (const action of [
      'cosmetics.brand.added',
      'cosmetics.brand.updated',
      'cosmetics.brand.listed',
      'cosmetics.brand.unlisted',
      'cosmetics.brand.retired',
      'cosmetics.brand.restored',
    ]) {
      expect(await audit(action)).toHaveLength(1);
    }
  });

  it('should answer NOT_FOUND and INVALID_PARAMS in plain JSON', async () => {
    const missing = await t.http.post('/admin/cosmetics/classes/999999/retire').set(bearer());
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    expect((await t.http.put('/admin/cosmetics/classes/1/brands/999999').set(bearer())).status).toBe(404);
    expect((await t.http.post('/admin/cosmetics/classes').set(bearer()).send({ name: '' })).status).toBe(400);
    expect(
      (
        await t.http
          .post('/admin/cosmetics/classes')
          .set(bearer())
          .send({ name: 'x'.repeat(65) })
      ).status,
    ).toBe(400);
    const badClass = await t.http
      .post('/admin/cosmetics/brands')
      .set(bearer())
      .send({ name: 'Nobody', country: '法国', classIds: ['999999'] });
    expect(badClass.status).toBe(400);
    expect((await t.http.get('/admin/cosmetics/classes/abc').set(bearer())).status).toBe(404);
  });
});
