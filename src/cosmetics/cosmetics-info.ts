import { DomainError } from '#src/common/errors/domain-error.js';
import { parseBoundedJson } from '#src/common/http/request-bounds.js';

/** One class of an artist's kit and the brands they use in it, named as the catalogue writes them. */
export interface CosmeticsSelection {
  cosmeticsClass: string;
  cosmeticsBrand: string[];
}

/** Bounds of one `cosmeticsInfo`: far above a real kit, far below what would make the statement heavy. */
export const MAX_SELECTED_CLASSES = 50;
export const MAX_BRANDS_PER_CLASS = 100;
const MAX_NAME_LENGTH = 64;
// JSON text inside one parameter is walked only within these bounds (as every form field holding JSON is).
const COSMETICS_INFO_BOUNDS = {
  // per class: its entry, its two members, its brands
  maxParams: MAX_SELECTED_CLASSES * (MAX_BRANDS_PER_CLASS + 3),
  maxDepth: 3,
  maxArrayLength: Math.max(MAX_SELECTED_CLASSES, MAX_BRANDS_PER_CLASS),
};

function invalid(reason: string): DomainError {
  return new DomainError('INVALID_PARAMS', `cosmeticsInfo: ${reason}`, { field: 'cosmeticsInfo' });
}

function name(value: unknown, what: string): string {
  if (typeof value !== 'string') throw invalid(`${what} must be a string`);
  const trimmed = value.trim();
  if (trimmed.length === 0 || [...trimmed].length > MAX_NAME_LENGTH) {
    throw invalid(`${what} must be 1–${MAX_NAME_LENGTH} characters`);
  }
  return trimmed;
}

/**
 * nggirl `setCosmeticsInfo`'s parameter: a JSON array of `{cosmeticsClass, cosmeticsBrand[]}`, sent as JSON text
 * (query string, form field) or as a JSON value in a JSON body. A single object stands for an array of one (the
 * document calls it "a JSON object"); a missing `cosmeticsBrand` is an empty list. Throws INVALID_PARAMS.
 */
export function parseCosmeticsInfo(value: unknown): CosmeticsSelection[] {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = parseBoundedJson(value, COSMETICS_INFO_BOUNDS);
    } catch (error) {
      throw error instanceof DomainError ? invalid('too large or too deeply nested') : invalid('not JSON');
    }
  }
  const entries: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  if (entries.length > MAX_SELECTED_CLASSES) throw invalid(`at most ${MAX_SELECTED_CLASSES} classes`);
  return entries.map((entry) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw invalid('each entry must be an object {cosmeticsClass, cosmeticsBrand}');
    }
    const { cosmeticsClass, cosmeticsBrand } = entry as Record<string, unknown>;
    const brands = cosmeticsBrand ?? [];
    if (!Array.isArray(brands)) throw invalid('cosmeticsBrand must be an array');
    if (brands.length > MAX_BRANDS_PER_CLASS)
      throw invalid(`at most ${MAX_BRANDS_PER_CLASS} brands per class`);
    return {
      cosmeticsClass: name(cosmeticsClass, 'cosmeticsClass'),
      cosmeticsBrand: brands.map((brand) => name(brand, 'cosmeticsBrand')),
    };
  });
}
