import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** A parse result for config transforms: the value, or a message naming what is wrong. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const MAX_COINS = 1_000_000_000_000;

function parseCoins(text: string): number | undefined {
  if (!/^\d{1,13}$/.test(text)) return undefined;
  const coins = Number(text);
  return coins > 0 && coins <= MAX_COINS ? coins : undefined;
}

/**
 * `APPLE_PRODUCTS=com.app.coins100:100,com.app.coins550:550`: App Store product id → coins per unit bought.
 * Product ids are reverse-DNS-like strings (letters, digits, dots, dashes, underscores).
 */
export function parseProductCoins(text: string): Parsed<Map<string, number>> {
  const products = new Map<string, number>();
  for (const item of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z0-9._-]{1,200}):(\S+)$/.exec(item);
    const coins = match ? parseCoins(match[2]) : undefined;
    if (!match || coins === undefined) {
      return { ok: false, message: `expected productId:coins pairs separated by commas, got "${item}"` };
    }
    if (products.has(match[1])) return { ok: false, message: `product ${match[1]} is listed twice` };
    products.set(match[1], coins);
  }
  return { ok: true, value: products };
}

/** Yuan as a decimal string ("10", "10.5", "10.00") to fen; undefined for anything else (no floats involved). */
export function yuanToFen(text: string): number | undefined {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Fen to Alipay's `total_amount`: yuan with exactly two decimals. */
export function fenToYuan(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** `MRPYQ_REFILL_PACKAGES=10:100,50:550,100:1200`: price in yuan → coins credited, keyed by price in fen. */
export function parseRefillPackages(text: string): Parsed<Map<number, number>> {
  const packages = new Map<number, number>();
  for (const item of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [price, coinsText] = item.split(':');
    const fen = price === undefined ? undefined : yuanToFen(price);
    const coins = coinsText === undefined ? undefined : parseCoins(coinsText);
    if (fen === undefined || fen <= 0 || coins === undefined) {
      return { ok: false, message: `expected yuan:coins pairs separated by commas, got "${item}"` };
    }
    if (packages.has(fen)) return { ok: false, message: `the price ${price} is listed twice` };
    packages.set(fen, coins);
  }
  if (packages.size === 0) return { ok: false, message: 'needs at least one yuan:coins package' };
  return { ok: true, value: packages };
}

/**
 * Certificates given as PEM text (one or several blocks), or as base64 DER separated by commas (Apple publishes
 * its roots as DER `.cer` files), to DER buffers the App Store library accepts.
 */
export function parseCertificates(text: string): Parsed<Buffer[]> {
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  const items = pems ?? text.split(',').map((s) => s.replace(/\s+/g, ''));
  const certificates: Buffer[] = [];
  for (const item of items.filter(Boolean)) {
    try {
      const raw = pems ? Buffer.from(item) : Buffer.from(item, 'base64');
      certificates.push(new X509Certificate(raw).raw);
    } catch {
      return { ok: false, message: 'holds something that is not an X.509 certificate (PEM or base64 DER)' };
    }
  }
  if (certificates.length === 0) return { ok: false, message: 'holds no certificate' };
  return { ok: true, value: certificates };
}

/** One certificate file, DER (`AppleRootCA-G3.cer`) or PEM, to DER. */
export function certificateFromFile(contents: Buffer): Parsed<Buffer> {
  try {
    return { ok: true, value: new X509Certificate(contents).raw };
  } catch {
    return { ok: false, message: 'is not an X.509 certificate (DER or PEM)' };
  }
}

/** Key text as PEM, or as the bare base64 that Alipay's key tool and App Store Connect's `.p8` body show. */
function keyBody(text: string): { pem: string } | { der: Buffer } {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return { pem: trimmed.replace(/\\n/g, '\n') };
  return { der: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64') };
}

/**
 * A private key in any of the usual encodings (PEM PKCS#1 or PKCS#8, or bare base64 of either) to PKCS#8 PEM.
 * `type` is the algorithm the key must be for.
 */
export function normalizePrivateKey(text: string, type: 'rsa' | 'ec'): Parsed<string> {
  const body = keyBody(text);
  const attempts =
    'pem' in body
      ? [() => createPrivateKey(body.pem)]
      : [
          () => createPrivateKey({ key: body.der, format: 'der', type: 'pkcs8' }),
          () => createPrivateKey({ key: body.der, format: 'der', type: 'pkcs1' }),
          () => createPrivateKey({ key: body.der, format: 'der', type: 'sec1' }),
        ];
  for (const attempt of attempts) {
    try {
      const key = attempt();
      if (key.asymmetricKeyType !== type)
        return { ok: false, message: `is not an ${type.toUpperCase()} key` };
      return { ok: true, value: key.export({ type: 'pkcs8', format: 'pem' }).toString() };
    } catch {
      // try the next encoding
    }
  }
  return { ok: false, message: 'is not a private key (PEM, or base64 of PKCS#8/PKCS#1 DER)' };
}

/** An RSA public key (PEM, or the bare base64 SPKI that Alipay's console shows) to SPKI PEM. */
export function normalizeRsaPublicKey(text: string): Parsed<string> {
  const body = keyBody(text);
  try {
    const key =
      'pem' in body
        ? createPublicKey(body.pem)
        : createPublicKey({ key: body.der, format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'rsa') return { ok: false, message: 'is not an RSA key' };
    return { ok: true, value: key.export({ type: 'spki', format: 'pem' }).toString() };
  } catch {
    return { ok: false, message: 'is not a public key (PEM, or base64 of SPKI DER)' };
  }
}

/** A zod string whose text `parse` turns into a value, reporting its message against the variable. */
export function parsedText<T>(parse: (text: string) => Parsed<T>) {
  return z.string().transform((text, ctx) => {
    const result = parse(text);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.message });
    return z.NEVER;
  });
}

/** A zod string naming a file (`*_FILE` variables) whose contents `parse` turns into a value. */
export function parsedFile<T>(parse: (contents: Buffer) => Parsed<T>) {
  return z.string().transform((path, ctx) => {
    let contents: Buffer;
    try {
      contents = readFileSync(path);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code}`,
      });
      return z.NEVER;
    }
    const result = parse(contents);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: `${path} ${result.message}` });
    return z.NEVER;
  });
}

/** `a.cer,b.pem`: every file one certificate. */
export function parseCertificateFiles(paths: string): Parsed<Buffer[]> {
  const certificates: Buffer[] = [];
  for (const path of paths
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    let contents: Buffer;
    try {
      contents = readFileSync(path);
    } catch (error) {
      return { ok: false, message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code}` };
    }
    const certificate = certificateFromFile(contents);
    if (!certificate.ok) return { ok: false, message: `${path} ${certificate.message}` };
    certificates.push(certificate.value);
  }
  if (certificates.length === 0) return { ok: false, message: 'names no file' };
  return { ok: true, value: certificates };
}
