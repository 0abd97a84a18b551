import { describe, expect, it } from '@jest/globals';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import { mergeParams } from '#src/common/http/merge-params.js';

function request(parts: { query?: object; params?: object; body?: unknown }): ConcordRequest {
  return {
    query: parts.query ?? {},
    params: parts.params ?? {},
    body: parts.body,
  } as unknown as ConcordRequest;
}

describe(mergeParams.name, () => {
  const sut = mergeParams;

  it('should merge query, path and body parameters into one object', () => {
    const merged = sut(
      request({ query: { tz: 'Asia/Shanghai' }, params: { token: 't1' }, body: { email: 'a@b.com' } }),
    );
    expect({ ...merged }).toEqual({ tz: 'Asia/Shanghai', token: 't1', email: 'a@b.com' });
  });

  it('should let the path win over the query string', () => {
    const merged = sut(request({ query: { token: 'from-query' }, params: { token: 'from-path' } }));
    expect(merged.token).toBe('from-path');
  });

  it('should let the body win over the path and the query string', () => {
    const merged = sut(
      request({
        query: { token: 'from-query', page: '1' },
        params: { token: 'from-path' },
        body: { token: 'from-body' },
      }),
    );
    expect({ ...merged }).toEqual({ token: 'from-body', page: '1' });
  });

  it.each([
    ['a string', 'email=a@b.com'],
    ['an array', [{ email: 'a@b.com' }]],
    ['null', null],
    ['a number', 42],
    ['no body at all', undefined],
  ])('should ignore %s as body and keep the other parameters', (_label, body) => {
    const merged = sut(request({ query: { email: 'q@b.com' }, params: { id: '7' }, body }));
    expect({ ...merged }).toEqual({ email: 'q@b.com', id: '7' });
  });

  it('should compute the result once and cache it on the request', () => {
    const req = request({ query: { a: '1' }, body: { b: '2' } });
    const first = sut(req);
    req.body = { b: 'changed', c: '3' };
    const second = sut(req);
    expect(second).toBe(first);
    expect(req.mergedParams).toBe(first);
    expect({ ...second }).toEqual({ a: '1', b: '2' });
  });

  it('should return what is already cached on the request', () => {
    const cached = { already: 'merged' };
    const req = request({ query: { a: '1' } });
    req.mergedParams = cached;
    expect(sut(req)).toBe(cached);
  });

  it('should not let a "__proto__" body key reach any prototype', () => {
    const body = JSON.parse('{"__proto__":{"polluted":true},"email":"a@b.com"}') as unknown;
    const merged = sut(request({ body }));
    expect(Object.getPrototypeOf(merged)).toBeNull();
    expect(merged.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(merged.email).toBe('a@b.com');
  });

  it('should not inherit Object.prototype members as parameters', () => {
    const merged = sut(request({ query: {} }));
    expect(merged.toString).toBeUndefined();
    expect(merged.constructor).toBeUndefined();
  });
});
