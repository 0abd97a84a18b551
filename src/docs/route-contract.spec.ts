import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { pino } from 'pino';
import { createApp } from '#src/app.factory.js';
import { AdminSessionGuard } from '#src/admin/admin-session.guard.js';
import { SessionAuthGuard } from '#src/auth/session-auth.guard.js';
import { DIALECT_METADATA } from '#src/common/dialect/dialect.decorator.js';
import { PUBLIC_METADATA } from '#src/common/dialect/public.decorator.js';
import { REPLY_METADATA, type RouteReplyMetadata } from '#src/common/dialect/reply.decorator.js';
import { loadConfig } from '#src/config/app-config.js';
import type { DialectName } from '#src/dialects/dialect.js';

interface RouteUnderContract {
  route: string;
  dialect?: DialectName;
  reply?: RouteReplyMetadata;
  guards: Type[];
  isPublic: boolean;
}

const guarded = (guards: Type[], by: Type) => guards.some((g) => g === by || g.prototype instanceof by);

/**
 * Every handler of the app (all dialects enabled), as Nest would mount it, with what the contract below checks: its
 * dialect, its reply, its guards, and whether it declares itself public.
 */
function routesOf(app: NestExpressApplication): RouteUnderContract[] {
  const routes: RouteUnderContract[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | undefined;
      if (!controller) continue;
      const dialect = Reflect.getMetadata(DIALECT_METADATA, controller) as DialectName | undefined;
      const classGuards = (Reflect.getMetadata(GUARDS_METADATA, controller) as Type[] | undefined) ?? [];
      const classPublic = Reflect.getMetadata(PUBLIC_METADATA, controller) === true;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        routes.push({
          route: `${controller.name}.${name} (${String(Reflect.getMetadata(PATH_METADATA, handler))})`,
          dialect,
          reply: Reflect.getMetadata(REPLY_METADATA, handler) as RouteReplyMetadata | undefined,
          guards: [
            ...classGuards,
            ...((Reflect.getMetadata(GUARDS_METADATA, handler) as Type[] | undefined) ?? []),
          ],
          isPublic: classPublic || Reflect.getMetadata(PUBLIC_METADATA, handler) === true,
        });
      }
    }
  }
  return routes;
}

describe('route contract (every handler of every area)', () => {
  let app: NestExpressApplication;
  let routes: RouteUnderContract[];

  beforeAll(async () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      JWT_SECRET: 'route-contract-needs-no-real-secret-at-all',
      DATABASE_URL: 'postgres://contract@127.0.0.1:1/contract',
      DATA_DIR: tmpdir(),
      LOG_LEVEL: 'silent',
    });
    app = await createApp(config, { logger: pino({ level: 'silent' }), preview: true, docs: false });
    routes = routesOf(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('should find the routes of every dialect', () => {
    const dialects = new Set(routes.map((r) => r.dialect).filter(Boolean));
    expect([...dialects].sort()).toEqual(expect.arrayContaining(['nuzzle', 'xiaoma']));
    expect(routes.length).toBeGreaterThan(20);
  });

  it("should give every dialect route a reply declared in the controller's own dialect", () => {
    const wrong = routes
      .filter((r) => r.dialect && r.reply?.dialect !== r.dialect)
      .map((r) => `${r.route}: controller ${r.dialect}, reply ${r.reply?.dialect ?? 'missing'}`);
    expect(wrong).toEqual([]);
  });

  it('should make every route either authenticated or explicitly public, never both or neither', () => {
    const wrong = routes
      .map((r) => {
        const authenticated = guarded(r.guards, SessionAuthGuard);
        if (authenticated && r.isPublic) return `${r.route}: both @Public() and a session guard`;
        if (!authenticated && !r.isPublic) return `${r.route}: neither @Public() nor a session guard`;
        return undefined;
      })
      .filter(Boolean);
    expect(wrong).toEqual([]);
  });

  it('should let an authenticated dialect route declare that it answers "not signed in"', () => {
    const wrong = routes
      .filter((r) => r.dialect && guarded(r.guards, SessionAuthGuard))
      .filter((r) => !r.reply?.errors?.includes('UNAUTHENTICATED'))
      .map((r) => r.route);
    expect(wrong).toEqual([]);
  });

  it("should keep the operators' API behind the operators' guard, apart from its sign-in and console assets", () => {
    const wrong = routes
      .filter((r) => r.route.startsWith('Admin') && !r.isPublic && !guarded(r.guards, AdminSessionGuard))
      .map((r) => r.route);
    expect(wrong).toEqual([]);
  });
});
