/** Weights and check characters of GB 11643-1999 (ISO 7064 MOD 11-2). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
/** First two digits: the province-level division (GB/T 2260). */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83, 91,
]);

export interface ResidentIdInfo {
  birthDate: string;
  /** The 17th digit: odd for men, even for women. */
  sex: 'male' | 'female';
}

/**
 * Validates an 18-character PRC resident identity number: format, province code, a real birth date not in the
 * future (nor before 1900), and the check character. Returns what it encodes, or undefined when invalid.
 */
export function parseResidentId(raw: string, today: Date): ResidentIdInfo | undefined {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return undefined;
  if (!PROVINCES.has(Number(id.slice(0, 2)))) return undefined;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  if (birth.getUTCFullYear() !== year || birth.getUTCMonth() !== month - 1 || birth.getUTCDate() !== day)
    return undefined;
  if (year < 1900 || birth.getTime() > today.getTime()) return undefined;
  const sum = WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(id[i]), 0);
  if (CHECK[sum % 11] !== id[17]) return undefined;
  return {
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
  };
}
