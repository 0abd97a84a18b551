import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#src/common/errors/domain-error.js';
import { validNickname } from '#src/users/nickname.js';

function failureOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe(validNickname.name, () => {
  const sut = validNickname;

  it.each([
    ['Latin letters', 'Jimmy', 'Jimmy'],
    ['Chinese', '张三', '张三'],
    ['digits only', '12345', '12345'],
    ['an emoji only', '😀', '😀'],
    ['letters, spaces and punctuation', 'Mr. Smith-Jones', 'Mr. Smith-Jones'],
    ['one character', 'a', 'a'],
    ['30 characters', 'x'.repeat(30), 'x'.repeat(30)],
    ['30 emoji (60 UTF-16 units)', '😀'.repeat(30), '😀'.repeat(30)],
    ['spaces around', '  Jimmy \t', 'Jimmy'],
    ['an ideographic space around', '\u3000张三\u3000', '张三'],
    ['a byte order mark before it', '\uFEFFname', 'name'],
    ['an emoji sequence joined by zero-width joiners', '程序员👩\u200D💻', '程序员👩\u200D💻'],
  ])('should accept %s', (_label, raw, expected) => {
    expect(sut(raw)).toBe(expected);
  });

  it('should normalise to NFC, so a decomposed accent counts as one character', () => {
    const decomposed = 'Jose\u0301';
    expect(sut(decomposed)).toBe('José');
    expect(sut('e\u0301'.repeat(30))).toBe('é'.repeat(30));
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['31 characters', 'x'.repeat(31)],
    ['31 emoji', '😀'.repeat(31)],
    ['31 characters once trimmed to more than 30', ` ${'y'.repeat(31)} `],
    ['a control character', 'bad\u0007name'],
    ['a newline', 'two\nlines'],
    ['a NUL', 'nul\u0000'],
    ['a zero-width space', 'zero\u200Bwidth'],
    ['a lone zero-width non-joiner', 'zero\u200Cjoin'],
    ['a right-to-left override', 'evil\u202Egnp.exe'],
    ['a byte order mark inside', 'na\uFEFFme'],
    ['a private-use character', 'pua\uE000'],
    ['a line separator', 'line\u2028sep'],
    ['an unassigned code point', 'x\u{E0080}'],
    ['only punctuation', '...'],
    ['only symbols of punctuation classes', '-_-!?'],
  ])('should refuse %s with NICKNAME_INVALID', (_label, raw) => {
    const error = failureOf(() => sut(raw));
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('NICKNAME_INVALID');
  });
});
