import { verify, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

/**
 * A stand-in for api.storekit(-sandbox).apple.com on 127.0.0.1: it checks the bearer token the way Apple does
 * (ES256 with the In-App Purchase key, key id, issuer, audience, bundle id, a short lifetime) and answers
 * Get Transaction Info and Get Transaction History v2 from the signed transactions the test gives it.
 */
export class FakeAppStoreApi {
  readonly requests: ApiRequest[] = [];
  /** Tokens refused, by reason. */
  readonly refusedTokens: string[] = [];
  /** While true, every request is answered 503 (Apple down). */
  unavailable = false;
  /** Signed transactions (JWS) by transaction id, each in its customer's history. */
  private readonly transactions = new Map<string, { jws: string; customer: string }>();
  private server!: Server;

  private constructor(
    private readonly publicKey: KeyObject,
    readonly keyId: string,
    readonly issuerId: string,
    readonly bundleId: string,
  ) {}

  static async start(options: {
    publicKey: KeyObject;
    keyId: string;
    issuerId: string;
    bundleId: string;
  }): Promise<FakeAppStoreApi> {
    const fake = new FakeAppStoreApi(options.publicKey, options.keyId, options.issuerId, options.bundleId);
    fake.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const answer = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const refusal = fake.checkToken(req.headers.authorization);
      if (refusal) {
        fake.refusedTokens.push(refusal);
        return answer(401, {});
      }
      fake.requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams });
      if (fake.unavailable) return answer(503, {});
      const info = /^\/inApps\/v1\/transactions\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && info) {
        const found = fake.transactions.get(info[1]);
        if (!found) return answer(404, { errorCode: 4040010, errorMessage: 'Transaction id not found.' });
        return answer(200, { signedTransactionInfo: found.jws });
      }
      const history = /^\/inApps\/v2\/history\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && history) {
        const anchor = fake.transactions.get(history[1]);
        if (!anchor) return answer(404, { errorCode: 4040010, errorMessage: 'Transaction id not found.' });
        const all = [...fake.transactions.values()].filter((t) => t.customer === anchor.customer);
        // 20 a page, the revision token being the offset: enough to exercise the client's paging.
        const offset = Number(url.searchParams.get('revision') ?? '0');
        const page = all.slice(offset, offset + 20);
        return answer(200, {
          revision: String(offset + page.length),
          hasMore: offset + page.length < all.length,
          bundleId: fake.bundleId,
          environment: 'Sandbox',
          signedTransactions: page.map((t) => t.jws),
        });
      }
      return answer(404, { errorCode: 4040000, errorMessage: 'Not found' });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  addTransaction(transactionId: string, jws: string, customer = 'customer-1'): void {
    this.transactions.set(transactionId, { jws, customer });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private checkToken(header: string | undefined): string | undefined {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token) return 'missing';
    const [head, body, signature] = token.split('.');
    if (!head || !body || !signature) return 'malformed';
    const header_ = JSON.parse(Buffer.from(head, 'base64url').toString()) as Record<string, unknown>;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    if (header_.alg !== 'ES256' || header_.kid !== this.keyId) return 'header';
    const signed = verify(
      'sha256',
      Buffer.from(`${head}.${body}`),
      { key: this.publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    if (!signed) return 'signature';
    if (claims.iss !== this.issuerId || claims.aud !== 'appstoreconnect-v1' || claims.bid !== this.bundleId) {
      return 'claims';
    }
    const now = Math.floor(Date.now() / 1000);
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    // Apple refuses tokens that live longer than an hour, and expired ones.
    if (!(iat <= now + 60 && exp > now && exp - iat <= 3600)) return 'lifetime';
    return undefined;
  }
}

/** DER encoding, just enough to build receipts. */
function tlv(tag: number, content: Buffer): Buffer {
  const length =
    content.length < 0x80
      ? Buffer.from([content.length])
      : content.length < 0x100
        ? Buffer.from([0x81, content.length])
        : Buffer.from([0x82, content.length >> 8, content.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const octets = (content: Buffer) => tlv(0x04, content);
const integer = (n: number) => tlv(0x02, n < 0x80 ? Buffer.from([n]) : Buffer.from([n >> 8, n & 0xff]));
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text));
const explicit0 = (content: Buffer) => tlv(0xa0, content);
const oid = (hex: string) => tlv(0x06, Buffer.from(hex, 'hex'));
const attribute = (type: number, value: Buffer) => seq(integer(type), integer(1), octets(value));

/**
 * A legacy app receipt: PKCS#7 signed data whose content is the receipt's attribute set, with one in-app purchase
 * (attribute 17) per transaction id (its attribute 1703). Unsigned: ReceiptUtility reads ids without verifying,
 * which is why the server asks Apple about every id it finds.
 */
export function appReceipt(bundleId: string, transactionIds: string[]): string {
  const inApps = transactionIds.map((id) =>
    attribute(17, set(attribute(1701, integer(1)), attribute(1703, utf8(id)), attribute(1705, utf8(id)))),
  );
  const payload = set(attribute(2, utf8(bundleId)), attribute(3, utf8('1.0')), ...inApps);
  const pkcs7Data = oid('2a864886f70d010701');
  const signedData = seq(integer(1), set(), seq(pkcs7Data, explicit0(octets(payload))), set());
  return seq(oid('2a864886f70d010702'), explicit0(signedData)).toString('base64');
}

/** An iOS 6 style transaction receipt (an old-style plist whose purchase-info names the transaction). */
export function transactionReceipt(transactionId: string): string {
  const purchaseInfo = Buffer.from(
    `{\n\t"transaction-id" = "${transactionId}";\n\t"quantity" = "1";\n}`,
  ).toString('base64');
  return Buffer.from(`{\n\t"signature" = "AAAA";\n\t"purchase-info" = "${purchaseInfo}";\n}`).toString(
    'base64',
  );
}
