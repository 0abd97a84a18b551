import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Test } from 'supertest';
import { registerNuzzleUser } from '#test/helpers/nuzzle.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

/**
 * Every authenticated route of the documents, as its committed OpenAPI document lists it, refuses a request without
 * a session, and one of a banned or closed account, with its dialect's own code. Driven by the documents, so a new
 * route is covered the moment it is documented. nggirl signs every request and tests its refusals with its own
 * signed client (test/nggirl).
 */
type Operation = {
  responses?: Record<string, { content?: Record<string, unknown> }>;
  'x-error-codes'?: Array<{ code: string | number; domainCode?: string }>;
  'x-operation'?: { path: string; marker?: string };
};
type Document = { paths: Record<string, Record<string, Operation>> };

const DIALECTS = ['nuzzle', 'xiaoma', 'mrpyq', 'moretv'] as const;
type Dialect = (typeof DIALECTS)[number];

interface Case {
  dialect: Dialect;
  method: 'get' | 'post';
  path: string;
  codes: Map<string, string | number>;
}

function casesOf(dialect: Dialect): Case[] {
  let document: Document;
  try {
    document = JSON.parse(readFileSync(`openapi/${dialect}.json`, 'utf8')) as Document;
  } catch {
    return [];
  }
  const cases: Case[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const codes = new Map((op['x-error-codes'] ?? []).map((c) => [c.domainCode ?? '', c.code]));
      if (!codes.has('UNAUTHENTICATED') || (method !== 'get' && method !== 'post')) continue;
      // moretv's page forms answer pages, and refuse a request without the page's form token before its session:
      // test/moretv reaches their "not signed in" with a browser that has the form but lost its session.
      if (dialect === 'moretv' && !op.responses?.['200']?.content?.['application/json']) continue;
      cases.push({ dialect, method, path, codes });
    }
  }
  return cases;
}

const cases = DIALECTS.flatMap(casesOf);

/** The request as its dialect's client sends it, with `token` where that dialect carries one. */
function send(t: TestApp, c: Case, token: string | undefined): Test {
  const [rawPath, query] = c.path.split('?');
  const path = rawPath.replace(/\{token\}/g, token ?? 'no-session').replace(/\{[^}]+\}/g, '1');
  const params: Record<string, string> = {};
  // A shared path's operation is chosen by its marker (`/friend?search=1`).
  for (const pair of (query ?? '').split('&').filter(Boolean)) {
    const [name, value] = pair.split('=');
    params[name] = value ?? '1';
  }
  if (token && (c.dialect === 'xiaoma' || c.dialect === 'mrpyq')) params.token = token;
  let req = c.method === 'get' ? t.http.get(path).query(params) : t.http.post(path).type('form').send(params);
  if (token && c.dialect === 'nuzzle') req = req.set('Authorization', token);
  if (token && c.dialect === 'moretv') req = req.set('Cookie', `moretv_session=${token}`);
  return req;
}

/** The code a dialect answers with, wherever its envelope puts it. */
function codeOf(dialect: Dialect, body: Record<string, unknown>): unknown {
  switch (dialect) {
    case 'nuzzle':
      return body.errcode;
    case 'xiaoma':
      return body.code;
    case 'mrpyq':
      return body.result;
    case 'moretv':
      return body.errcode ?? body.status;
  }
}

describe('session refusals on every authenticated route of the documents', () => {
  let t: TestApp;
  let banned: string;
  let closed: string;

  beforeAll(async () => {
    t = await createTestApp();
    const b = await registerNuzzleUser(t);
    const c = await registerNuzzleUser(t);
    await t.db.query(`UPDATE users SET status = 'banned' WHERE id = $1`, [b.id]);
    await t.db.query(`UPDATE users SET status = 'closed' WHERE id = $1`, [c.id]);
    banned = b.token;
    closed = c.token;
  });
  afterAll(async () => {
    await t.close();
  });

  it('should find authenticated routes to check', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases.map((c) => [`${c.method.toUpperCase()} ${c.path}`, c] as const))(
    'should refuse %s without a session',
    async (_name, c) => {
      const res = await send(t, c, undefined);
      expect(codeOf(c.dialect, res.body as Record<string, unknown>)).toEqual(c.codes.get('UNAUTHENTICATED'));
    },
  );

  const accountCases = cases.filter((c) => c.codes.has('ACCOUNT_DISABLED') || c.codes.has('USER_NOT_FOUND'));
  it.each(accountCases.map((c) => [`${c.method.toUpperCase()} ${c.path}`, c] as const))(
    'should refuse %s to a banned or closed account with its documented codes',
    async (_name, c) => {
      if (c.codes.has('ACCOUNT_DISABLED')) {
        const res = await send(t, c, banned);
        expect(codeOf(c.dialect, res.body as Record<string, unknown>)).toEqual(
          c.codes.get('ACCOUNT_DISABLED'),
        );
      }
      if (c.codes.has('USER_NOT_FOUND')) {
        const res = await send(t, c, closed);
        expect(codeOf(c.dialect, res.body as Record<string, unknown>)).toEqual(c.codes.get('USER_NOT_FOUND'));
      }
    },
  );
});
