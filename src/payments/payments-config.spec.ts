import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '#src/config/app-config.js';
import {
  fenToYuan,
  normalizePrivateKey,
  normalizeRsaPublicKey,
  parseCertificates,
  parseProductCoins,
  parseRefillPackages,
  yuanToFen,
} from '#src/payments/payments-config.js';

const dir = mkdtempSync(join(tmpdir(), 'concord-payments-config-'));
const base = { DATA_DIR: dir, JWT_SECRET: 'a-secret-that-is-long-enough-for-production-use' };

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsaPkcs1Pem = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const rsaPkcs8Der = rsa.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
const rsaSpkiDer = rsa.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const ecPem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function selfSigned(): { pem: string; derFile: string } {
  const key = join(dir, 'root.key');
  writeFileSync(key, ecPem);
  const pem = execFileSync('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    key,
    '-subj',
    '/CN=Root',
    '-days',
    '2',
  ]);
  const derFile = join(dir, 'root.cer');
  writeFileSync(derFile, execFileSync('openssl', ['x509', '-outform', 'DER'], { input: pem }));
  return { pem: pem.toString(), derFile };
}

const messageOf = (env: Record<string, string>) => {
  try {
    loadConfig({ ...base, ...env });
    return '';
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
};

describe('payments config', () => {
  describe(yuanToFen.name, () => {
    it.each([
      ['10', 1000],
      ['10.5', 1050],
      ['10.05', 1005],
      ['0.01', 1],
      ['100.00', 10000],
    ])('should read %s yuan as %d fen', (text, fen) => {
      expect(yuanToFen(text)).toBe(fen);
      expect(yuanToFen(fenToYuan(fen))).toBe(fen);
    });

    it.each(['', '10.001', '-1', '1e3', ' 10', '10元', '0x10', '10.'])('should refuse %p', (text) => {
      expect(yuanToFen(text)).toBeUndefined();
    });

    it('should write Alipay amounts with two decimals', () => {
      expect([fenToYuan(1000), fenToYuan(1), fenToYuan(123456)]).toEqual(['10.00', '0.01', '1234.56']);
    });
  });

  it('should parse refill packages and product coins, refusing duplicates and junk', () => {
    expect(parseRefillPackages('10:100, 50:550,100:1200')).toEqual({
      ok: true,
      value: new Map([
        [1000, 100],
        [5000, 550],
        [10000, 1200],
      ]),
    });
    expect(parseRefillPackages('10:100,10.00:200').ok).toBe(false);
    expect(parseRefillPackages('10:0').ok).toBe(false);
    expect(parseRefillPackages('').ok).toBe(false);
    expect(parseProductCoins('com.a.coins100:100,com.a.coins550:550')).toEqual({
      ok: true,
      value: new Map([
        ['com.a.coins100', 100],
        ['com.a.coins550', 550],
      ]),
    });
    expect(parseProductCoins('com.a:1.5').ok).toBe(false);
    expect(parseProductCoins('com a:1').ok).toBe(false);
  });

  it('should accept keys as PEM or bare base64, PKCS#1 or PKCS#8, and check their algorithm', () => {
    const fromPkcs1 = normalizePrivateKey(rsaPkcs1Pem, 'rsa');
    const fromBase64 = normalizePrivateKey(rsaPkcs8Der, 'rsa');
    expect(fromPkcs1.ok && fromBase64.ok && fromPkcs1.value === fromBase64.value).toBe(true);
    expect(normalizePrivateKey(ecPem, 'rsa').ok).toBe(false);
    expect(normalizePrivateKey('not a key', 'rsa').ok).toBe(false);
    expect(normalizeRsaPublicKey(rsaSpkiDer)).toMatchObject({ ok: true });
    // An environment file often carries the PEM on one line with literal \n.
    expect(normalizePrivateKey(ecPem.replace(/\n/g, '\\n'), 'ec').ok).toBe(true);
  });

  it('should read root certificates as PEM text, base64 DER or files', () => {
    const { pem, derFile } = selfSigned();
    expect(parseCertificates(pem)).toMatchObject({ ok: true, value: [expect.any(Buffer)] });
    const der = execFileSync('openssl', ['x509', '-outform', 'DER'], { input: pem }).toString('base64');
    expect(parseCertificates(`${der},${der}`)).toMatchObject({
      ok: true,
      value: [expect.any(Buffer), expect.any(Buffer)],
    });
    const config = loadConfig({
      ...base,
      APPLE_BUNDLE_ID: 'com.example.app',
      APPLE_ROOT_CERTIFICATE_FILES: derFile,
      APPLE_PRODUCTS: 'com.example.coins:10',
    });
    expect(config.payments.apple?.rootCertificates).toHaveLength(1);
    expect(messageOf({ APPLE_ROOT_CERTIFICATE_FILES: join(dir, 'missing.cer') })).toContain(
      'APPLE_ROOT_CERTIFICATE_FILES: cannot read',
    );
  });

  describe('App Store', () => {
    const apple = () => ({
      APPLE_BUNDLE_ID: 'com.example.app',
      APPLE_ROOT_CERTIFICATES: selfSigned().pem,
      APPLE_PRODUCTS: 'com.example.coins:10',
    });

    it('should keep online checks on by default, and refuse turning them off in production', () => {
      expect(loadConfig({ ...base, ...apple() }).payments.apple?.onlineChecks).toBe(true);
      expect(
        messageOf({
          ...apple(),
          NODE_ENV: 'production',
          APPLE_APP_APPLE_ID: '1',
          APPLE_ONLINE_CHECKS: 'false',
        }),
      ).toContain('APPLE_ONLINE_CHECKS: revocation checks cannot be turned off in production');
    });

    it('should refuse unsigned environments in production and require the app id for Production', () => {
      expect(messageOf({ ...apple(), NODE_ENV: 'production', APPLE_ENVIRONMENT: 'Xcode' })).toContain(
        'APPLE_ENVIRONMENT: Xcode transactions are not signed by Apple',
      );
      expect(messageOf({ ...apple(), NODE_ENV: 'production' })).toContain('APPLE_APP_APPLE_ID: is required');
    });

    it('should require roots, products, and the API key with its ids', () => {
      expect(messageOf({ APPLE_BUNDLE_ID: 'com.example.app' })).toMatch(
        /APPLE_PRODUCTS: needs at least one[\s\S]*APPLE_ROOT_CERTIFICATES: or APPLE_ROOT_CERTIFICATE_FILES is required/,
      );
      expect(messageOf({ ...apple(), APPLE_API_KEY: ecPem })).toContain(
        'APPLE_API_KEY: APPLE_API_KEY (or _FILE)',
      );
      const config = loadConfig({
        ...base,
        ...apple(),
        APPLE_API_KEY: ecPem,
        APPLE_API_KEY_ID: 'KEY',
        APPLE_API_ISSUER_ID: 'issuer',
      });
      expect(config.payments.apple?.api).toMatchObject({
        keyId: 'KEY',
        issuerId: 'issuer',
        timeoutMs: 10_000,
      });
      expect(messageOf({ ...apple(), APPLE_API_KEY: rsaPkcs1Pem })).toContain(
        'APPLE_API_KEY: is not an EC key',
      );
    });

    it('should leave App Store purchases off without a bundle id', () => {
      expect(loadConfig(base).payments.apple).toBeNull();
    });
  });

  describe('refill', () => {
    it('should default to local outside production and to none in production', () => {
      expect(loadConfig(base).payments.refill.provider).toBe('local');
      expect(loadConfig({ ...base, NODE_ENV: 'production' }).payments.refill.provider).toBe('none');
    });

    it('should refuse the local provider in production', () => {
      expect(messageOf({ NODE_ENV: 'production', PAYMENT_PROVIDER: 'local' })).toContain(
        'PAYMENT_PROVIDER: local credits coins without any payment: refused in production',
      );
    });

    it('should require the Alipay app, both keys and, in production, a reachable notify URL', () => {
      const message = messageOf({ NODE_ENV: 'production', PAYMENT_PROVIDER: 'alipay' });
      expect(message).toContain('ALIPAY_APP_ID: is required');
      expect(message).toContain('ALIPAY_PRIVATE_KEY: or ALIPAY_PRIVATE_KEY_FILE is required');
      expect(message).toContain('ALIPAY_PUBLIC_KEY: or ALIPAY_PUBLIC_KEY_FILE is required');
      expect(message).toContain('ALIPAY_NOTIFY_URL: or PUBLIC_BASE_URL is required in production');
      const config = loadConfig({
        ...base,
        PAYMENT_PROVIDER: 'alipay',
        ALIPAY_APP_ID: '2021000000000001',
        ALIPAY_PRIVATE_KEY: rsaPkcs8Der,
        ALIPAY_PUBLIC_KEY: rsaSpkiDer,
        PUBLIC_BASE_URL: 'https://api.example.com/',
      });
      expect(config.payments.refill.alipay).toMatchObject({
        appId: '2021000000000001',
        notifyUrl: 'https://api.example.com/payments/alipay/notify',
        orderTimeoutMs: 30 * 60_000,
      });
    });

    it('should refuse malformed packages and Alipay ids', () => {
      expect(messageOf({ MRPYQ_REFILL_PACKAGES: '10:abc' })).toContain(
        'MRPYQ_REFILL_PACKAGES: expected yuan:coins',
      );
      expect(messageOf({ ALIPAY_APP_ID: '123' })).toContain('ALIPAY_APP_ID: expected the 16-digit');
    });
  });
});
