import { randomUUID } from 'node:crypto';
import { inAppPurchaseKey, signJws, TestPki, type SigningChain } from '#test/payments/apple-pki.js';
import { FakeAppStoreApi } from '#test/payments/fake-app-store-api.js';

export const BUNDLE_ID = 'com.concord.nuzzle';
export const COINS_100 = 'com.concord.coins100';
export const COINS_600 = 'com.concord.coins600';

/** Transaction ids of their own per suite (suites run in parallel on one template, but separate databases). */
let nextTransactionId = 2_000_000_300_000 + Math.floor(Math.random() * 1_000_000) * 1000;
export const newTransactionId = (): string => String(nextTransactionId++);

/** A JWSTransactionDecodedPayload as StoreKit and the App Store Server API sign it. */
export function appleTransaction(overrides: Record<string, unknown> = {}) {
  const id = newTransactionId();
  const now = Date.now();
  return {
    transactionId: id,
    originalTransactionId: id,
    bundleId: BUNDLE_ID,
    productId: COINS_100,
    purchaseDate: now - 60_000,
    originalPurchaseDate: now - 60_000,
    quantity: 1,
    type: 'Consumable',
    inAppOwnershipType: 'PURCHASED',
    signedDate: now,
    environment: 'Sandbox',
    transactionReason: 'PURCHASE',
    storefront: 'CHN',
    storefrontId: '143465',
    price: 6000,
    currency: 'CNY',
    ...overrides,
  };
}

/** An App Store Server Notification V2 payload (to be signed). */
export function appleNotification(
  type: string,
  signedTransactionInfo: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    notificationType: type,
    notificationUUID: randomUUID(),
    data: { bundleId: BUNDLE_ID, bundleVersion: '1', environment: 'Sandbox', signedTransactionInfo },
    version: '2.0',
    signedDate: Date.now(),
    ...overrides,
  };
}

/** A test PKI shaped like Apple's, a fake App Store Server API on loopback, and the env that points at both. */
export interface FakeApple {
  apple: SigningChain;
  foreign: SigningChain;
  api: FakeAppStoreApi;
  env: Record<string, string>;
  sign(payload: object): string;
  /** A refund of `transaction` as Apple notifies it, signed. */
  refund(transaction: Record<string, unknown>): string;
  close(): Promise<void>;
}

export async function startFakeApple(): Promise<FakeApple> {
  const pki = TestPki.create();
  const apple = pki.chain('apple');
  const foreign = pki.chain('foreign');
  const key = inAppPurchaseKey();
  const api = await FakeAppStoreApi.start({
    publicKey: key.publicKey,
    keyId: 'TESTKEY123',
    issuerId: '57246542-96fe-1a63-e053-0824d011072a',
    bundleId: BUNDLE_ID,
  });
  const sign = (payload: object) => signJws(payload, apple);
  return {
    apple,
    foreign,
    api,
    env: {
      APPLE_BUNDLE_ID: BUNDLE_ID,
      APPLE_ENVIRONMENT: 'Sandbox',
      // Tests only: no OCSP request leaves the machine, and dates are checked against the data's signedDate.
      APPLE_ONLINE_CHECKS: 'false',
      APPLE_ROOT_CERTIFICATES: apple.root.toString(),
      APPLE_PRODUCTS: `${COINS_100}:100,${COINS_600}:600`,
      APPLE_API_KEY: key.privatePem,
      APPLE_API_KEY_ID: api.keyId,
      APPLE_API_ISSUER_ID: api.issuerId,
      APPLE_API_BASE_URL: api.baseUrl,
    },
    sign,
    refund: (transaction) =>
      sign(
        appleNotification(
          'REFUND',
          sign({ ...transaction, revocationDate: Date.now(), revocationReason: 1, signedDate: Date.now() }),
        ),
      ),
    async close() {
      await api.close();
      pki.dispose();
    },
  };
}
