import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#src/common/errors/domain-error.js';
import { checkDivision, requireDivision } from '#src/divisions/china-division.js';

describe(checkDivision.name, () => {
  it('should accept a district of Beijing under the city code 110100', () => {
    expect(checkDivision('110100', '110105')).toEqual({
      ok: true,
      province: { code: '110000', name: '北京市' },
      city: { code: '110000', name: '北京市' },
      area: { code: '110105', name: '朝阳区' },
    });
  });

  it('should accept a municipality named as a whole (110000, 310000)', () => {
    expect(checkDivision('110000', '110108')).toMatchObject({ ok: true, area: { name: '海淀区' } });
    expect(checkDivision('310000', '310115')).toMatchObject({ ok: true, area: { name: '浦东新区' } });
  });

  it("should accept Chongqing's counties whichever of its two city codes is given", () => {
    // 500229 城口县 belongs to 5002 (县) in the data; clients pick 重庆 as one city.
    expect(checkDivision('500200', '500229')).toMatchObject({ ok: true, area: { name: '城口县' } });
    expect(checkDivision('500100', '500229')).toMatchObject({
      ok: true,
      city: { code: '500000', name: '重庆市' },
    });
    expect(checkDivision('500000', '500101')).toMatchObject({ ok: true, area: { name: '万州区' } });
  });

  it('should accept an area of a prefecture-level city', () => {
    expect(checkDivision('440300', '440305')).toEqual({
      ok: true,
      province: { code: '440000', name: '广东省' },
      city: { code: '440300', name: '深圳市' },
      area: { code: '440305', name: '南山区' },
    });
  });

  it('should accept a city without districts whose only area repeats its code (中山市)', () => {
    expect(checkDivision('442000', '442000')).toMatchObject({ ok: true, city: { name: '中山市' } });
  });

  it("should accept a province's directly administered county-level city", () => {
    expect(checkDivision('429000', '429004')).toMatchObject({ ok: true, area: { name: '仙桃市' } });
  });

  it('should accept numbers as well as strings', () => {
    expect(checkDivision(110100, 110105)).toMatchObject({ ok: true });
  });

  it('should refuse an area of another city', () => {
    expect(checkDivision('440300', '440106')).toEqual({ ok: false, problem: 'area_outside_city' });
    expect(checkDivision('110100', '310115')).toEqual({ ok: false, problem: 'area_outside_city' });
    expect(checkDivision('310000', '110105')).toEqual({ ok: false, problem: 'area_outside_city' });
  });

  it('should refuse codes that are not six digits, or a city code that names an area', () => {
    expect(checkDivision('1101', '110105')).toEqual({ ok: false, problem: 'city_format' });
    expect(checkDivision('440305', '440305')).toEqual({ ok: false, problem: 'city_format' });
    expect(checkDivision('440300', '44030')).toEqual({ ok: false, problem: 'area_format' });
    expect(checkDivision(undefined, '110105')).toEqual({ ok: false, problem: 'city_format' });
    expect(checkDivision('110100', null)).toEqual({ ok: false, problem: 'area_format' });
    expect(checkDivision(' 110100', '110105')).toEqual({ ok: false, problem: 'city_format' });
  });

  it('should refuse codes the standard does not have', () => {
    expect(checkDivision('449900', '440305')).toEqual({ ok: false, problem: 'unknown_city' });
    expect(checkDivision('990100', '990101')).toEqual({ ok: false, problem: 'unknown_city' });
    expect(checkDivision('440000', '440305')).toEqual({ ok: false, problem: 'unknown_city' });
    expect(checkDivision('440300', '440399')).toEqual({ ok: false, problem: 'unknown_area' });
  });
});

describe(requireDivision.name, () => {
  it('should answer the checked division', () => {
    expect(requireDivision('110100', '110105').area).toEqual({ code: '110105', name: '朝阳区' });
  });

  it('should throw INVALID_PARAMS naming the parameter at fault', () => {
    const fault = (city: string, area: string) => {
      try {
        requireDivision(city, area);
      } catch (error) {
        return error instanceof DomainError ? { code: error.code, ...error.detail } : error;
      }
      return undefined;
    };
    expect(fault('449900', '440305')).toEqual({
      code: 'INVALID_PARAMS',
      field: 'cityId',
      problem: 'unknown_city',
    });
    expect(fault('440300', '440106')).toEqual({
      code: 'INVALID_PARAMS',
      field: 'areaId',
      problem: 'area_outside_city',
    });
  });
});
