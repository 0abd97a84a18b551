import { DomainError } from '#src/common/errors/domain-error.js';

export type DeviceType = 'android' | 'ios';

/**
 * nggirl's `deviceType`: the document says 0 for Android and 1 for iOS, and its own example sends `ios`; both forms
 * are accepted (names in any case). Anything else is INVALID_PARAMS.
 */
export function parseDeviceType(value: unknown): DeviceType {
  const text =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim().toLowerCase() : '';
  switch (text) {
    case '0':
    case 'android':
      return 'android';
    case '1':
    case 'ios':
      return 'ios';
    default:
      throw new DomainError('INVALID_PARAMS', 'deviceType must be 0 (android) or 1 (ios)', {
        field: 'deviceType',
      });
  }
}
