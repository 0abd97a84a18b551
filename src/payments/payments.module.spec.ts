import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '#src/config/app-config.js';
import { choosePaymentProvider } from '#src/payments/payments.module.js';

describe(choosePaymentProvider.name, () => {
  const config = loadConfig({ DATA_DIR: '/tmp/concord-test-data', JWT_SECRET: 'x'.repeat(40) });

  it('should build the provider the config names', () => {
    expect(choosePaymentProvider(config).name).toBe('local');
    const none = {
      ...config,
      payments: { ...config.payments, refill: { ...config.payments.refill, provider: 'none' as const } },
    };
    expect(choosePaymentProvider(none)).toMatchObject({ name: 'none', available: false });
  });

  it('should never build the local provider in production, even from a config that slipped past validation', () => {
    expect(choosePaymentProvider({ ...config, isProduction: true })).toMatchObject({
      name: 'none',
      available: false,
    });
  });
});
