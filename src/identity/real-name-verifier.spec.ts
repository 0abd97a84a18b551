import { describe, expect, it } from '@jest/globals';
import { LocalRealNameVerifier } from '#src/identity/real-name-verifier.js';

describe(LocalRealNameVerifier.name, () => {
  const sut = new LocalRealNameVerifier();
  const idNumber = '11010519491231002X';

  it.each([
    ['a Han name', '张三', 'verified'],
    ['a name with a middle dot', '买买提·艾力', 'verified'],
    ['a Latin name', 'John Smith', 'rejected'],
    ['a single character', '张', 'rejected'],
    ['a name asking for manual review', '审核测试', 'review'],
  ])('should answer %s with %s', async (_label, name, verdict) => {
    expect(await sut.verify({ name, idNumber })).toBe(verdict);
  });
});
