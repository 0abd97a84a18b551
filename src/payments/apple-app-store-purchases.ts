import {
  APIException,
  AppStoreServerAPIClient,
  Environment,
  GetTransactionHistoryVersion,
  type HistoryResponse,
  type JWSTransactionDecodedPayload,
  NotificationTypeV2,
  Order,
  ReceiptUtility,
  SignedDataVerifier,
  VerificationException,
  VerificationStatus,
} from '@apple/app-store-server-library';
import type { Logger } from 'pino';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { AppConfig } from '#src/config/app-config.js';
import {
  AppStorePurchases,
  type StoreNotification,
  type VerifiedStoreTransaction,
} from '#src/payments/app-store-purchases.js';
import type { AppleEnvironmentName } from '#src/payments/coin-postings.js';

type AppleConfig = NonNullable<AppConfig['payments']['apple']>;
type ApiConfig = NonNullable<AppleConfig['api']>;

const API_BASE_URLS: Partial<Record<AppleEnvironmentName, string>> = {
  Production: 'https://api.storekit.apple.com',
  Sandbox: 'https://api.storekit-sandbox.apple.com',
};

/** A customer's history is read 20 transactions a page; a receipt never makes the server read more than this. */
const MAX_HISTORY_PAGES = 10;

/** Apple's errorCode for a transaction id it does not know, and for one that is malformed. */
const TRANSACTION_NOT_FOUND = 4040010;
const INVALID_TRANSACTION_ID = 4000006;

/**
 * The library's client, with its one HTTP call replaced (its documented protected `makeFetchRequest`): the base
 * URL comes from config (APPLE_API_BASE_URL, so tests point it at a fake on loopback; the library itself only
 * knows Apple's hosts) and every call has a timeout (the library sets none). Request building, the bearer token
 * (ES256, signed with the In-App Purchase key) and response validation stay the library's.
 */
export class AppStoreServerApi extends AppStoreServerAPIClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(api: ApiConfig, bundleId: string, environment: AppleEnvironmentName) {
    super(api.signingKey, api.keyId, api.issuerId, bundleId, environment as Environment);
    const baseUrl = api.baseUrl ?? API_BASE_URLS[environment];
    if (!baseUrl) throw new Error(`APPLE_API_BASE_URL is required for the ${environment} environment`);
    this.baseUrl = baseUrl;
    this.timeoutMs = api.timeoutMs;
  }

  protected override async makeFetchRequest(
    path: string,
    parsedQueryParameters: URLSearchParams,
    method: string,
    requestBody: string | Buffer | undefined,
    headers: { [key: string]: string },
  ): ReturnType<AppStoreServerAPIClient['makeFetchRequest']> {
    const response = await fetch(`${this.baseUrl}${path}?${parsedQueryParameters.toString()}`, {
      method,
      body: requestBody,
      headers,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    // The library reads only ok, status and json() of node-fetch's Response, which the standard one has too.
    return response as unknown as Awaited<ReturnType<AppStoreServerAPIClient['makeFetchRequest']>>;
  }
}

/** App Store purchases through `@apple/app-store-server-library`. */
export class AppleAppStorePurchases extends AppStorePurchases {
  readonly configured = true;
  private readonly verifier: SignedDataVerifier;
  private readonly api: AppStoreServerApi | null;
  private readonly receipts = new ReceiptUtility();

  constructor(
    private readonly config: AppleConfig,
    private readonly logger: Logger,
  ) {
    super();
    // enableOnlineChecks: OCSP revocation checks against Apple and certificate dates checked against now (off,
    // they are checked against the data's own signedDate, and nothing goes to the network: tests only).
    this.verifier = new SignedDataVerifier(
      config.rootCertificates,
      config.onlineChecks,
      config.environment as Environment,
      config.bundleId,
      config.appAppleId,
    );
    // The library cannot call the API for Xcode's StoreKit testing; receipts there are not supported.
    this.api =
      config.api && config.environment !== 'Xcode'
        ? new AppStoreServerApi(config.api, config.bundleId, config.environment)
        : null;
  }

  async verifySignedTransaction(jws: string): Promise<VerifiedStoreTransaction> {
    const transaction = await this.decodeTransaction(jws);
    if (!transaction) throw new DomainError('INVALID_PARAMS', 'not a coin product');
    return transaction;
  }

  async transactionsFromReceipt(receipt: string): Promise<VerifiedStoreTransaction[]> {
    const api = this.requireApi();
    const transactionId = this.transactionIdOfReceipt(receipt.trim());
    if (transactionId === null) return [];
    const signed: string[] = [];
    let response: HistoryResponse | undefined;
    for (let page = 0; page < MAX_HISTORY_PAGES && (page === 0 || response?.hasMore); page++) {
      response = await this.call(() =>
        api.getTransactionHistory(
          transactionId,
          response?.revision ?? null,
          { sort: Order.ASCENDING, productIds: [...this.config.products.keys()] },
          GetTransactionHistoryVersion.V2,
        ),
      );
      signed.push(...(response.signedTransactions ?? []));
    }
    if (response?.hasMore) {
      this.logger.warn(
        { pages: MAX_HISTORY_PAGES },
        'App Store history longer than the server reads for a receipt',
      );
    }
    const found = new Map<string, VerifiedStoreTransaction>();
    for (const jws of signed) {
      const transaction = await this.decodeTransaction(jws);
      if (transaction) found.set(transaction.transactionId, transaction);
    }
    // Finished consumables leave the history: the receipt's own transaction is looked up by id when absent.
    if (!found.has(transactionId)) {
      const own = await this.fetchTransaction(transactionId).catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'INVALID_PARAMS') return null;
        throw error;
      });
      if (own) found.set(own.transactionId, own);
    }
    return [...found.values()];
  }

  async lookUpTransaction(transactionId: string): Promise<VerifiedStoreTransaction> {
    const transaction = await this.fetchTransaction(transactionId);
    if (!transaction) throw new DomainError('INVALID_PARAMS', 'not a coin product');
    return transaction;
  }

  async verifyNotification(signedPayload: string): Promise<StoreNotification> {
    const payload = await this.verify(() => this.verifier.verifyAndDecodeNotification(signedPayload));
    const notificationId = payload.notificationUUID ?? '';
    const notificationType = String(payload.notificationType ?? '');
    const subtype = payload.subtype === undefined ? null : String(payload.subtype);
    const ignored: StoreNotification = { kind: 'ignored', notificationId, notificationType, subtype };
    const reason =
      payload.notificationType === NotificationTypeV2.REFUND
        ? 'refund'
        : payload.notificationType === NotificationTypeV2.REVOKE
          ? 'revoke'
          : null;
    const signedTransaction = payload.data?.signedTransactionInfo;
    if (reason === null || !signedTransaction || !notificationId) return ignored;
    const decoded = await this.verify(() => this.verifier.verifyAndDecodeTransaction(signedTransaction));
    const transaction = this.toTransaction(decoded);
    if (!transaction) return ignored;
    const revokedAt = transaction.revokedAt?.getTime() ?? payload.signedDate;
    if (revokedAt === undefined) throw new DomainError('INVALID_PARAMS', 'reversal without a date');
    return {
      kind: 'reversal',
      notificationId,
      reason,
      transaction,
      revocationReason: typeof decoded.revocationReason === 'number' ? decoded.revocationReason : null,
      revokedAt: new Date(revokedAt),
    };
  }

  private requireApi(): AppStoreServerApi {
    if (!this.api) throw new DomainError('FORBIDDEN', 'the App Store Server API is not configured');
    return this.api;
  }

  /** Receipts are unverified here by design: the id they hold only names what to ask Apple for. */
  private transactionIdOfReceipt(receipt: string): string | null {
    if (!/^[A-Za-z0-9+/=\s]+$/.test(receipt))
      throw new DomainError('INVALID_PARAMS', 'receipt is not base64');
    let fromAppReceipt: string | null = null;
    try {
      fromAppReceipt = this.receipts.extractTransactionIdFromAppReceipt(receipt);
    } catch {
      // Not a PKCS#7 app receipt: perhaps an iOS 6 style transaction receipt.
    }
    const id = fromAppReceipt ?? this.receipts.extractTransactionIdFromTransactionReceipt(receipt);
    if (id !== null && !/^\d{1,40}$/.test(id))
      throw new DomainError('INVALID_PARAMS', 'malformed transaction id');
    return id;
  }

  /** A transaction from the Server API; null when it is not a coin product. */
  private async fetchTransaction(transactionId: string): Promise<VerifiedStoreTransaction | null> {
    if (!/^\d{1,40}$/.test(transactionId))
      throw new DomainError('INVALID_PARAMS', 'malformed transaction id');
    const api = this.requireApi();
    const response = await this.call(() => api.getTransactionInfo(transactionId));
    if (!response.signedTransactionInfo)
      throw new DomainError('UPSTREAM_FAILED', 'App Store answered no transaction');
    return this.decodeTransaction(response.signedTransactionInfo);
  }

  private async decodeTransaction(jws: string): Promise<VerifiedStoreTransaction | null> {
    const decoded = await this.verify(() => this.verifier.verifyAndDecodeTransaction(jws));
    return this.toTransaction(decoded);
  }

  private toTransaction(decoded: JWSTransactionDecodedPayload): VerifiedStoreTransaction | null {
    const { transactionId, originalTransactionId, productId, purchaseDate } = decoded;
    if (!transactionId || !originalTransactionId || !productId || typeof purchaseDate !== 'number') {
      throw new DomainError('INVALID_PARAMS', 'signed transaction lacks its identifiers');
    }
    const perUnit = this.config.products.get(productId);
    if (perUnit === undefined) return null;
    const quantity = typeof decoded.quantity === 'number' && decoded.quantity > 0 ? decoded.quantity : 1;
    const coins = perUnit * quantity;
    if (!Number.isSafeInteger(coins)) throw new DomainError('INVALID_PARAMS', 'quantity out of range');
    return {
      transactionId,
      originalTransactionId,
      productId,
      quantity,
      coins,
      purchaseDate: new Date(purchaseDate),
      environment: String(decoded.environment) as AppleEnvironmentName,
      appAccountToken: decoded.appAccountToken ?? null,
      revokedAt: typeof decoded.revocationDate === 'number' ? new Date(decoded.revocationDate) : null,
    };
  }

  /** Verification failures are the client's (INVALID_PARAMS), except a revocation check Apple did not answer. */
  private async verify<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof VerificationException)) throw error;
      const status = VerificationStatus[error.status] ?? String(error.status);
      if (error.status === VerificationStatus.RETRYABLE_VERIFICATION_FAILURE) {
        this.logger.warn({ status }, 'App Store revocation check failed');
        throw new DomainError('UPSTREAM_FAILED', 'App Store revocation check failed', {
          verification: status,
        });
      }
      throw new DomainError('INVALID_PARAMS', 'App Store signed data refused', { verification: status });
    }
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof APIException) {
        if (error.apiError === TRANSACTION_NOT_FOUND || error.apiError === INVALID_TRANSACTION_ID) {
          throw new DomainError('INVALID_PARAMS', 'unknown App Store transaction');
        }
        this.logger.warn(
          { status: error.httpStatusCode, apiError: error.apiError },
          'App Store Server API refused a request',
        );
        throw new DomainError('UPSTREAM_FAILED', 'App Store Server API refused', {
          status: error.httpStatusCode,
          apiError: error.apiError,
        });
      }
      if (error instanceof DomainError) throw error;
      this.logger.warn({ err: (error as Error).message }, 'App Store Server API unreachable');
      throw new DomainError('UPSTREAM_FAILED', 'App Store Server API unreachable');
    }
  }
}
