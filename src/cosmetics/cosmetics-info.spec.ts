import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#src/common/errors/domain-error.js';
import { parseCosmeticsInfo } from '#src/cosmetics/cosmetics-info.js';

describe(parseCosmeticsInfo.name, () => {
  const documented = [
    { cosmeticsClass: '粉底液', cosmeticsBrand: ['Dior迪奥', '香奈儿chanel'] },
    { cosmeticsClass: '粉饼', cosmeticsBrand: ['glo&ray', '巴宝莉Burberry'] },
  ];

  it('should read the documented array, as JSON text or as a value', () => {
    expect(parseCosmeticsInfo(JSON.stringify(documented))).toEqual(documented);
    expect(parseCosmeticsInfo(documented)).toEqual(documented);
  });

  it('should read the largest kit it allows, as JSON text', () => {
    const kit = Array.from({ length: 50 }, (_, i) => ({
      cosmeticsClass: `c${i}`,
      cosmeticsBrand: Array.from({ length: 100 }, (_, j) => `b${j}`),
    }));
    expect(parseCosmeticsInfo(JSON.stringify(kit))).toEqual(kit);
  });

  it('should read a single object as a list of one, trim names, and take a missing brand list as empty', () => {
    expect(parseCosmeticsInfo({ cosmeticsClass: ' 散粉 ' })).toEqual([
      { cosmeticsClass: '散粉', cosmeticsBrand: [] },
    ]);
  });

  it.each([
    ['not JSON', '[{'],
    ['a class that is no string', [{ cosmeticsClass: 3, cosmeticsBrand: [] }]],
    ['an empty class', [{ cosmeticsClass: '  ', cosmeticsBrand: [] }]],
    ['brands that are no list', [{ cosmeticsClass: '粉饼', cosmeticsBrand: 'Dior迪奥' }]],
    ['a brand that is no string', [{ cosmeticsClass: '粉饼', cosmeticsBrand: [1] }]],
    ['an entry that is no object', ['粉饼']],
    ['too many classes', Array.from({ length: 51 }, (_, i) => ({ cosmeticsClass: `c${i}` }))],
    [
      'too many brands',
      [{ cosmeticsClass: '粉饼', cosmeticsBrand: Array.from({ length: 101 }, (_, i) => `b${i}`) }],
    ],
    ['a name too long', [{ cosmeticsClass: 'x'.repeat(65) }]],
    [
      'JSON text nested deeper than a kit',
      `[{"cosmeticsClass":"粉饼","cosmeticsBrand":[${'['.repeat(50)}${']'.repeat(50)}]}]`,
    ],
  ])('should refuse %s with INVALID_PARAMS', (_label, value) => {
    expect(() => parseCosmeticsInfo(value)).toThrow(DomainError);
    try {
      parseCosmeticsInfo(value);
    } catch (error) {
      expect((error as DomainError).code).toBe('INVALID_PARAMS');
    }
  });
});
