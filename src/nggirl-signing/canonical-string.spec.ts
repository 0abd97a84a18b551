import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  canonicalString,
  signCanonicalString,
  signingParams,
  type SigningParam,
} from '#src/nggirl-signing/canonical-string.js';

describe(canonicalString.name, () => {
  it('should sort by name in byte order, leave out sign, and join name=value with &', () => {
    const params: SigningParam[] = [
      ['timestamp', '1427814380'],
      ['sign', 'whatever'],
      ['app_id', '14314'],
      ['Zeta', 'upper case sorts before lower'],
      ['nonce', 'uyxxd'],
      ['phoneNum', '13581878073'],
    ];
    expect(canonicalString(params)).toBe(
      'Zeta=upper case sorts before lower&app_id=14314&nonce=uyxxd&phoneNum=13581878073&timestamp=1427814380',
    );
  });

  it('should compare UTF-8 bytes, not UTF-16 units', () => {
    // U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8; in UTF-16 the surrogate D83D comes first.
    expect(
      canonicalString([
        ['\u{1F600}', '1'],
        ['\uFF21', '2'],
      ]),
    ).toBe('\uFF21=2&\u{1F600}=1');
  });

  it('should order a repeated name by value and keep every occurrence', () => {
    expect(
      canonicalString([
        ['tag', 'b'],
        ['a', '1'],
        ['tag', 'a'],
        ['tag', 'b'],
      ]),
    ).toBe('a=1&tag=a&tag=b&tag=b');
  });

  it('should keep values as they are: no escaping, spaces and & included', () => {
    expect(
      canonicalString([
        ['q', 'a b&c=d'],
        ['cosmeticsClass', '粉底液'],
      ]),
    ).toBe('cosmeticsClass=粉底液&q=a b&c=d');
  });

  it('should give the empty string for a request with no parameter but sign', () => {
    expect(canonicalString([['sign', 'x']])).toBe('');
  });
});

describe(signingParams.name, () => {
  it('should give the same string whether parameters travel in the query string or the body', () => {
    const all = {
      app_id: 'dev',
      nonce: 'n1',
      timestamp: '1700000000',
      phoneNum: '13581878073',
      code: '123456',
    };
    const inQuery = signingParams({ query: all, bodyFormat: 'none' });
    const split = signingParams({
      query: { app_id: 'dev', nonce: 'n1', timestamp: '1700000000' },
      body: { phoneNum: '13581878073', code: '123456' },
      bodyFormat: 'json',
    });
    const asForm = signingParams({
      query: { code: '123456' },
      body: { ...all, code: undefined },
      bodyFormat: 'form',
    });
    expect(canonicalString(split)).toBe(canonicalString(inQuery));
    expect(canonicalString(asForm)).toBe(canonicalString(inQuery));
  });

  it('should make each occurrence of a repeated query or form name a parameter', () => {
    expect(signingParams({ query: { a: ['2', '1'] }, body: { b: ['x', 'y'] }, bodyFormat: 'form' })).toEqual([
      ['a', '2'],
      ['a', '1'],
      ['b', 'x'],
      ['b', 'y'],
    ]);
  });

  it("should sign a JSON body's non-string values as their JSON text", () => {
    const info = [{ cosmeticsClass: '粉底液', cosmeticsBrand: ['Dior迪奥', '香奈儿chanel'] }];
    expect(
      signingParams({
        body: { cosmeticsInfo: info, n: 1.5, t: true, z: null, s: 'text' },
        bodyFormat: 'json',
      }),
    ).toEqual([
      ['cosmeticsInfo', '[{"cosmeticsClass":"粉底液","cosmeticsBrand":["Dior迪奥","香奈儿chanel"]}]'],
      ['n', '1.5'],
      ['t', 'true'],
      ['z', 'null'],
      ['s', 'text'],
    ]);
  });

  it('should take no parameters from a JSON body that is not an object', () => {
    expect(signingParams({ body: ['a'], bodyFormat: 'json' })).toEqual([]);
    expect(signingParams({ body: 'a', bodyFormat: 'json' })).toEqual([]);
  });
});

describe(signCanonicalString.name, () => {
  it('should be the lowercase hex HMAC-SHA256 of the string under the secret', () => {
    const expected = createHmac('sha256', 'a-secret-of-some-length').update('a=1&b=粉').digest('hex');
    expect(signCanonicalString('a-secret-of-some-length', 'a=1&b=粉')).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the worked examples of docs/dialects/nggirl.md', () => {
  const secret = 'nggirl-example-secret-2f9c1d7a';

  it('should sign the first logon (query string and urlencoded body, an empty accessToken)', () => {
    const params = signingParams({
      query: { app_id: '14314', nonce: 'uyxxd', timestamp: '1427814380' },
      body: { phoneNum: '13581878073', password: 'e10adc3949ba59abbe56e057f20f883e', accessToken: '' },
      bodyFormat: 'form',
    });
    const canonical = canonicalString(params);
    expect(canonical).toBe(
      'accessToken=&app_id=14314&nonce=uyxxd&password=e10adc3949ba59abbe56e057f20f883e&phoneNum=13581878073&timestamp=1427814380',
    );
    expect(signCanonicalString(secret, canonical)).toBe(
      '015670979120536094febd7a26dc168a136b1a26bf1b48e513f1ca46438bb843',
    );
  });

  it('should sign setCosmeticsInfo with a JSON array in a JSON body', () => {
    const params = signingParams({
      query: { app_id: '14314', nonce: 'k2j9x', timestamp: '1427814400' },
      body: {
        accessToken: 'eyJhbGciOiJIUzI1NiJ9.e30.x',
        cosmeticsInfo: [{ cosmeticsClass: '粉底液', cosmeticsBrand: ['Dior迪奥', '香奈儿chanel'] }],
      },
      bodyFormat: 'json',
    });
    const canonical = canonicalString(params);
    expect(canonical).toBe(
      'accessToken=eyJhbGciOiJIUzI1NiJ9.e30.x&app_id=14314&cosmeticsInfo=[{"cosmeticsClass":"粉底液","cosmeticsBrand":["Dior迪奥","香奈儿chanel"]}]&nonce=k2j9x&timestamp=1427814400',
    );
    expect(signCanonicalString(secret, canonical)).toBe(
      '9b4d4cfa02c4eff7d4c2c147ff8064d892c5618aff54b67a4333fc6fdc1cfb5a',
    );
  });
});
