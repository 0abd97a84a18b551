import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '#src/config/app-config.js';

const BASE = {
  DATA_DIR: '/tmp/concord-sns-config',
  JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters',
};

const failureOf = (env: Record<string, string>): string => {
  try {
    loadConfig({ ...BASE, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
};

describe('sns configuration', () => {
  it('should turn a provider on with its id and secret, at the real hosts by default', () => {
    const sut = loadConfig({
      ...BASE,
      SNS_WX_CLIENT_ID: 'wx123',
      SNS_WX_CLIENT_SECRET: 's',
      SNS_QQ_CLIENT_ID: '101',
      SNS_QQ_CLIENT_SECRET: 'k',
      SNS_QQ_BASE_URL: 'http://127.0.0.1:9999/',
    });
    expect(sut.sns.providers).toEqual({
      qq: { clientId: '101', clientSecret: 'k', baseUrl: 'http://127.0.0.1:9999' },
      wb: undefined,
      db: undefined,
      wx: {
        clientId: 'wx123',
        clientSecret: 's',
        authUrl: 'https://open.weixin.qq.com',
        apiUrl: 'https://api.weixin.qq.com',
      },
    });
  });

  it('should refuse an id without its secret and the other way round, naming the missing one', () => {
    expect(failureOf({ SNS_DB_CLIENT_ID: 'x' })).toMatch(
      /SNS_DB_CLIENT_SECRET: is required with SNS_DB_CLIENT_ID/,
    );
    expect(failureOf({ FACEBOOK_APP_SECRET: 'x' })).toMatch(
      /FACEBOOK_APP_ID: is required with FACEBOOK_APP_SECRET/,
    );
  });

  it('should read allowed origins, lower-cased, and refuse anything but an origin', () => {
    expect(
      loadConfig({
        ...BASE,
        PUBLIC_BASE_URL: 'https://www.moretv.com.cn',
        MORETV_ALLOWED_ORIGINS: 'https://WWW.moretv.com.cn/, https://*.tvmore.com.cn,,',
      }).moretv,
    ).toEqual({ allowedOrigins: ['https://www.moretv.com.cn', 'https://*.tvmore.com.cn'] });
    // Only the development default (no PUBLIC_BASE_URL) also admits the loopback address of the same port.
    expect(loadConfig({ ...BASE, MORETV_ALLOWED_ORIGINS: 'https://www.moretv.com.cn' }).moretv).toEqual({
      allowedOrigins: ['https://www.moretv.com.cn', 'http://127.0.0.1:3000'],
    });
    for (const bad of [
      'https://x.example/path',
      'x.example',
      'javascript:alert(1)',
      'https://*',
      'ftp://x.example',
    ]) {
      expect(failureOf({ MORETV_ALLOWED_ORIGINS: bad })).toMatch(/MORETV_ALLOWED_ORIGINS: expected origins/);
    }
  });

  it('should check the Facebook app id and Graph version', () => {
    expect(failureOf({ FACEBOOK_APP_ID: 'abc', FACEBOOK_APP_SECRET: 's' })).toMatch(
      /FACEBOOK_APP_ID: expected the numeric/,
    );
    expect(failureOf({ FACEBOOK_GRAPH_VERSION: '21' })).toMatch(/FACEBOOK_GRAPH_VERSION/);
  });
});
