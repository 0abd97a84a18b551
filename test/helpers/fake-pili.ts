import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PiliRequest {
  method: string;
  path: string;
  body: unknown;
}

interface FakeStream {
  disabledTill: number;
  createdAt: number;
  /** Unix seconds the current publish started, when someone publishes. */
  liveSince?: number;
}

/**
 * A stand-in for pili.qiniuapi.com (REST API v2) on 127.0.0.1. Every request must carry a "Qiniu" management token
 * that the fake recomputes on its own from what arrived — method, path and query, the Host header, Content-Type,
 * X-Qiniu-* headers and, for JSON and form bodies, the body — written again here on purpose, so it does not trust
 * the adapter's code. A wrong or missing token answers 401 `{"error":"bad token"}` as Pili does.
 */
export class FakePili {
  readonly requests: PiliRequest[] = [];
  readonly refusedSignatures: string[] = [];
  readonly streams = new Map<string, FakeStream>();
  /** When set, every well-signed request is answered with this status and Pili-style error. */
  failWith?: { status: number; error: string };
  private server!: Server;

  private constructor(
    readonly accessKey: string,
    readonly secretKey: string,
    readonly hub: string,
  ) {}

  static async start(
    accessKey = 'fake-access-key',
    secretKey = 'fake-secret-key',
    hub = 'mrpyq',
  ): Promise<FakePili> {
    const fake = new FakePili(accessKey, secretKey, hub);
    fake.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const [status, body] = fake.answer(req, raw);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body === undefined ? '' : JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The configuration of a Concord that uses this fake. */
  env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      LIVE_PROVIDER: 'pili',
      PILI_ACCESS_KEY: this.accessKey,
      PILI_SECRET_KEY: this.secretKey,
      PILI_HUB: this.hub,
      PILI_API_BASE_URL: this.baseUrl,
      PILI_PUBLISH_DOMAIN: 'pili-publish.mrpyq.com',
      PILI_PLAY_RTMP_DOMAIN: 'pili-live-rtmp.mrpyq.com',
      PILI_PLAY_HLS_DOMAIN: 'pili-live-hls.mrpyq.com',
      PILI_PLAY_HDL_DOMAIN: 'pili-live-hdl.mrpyq.com',
      PILI_SNAPSHOT_DOMAIN: 'pili-live-snapshot.mrpyq.com',
      PILI_PLAYBACK_DOMAIN: '10004p0.playback1.z1.pili.qiniucdn.com',
      ...overrides,
    };
  }

  /** As if someone published (or stopped publishing) the stream. */
  setLive(key: string, since?: number): void {
    const stream = this.streams.get(key);
    if (!stream) throw new Error(`no stream ${key}`);
    stream.liveSince = since;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: IncomingMessage, raw: string): [number, unknown] {
    const method = req.method ?? '';
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (!this.signatureMatches(req, raw)) {
      this.refusedSignatures.push(`${method} ${url.pathname}`);
      return [401, { error: 'bad token' }];
    }
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return [400, { error: 'invalid json' }];
    }
    this.requests.push({ method, path: url.pathname, body });
    if (this.failWith) return [this.failWith.status, { error: this.failWith.error }];

    const hubPrefix = `/v2/hubs/${this.hub}`;
    if (!url.pathname.startsWith(`${hubPrefix}/`)) return [612, { error: 'no such hub' }];
    const rest = url.pathname.slice(hubPrefix.length);
    const now = Math.floor(Date.now() / 1000);

    if (method === 'POST' && rest === '/streams') {
      const key = (body as { key?: unknown } | undefined)?.key;
      if (typeof key !== 'string' || !/^[A-Za-z0-9_-]{4,200}$/.test(key))
        return [400, { error: 'invalid key' }];
      if (this.streams.has(key)) return [614, { error: 'stream already exists' }];
      this.streams.set(key, { disabledTill: 0, createdAt: now });
      return [200, {}];
    }
    if (method === 'POST' && rest === '/livestreams') {
      const items = (body as { items?: unknown } | undefined)?.items;
      if (!Array.isArray(items) || items.length > 100) return [400, { error: 'invalid items' }];
      return [
        200,
        {
          items: items
            .filter((key): key is string => typeof key === 'string')
            .filter((key) => this.streams.get(key)?.liveSince !== undefined)
            .map((key) => ({
              key,
              startAt: this.streams.get(key)!.liveSince,
              clientIP: '203.0.113.7',
              bps: 500_000,
              fps: { audio: 44, video: 15, data: 0 },
            })),
        },
      ];
    }
    const match = /^\/streams\/([A-Za-z0-9_=-]+)(\/disabled|\/live)?$/.exec(rest);
    if (match) {
      const key = Buffer.from(match[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
      // Pili's own encoding keeps the padding: an unpadded or re-encoded key names another stream.
      if (Buffer.from(key).toString('base64').replace(/\+/g, '-').replace(/\//g, '_') !== match[1]) {
        return [612, { error: 'stream not found' }];
      }
      const stream = this.streams.get(key);
      if (!stream) return [612, { error: 'stream not found' }];
      if (method === 'GET' && match[2] === undefined) {
        return [
          200,
          { createdAt: stream.createdAt, updatedAt: stream.createdAt, disabledTill: stream.disabledTill },
        ];
      }
      if (method === 'POST' && match[2] === '/disabled') {
        const till = (body as { disabledTill?: unknown } | undefined)?.disabledTill;
        if (typeof till !== 'number') return [400, { error: 'invalid disabledTill' }];
        stream.disabledTill = till;
        // Disabling cuts the publisher.
        stream.liveSince = undefined;
        return [200, {}];
      }
      if (method === 'GET' && match[2] === '/live') {
        if (stream.liveSince === undefined) return [619, { error: 'no data' }];
        return [200, { startAt: stream.liveSince, clientIP: '203.0.113.7', bps: 500_000 }];
      }
    }
    return [404, { error: 'not found' }];
  }

  /** Qiniu's "Qiniu" token, recomputed from the request as received. */
  private signatureMatches(req: IncomingMessage, raw: string): boolean {
    const header = req.headers.authorization ?? '';
    const prefix = `Qiniu ${this.accessKey}:`;
    if (!header.startsWith(prefix)) return false;
    const contentType = req.headers['content-type'] ?? '';
    let data = `${req.method} ${req.url}\nHost: ${req.headers.host}\n`;
    if (contentType) data += `Content-Type: ${contentType}\n`;
    const qiniuHeaders = Object.keys(req.headers)
      .filter((name) => name.startsWith('x-qiniu-') && name.length > 'x-qiniu-'.length)
      .sort()
      .map(
        (name) =>
          `${name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())}: ${String(req.headers[name])}\n`,
      );
    data += qiniuHeaders.join('');
    data += '\n';
    if (raw && (contentType === 'application/json' || contentType === 'application/x-www-form-urlencoded')) {
      data += raw;
    }
    const expected = createHmac('sha1', this.secretKey)
      .update(data)
      .digest('base64')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
    return header === `${prefix}${expected}`;
  }
}
