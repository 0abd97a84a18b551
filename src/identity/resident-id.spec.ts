import { describe, expect, it } from '@jest/globals';
import { parseResidentId } from '#src/identity/resident-id.js';

const TODAY = new Date('2026-11-23T00:00:00Z');

/** Appends the GB 11643 check character, computed independently of the code under test. */
function withCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + weights[i] * Number(d), 0);
  return first17 + '10X98765432'[sum % 11];
}

describe(parseResidentId.name, () => {
  const sut = (id: string) => parseResidentId(id, TODAY);

  it('should accept the standard’s published example, with X as check character', () => {
    expect(sut('11010519491231002X')).toEqual({ birthDate: '1949-12-31', sex: 'female' });
    expect(sut('11010519491231002x')).toEqual({ birthDate: '1949-12-31', sex: 'female' });
  });

  it('should read the sex from the 17th digit', () => {
    expect(sut(withCheck('44030819990101001'))).toEqual({ birthDate: '1999-01-01', sex: 'male' });
  });

  it.each([
    ['a wrong check character', '440308199901010013'],
    ['17 digits', '44030819990101001'],
    ['19 characters', '4403081999010100123'],
    ['a letter inside', '4403081999010A0012'],
    ['an unknown province (00)', withCheck('00030819990101001')],
    ['a 30th of February', withCheck('44030820000230001')],
    ['a 13th month', withCheck('44030819991301001')],
    ['a birth in the future', withCheck('44030820270101001')],
    ['a birth before 1900', withCheck('44030818991231001')],
    ['a 15-digit old-style number', '110105491231002'],
  ])('should refuse %s', (_label, id) => {
    expect(sut(id)).toBeUndefined();
  });
});
