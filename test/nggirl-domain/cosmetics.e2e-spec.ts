import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainError } from '#src/common/errors/domain-error.js';
import { parseCosmeticsInfo } from '#src/cosmetics/cosmetics-info.js';
import { CosmeticsService } from '#src/cosmetics/cosmetics.service.js';
import { createMediumContext, createUser, type MediumContext } from '#test/nggirl-domain/medium.js';

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe(CosmeticsService.name, () => {
  let ctx: MediumContext;
  let sut: CosmeticsService;

  beforeAll(async () => {
    ctx = await createMediumContext();
    sut = ctx.get(CosmeticsService);
  });
  afterAll(async () => {
    await ctx.close();
  });

  describe('the seeded catalogue', () => {
    it('should hold at least 15 classes and 80 brands from at least 8 countries, every brand listed somewhere', async () => {
      const [counts] = await ctx.db.query<
        Array<{ classes: number; brands: number; countries: number; orphans: number }>
      >(
        `SELECT (SELECT count(*)::int FROM cosmetics_classes) AS classes,
                (SELECT count(*)::int FROM cosmetics_brands) AS brands,
                (SELECT count(DISTINCT country)::int FROM cosmetics_brands) AS countries,
                (SELECT count(*)::int FROM cosmetics_brands b
                  WHERE NOT EXISTS (SELECT 1 FROM cosmetics_class_brands cb WHERE cb.brand_id = b.id)) AS orphans`,
      );
      expect(counts.classes).toBeGreaterThanOrEqual(15);
      expect(counts.brands).toBeGreaterThanOrEqual(80);
      expect(counts.countries).toBeGreaterThanOrEqual(8);
      expect(counts.orphans).toBe(0);
    });

    it('should list the classes in the documented order first', async () => {
      const names = await sut.listClassNames();
      expect(names.slice(0, 6)).toEqual(['粉底液', '粉饼', '散粉', '眼影', '眼线笔', '眼线膏']);
      expect(names.length).toBeGreaterThanOrEqual(15);
    });

    it('should group the brands of 粉底液 by country as documented, France first', async () => {
      const groups = await sut.brandsOfClass('粉底液');
      expect(groups[0].country).toBe('法国');
      expect(groups[0].brand.slice(0, 4)).toEqual([
        'Dior迪奥',
        '香奈儿chanel',
        'Givenchy纪梵希',
        '娇兰Guerlain',
      ]);
      expect(groups[1].country).toBe('英国');
      expect(groups[1].brand.slice(0, 4)).toEqual([
        'glo&ray',
        '巴宝莉Burberry',
        '博姿Boots',
        '凯特 莫斯Kate Moss',
      ]);
      const countries = groups.map((g) => g.country);
      expect(new Set(countries).size).toBe(countries.length);
      expect(groups.every((g) => g.brand.length > 0)).toBe(true);
    });

    it('should list only the brands a class lists', async () => {
      const groups = await sut.brandsOfClass('美妆蛋');
      expect(groups.flatMap((g) => g.brand)).toEqual(
        expect.arrayContaining(['Beautyblender', 'Real Techniques', '丝芙兰Sephora']),
      );
      expect(groups.flatMap((g) => g.brand)).not.toContain('Dior迪奥');
    });

    it('should refuse an unknown class with INVALID_PARAMS', async () => {
      expect(await failure(sut.brandsOfClass('不存在'))).toMatchObject({ code: 'INVALID_PARAMS' });
      expect(await failure(sut.brandsOfClass(''))).toMatchObject({ code: 'INVALID_PARAMS' });
    });
  });

  describe('an artist’s kit', () => {
    const documented = [
      { cosmeticsClass: '粉底液', cosmeticsBrand: ['Dior迪奥', '香奈儿chanel'] },
      { cosmeticsClass: '粉饼', cosmeticsBrand: ['glo&ray', '巴宝莉Burberry'] },
    ];

    it('should save the documented example and answer it as saved', async () => {
      const user = await createUser(ctx);
      const saved = await sut.setArtistCosmetics(user.id, parseCosmeticsInfo(JSON.stringify(documented)));
      expect(saved).toEqual(documented);
      expect(await sut.artistCosmetics(user.id)).toEqual(documented);
    });

    it('should replace the previous kit', async () => {
      const user = await createUser(ctx);
      await sut.setArtistCosmetics(user.id, documented);
      const next = [{ cosmeticsClass: '口红', cosmeticsBrand: ['MAC魅可'] }];
      expect(await sut.setArtistCosmetics(user.id, next)).toEqual(next);
      expect(await sut.artistCosmetics(user.id)).toEqual(next);
      expect(await sut.setArtistCosmetics(user.id, [])).toEqual([]);
      expect(await sut.artistCosmetics(user.id)).toEqual([]);
    });

    it('should match names ignoring case, count repeats once, and answer the catalogue’s spelling', async () => {
      const user = await createUser(ctx);
      const saved = await sut.setArtistCosmetics(user.id, [
        { cosmeticsClass: 'bb霜', cosmeticsBrand: ['DIOR迪奥', 'dior迪奥'] },
        { cosmeticsClass: 'BB霜', cosmeticsBrand: ['NARS'] },
        { cosmeticsClass: '散粉', cosmeticsBrand: [] },
      ]);
      expect(saved).toEqual([
        { cosmeticsClass: 'BB霜', cosmeticsBrand: ['Dior迪奥', 'NARS'] },
        { cosmeticsClass: '散粉', cosmeticsBrand: [] },
      ]);
    });

    it('should refuse unknown classes and brands, naming them, and keep the previous kit', async () => {
      const user = await createUser(ctx);
      await sut.setArtistCosmetics(user.id, documented);
      const refused = await failure(
        sut.setArtistCosmetics(user.id, [
          { cosmeticsClass: '粉底液', cosmeticsBrand: ['Dior迪奥', '无名牌'] },
          { cosmeticsClass: '香水', cosmeticsBrand: [] },
        ]),
      );
      expect(refused).toMatchObject({
        code: 'INVALID_PARAMS',
        detail: { unknownClasses: ['香水'], unknownBrands: ['无名牌'] },
      });
      expect(await sut.artistCosmetics(user.id)).toEqual(documented);
    });

    it('should refuse a retired brand, and keep it in kits that chose it before', async () => {
      const user = await createUser(ctx);
      const kit = [{ cosmeticsClass: '卸妆', cosmeticsBrand: ['贝德玛Bioderma'] }];
      await sut.setArtistCosmetics(user.id, kit);
      await ctx.db.query(`UPDATE cosmetics_brands SET retired_at = now() WHERE name = '贝德玛Bioderma'`);
      try {
        expect(await failure(sut.setArtistCosmetics(user.id, kit))).toMatchObject({ code: 'INVALID_PARAMS' });
        expect(await sut.artistCosmetics(user.id)).toEqual(kit);
        expect((await sut.brandsOfClass('卸妆')).flatMap((g) => g.brand)).not.toContain('贝德玛Bioderma');
      } finally {
        await ctx.db.query(`UPDATE cosmetics_brands SET retired_at = NULL WHERE name = '贝德玛Bioderma'`);
      }
    });

    it('should keep one kit when two replacements race', async () => {
      const user = await createUser(ctx);
      const kits = [
        [{ cosmeticsClass: '眼影', cosmeticsBrand: ['3CE', 'NYX'] }],
        [{ cosmeticsClass: '睫毛膏', cosmeticsBrand: ['美宝莲Maybelline'] }],
      ];
      await Promise.all([...kits, ...kits].map((kit) => sut.setArtistCosmetics(user.id, kit)));
      expect(kits).toContainEqual(await sut.artistCosmetics(user.id));
    });
  });
});
