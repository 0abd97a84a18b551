import { describe, expect, it } from '@jest/globals';
import { toE164, toLocalPhone } from '#src/users/phone.js';

describe(toE164.name, () => {
  it.each([
    ['a bare mainland number', '15507898841', '+8615507898841'],
    ['86 in front', '8615507898841', '+8615507898841'],
    ['+86 in front', '+8615507898841', '+8615507898841'],
    ['0086 in front', '008615507898841', '+8615507898841'],
    ['spaces and dashes', ' 155-0789 8841 ', '+8615507898841'],
    ['another country with +', '+14155552671', '+14155552671'],
    ['another country with 00', '0044 20 7946 0958', '+442079460958'],
  ])('should normalise %s', (_label, raw, expected) => {
    expect(toE164(raw)).toBe(expected);
  });

  it.each([
    ['a landline-like mainland number', '01012345678'],
    ['a mainland number of 10 digits', '1550789884'],
    ['a mainland number starting 12', '12507898841'],
    ['+86 with a wrong shape', '+861234'],
    ['letters', '1550789abcd'],
    ['empty', ''],
    ['an international number without +', '4155552671'],
  ])('should refuse %s', (_label, raw) => {
    expect(toE164(raw)).toBeUndefined();
  });

  it('should show mainland numbers without the country code', () => {
    expect(toLocalPhone('+8615507898841')).toBe('15507898841');
    expect(toLocalPhone('+14155552671')).toBe('+14155552671');
  });
});
