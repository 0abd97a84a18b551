import type { ValueTransformer } from 'typeorm';

/**
 * bigint columns holding amounts (coins, fen) to JS numbers and back. pg returns bigint as a string; amounts here
 * are far below 2^53, and a value that is not a safe integer is refused rather than rounded.
 */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => (value === null || value === undefined ? value : String(value)),
  from: (value: string | null) => {
    if (value === null) return null;
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new Error(`amount ${value} is not a safe integer`);
    return n;
  },
};
