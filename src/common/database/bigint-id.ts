const MAX_BIGINT = 9_223_372_036_854_775_807n;

/**
 * A decimal id that a bigint column can be compared with. Anything else (signs, 20 digits, 19 digits past the
 * bigint range) cannot name a row, and sent to PostgreSQL it would fail the query instead of finding nothing.
 */
export function isBigintId(text: string): boolean {
  return /^\d{1,19}$/.test(text) && BigInt(text) <= MAX_BIGINT;
}
