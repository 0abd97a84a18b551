/**
 * Phones are stored in E.164. The documents' clients send mainland numbers bare (`15507898841`), sometimes with
 * `86`, `+86` or `0086`; those become `+8615507898841`. Other international numbers must carry `+` or `00` and
 * their country code. Returns undefined for anything that is not a plausible number.
 */
export function toE164(raw: string, defaultCountry = '86'): string | undefined {
  const compact = raw.trim().replace(/[\s\-().]/g, '');
  let digits: string;
  if (compact.startsWith('+')) digits = compact.slice(1);
  else if (compact.startsWith('00')) digits = compact.slice(2);
  else if (defaultCountry === '86' && /^1[3-9]\d{9}$/.test(compact)) digits = `86${compact}`;
  else if (defaultCountry === '86' && /^861[3-9]\d{9}$/.test(compact)) digits = compact;
  else return undefined;
  if (!/^[1-9]\d{6,14}$/.test(digits)) return undefined;
  // Mainland mobile numbers have a fixed shape; refuse a +86 number that does not have it.
  if (digits.startsWith('86') && !/^861[3-9]\d{9}$/.test(digits)) return undefined;
  return `+${digits}`;
}

/** The number as a mainland client shows it: without +86; others keep their E.164 form. */
export function toLocalPhone(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164;
}
