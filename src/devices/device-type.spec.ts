import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#src/common/errors/domain-error.js';
import { parseDeviceType } from '#src/devices/device-type.js';

describe(parseDeviceType.name, () => {
  it.each([
    ['0', 'android'],
    [0, 'android'],
    ['android', 'android'],
    ['Android', 'android'],
    ['1', 'ios'],
    [1, 'ios'],
    ['ios', 'ios'],
    [' iOS ', 'ios'],
  ])('should read %j as %s', (value, expected) => {
    expect(parseDeviceType(value)).toBe(expected);
  });

  it.each([['2'], [''], [undefined], [null], ['windows'], [['0']]])('should refuse %j', (value) => {
    expect(() => parseDeviceType(value)).toThrow(DomainError);
  });
});
