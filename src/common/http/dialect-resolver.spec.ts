import { describe, expect, it } from '@jest/globals';
import { DialectResolver } from '#src/common/http/dialect-resolver.js';
import { DIALECT_NAMES, type DialectName } from '#src/dialects/dialect.js';

const NO_PREFIXES: Record<DialectName, string> = {
  nuzzle: '',
  moretv: '',
  mrpyq: '',
  nggirl: '',
  xiaoma: '',
};

function resolver(
  enabled: readonly DialectName[] = DIALECT_NAMES,
  prefixes: Partial<Record<DialectName, string>> = {},
) {
  return new DialectResolver({
    dialects: { enabled: [...enabled], prefixes: { ...NO_PREFIXES, ...prefixes } },
  });
}

describe(DialectResolver.name, () => {
  describe('with every dialect at the root', () => {
    const sut = resolver();

    it.each<[string, DialectName]>([
      ['/user/login', 'moretv'],
      ['/user/register', 'moretv'],
      ['/user/forgetPassword', 'moretv'],
      ['/user/resetPassword/abc', 'moretv'],
      ['/user/profile', 'nuzzle'],
      ['/user/modify', 'nuzzle'],
      ['/user', 'nuzzle'],
      ['/user/loginx', 'nuzzle'],
      ['/passport/email/login', 'nuzzle'],
      ['/aws/store/token', 'nuzzle'],
      ['/Api/User/x', 'xiaoma'],
      ['/api/user/x', 'xiaoma'],
      ['/API/USER/LOGIN', 'xiaoma'],
      ['/Api/User', 'xiaoma'],
      ['/register', 'mrpyq'],
      ['/register/', 'mrpyq'],
      ['/golden', 'mrpyq'],
      ['/nggirl/app/bus/phoneUser/login', 'nggirl'],
      ['/userInfo/get', 'moretv'],
      ['/eamil/resetpasword/t', 'moretv'],
      ['/sns/login/facebook', 'moretv'],
    ])('should resolve %s to %s', (path, dialect) => {
      expect(sut.fromPath(path)).toBe(dialect);
    });

    it.each([
      '/registerx',
      '/Api/Userx',
      '/passports',
      '/health',
      '/',
      '',
      '/dev/outbox',
      '/account/reset-password',
      '/nuzzle/passport/email/login',
      '/sns/logins',
    ])('should resolve %s to no dialect', (path) => {
      expect(sut.fromPath(path)).toBeUndefined();
    });

    it('should match case-sensitively for dialects whose routers did', () => {
      expect(sut.fromPath('/Register')).toBeUndefined();
      expect(sut.fromPath('/PASSPORT/email/login')).toBeUndefined();
      expect(sut.fromPath('/User/login')).toBeUndefined();
    });
  });

  describe('with configured prefixes', () => {
    const sut = resolver(DIALECT_NAMES, { nuzzle: '/nz', xiaoma: '/xm' });

    it('should resolve a prefixed path to its dialect', () => {
      expect(sut.fromPath('/nz/passport/x')).toBe('nuzzle');
      expect(sut.fromPath('/nz/user/profile')).toBe('nuzzle');
      expect(sut.fromPath('/xm/Api/User/x')).toBe('xiaoma');
      expect(sut.fromPath('/XM/api/user/x')).toBe('xiaoma');
    });

    it('should no longer claim the unprefixed paths of a prefixed dialect', () => {
      expect(sut.fromPath('/passport/x')).toBeUndefined();
      expect(sut.fromPath('/user/profile')).toBeUndefined();
      expect(sut.fromPath('/Api/User/x')).toBeUndefined();
    });

    it('should leave the paths of unprefixed dialects where they were', () => {
      expect(sut.fromPath('/user/login')).toBe('moretv');
      expect(sut.fromPath('/register')).toBe('mrpyq');
    });

    it('should give a prefixed nuzzle /user/login to nuzzle, not to moretv', () => {
      expect(sut.fromPath('/nz/user/login')).toBe('nuzzle');
    });
  });

  describe('with some dialects disabled', () => {
    const sut = resolver(['xiaoma', 'mrpyq']);

    it('should claim no path of a disabled dialect', () => {
      expect(sut.fromPath('/passport/email/login')).toBeUndefined();
      expect(sut.fromPath('/user/login')).toBeUndefined();
      expect(sut.fromPath('/user/profile')).toBeUndefined();
      expect(sut.fromPath('/nggirl/app/x')).toBeUndefined();
    });

    it('should still claim the paths of enabled dialects', () => {
      expect(sut.fromPath('/api/user/x')).toBe('xiaoma');
      expect(sut.fromPath('/room')).toBe('mrpyq');
    });
  });

  it('should give /user/* to nuzzle when moretv is disabled', () => {
    const sut = resolver(['nuzzle']);
    expect(sut.fromPath('/user/login')).toBe('nuzzle');
  });

  it('should claim nothing when no dialect is enabled', () => {
    const sut = resolver([]);
    expect(sut.fromPath('/passport/email/login')).toBeUndefined();
  });
});
