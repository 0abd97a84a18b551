import { DomainError } from '#src/common/errors/domain-error.js';
import type { AppConfig } from '#src/config/app-config.js';
import { piliPublishUrl, qiniuAuthorization, signPlayUrl, urlSafeBase64 } from '#src/live/qiniu-signing.js';
import {
  StreamProvider,
  type PlayUrls,
  type PublishGrant,
  type RoomStream,
  type StreamHosts,
} from '#src/live/stream-provider.js';

/** Pili's own codes beside the HTTP ones. */
const STREAM_EXISTS = 614;
const STREAM_NOT_FOUND = 612;
/** The batch live-status call takes at most this many streams. */
const BATCH_LIMIT = 100;

interface PiliLiveItem {
  key?: unknown;
  startAt?: unknown;
}

/**
 * Qiniu Pili, REST API v2 (`/v2/hubs/<hub>/streams…`), every request signed with a "Qiniu" management token. A room's
 * publish URL is signed under the hub's `expiry_sk` scheme; play URLs carry Qiniu's timestamp anti-leech signature
 * when PILI_PLAY_KEY is set (the hub's play domains require it).
 */
export class PiliStreamProvider extends StreamProvider {
  readonly kind = 'pili';
  readonly hub: string;

  constructor(private readonly config: AppConfig['live']['pili']) {
    super();
    this.hub = config.hub;
  }

  newPublishKey(): string {
    return '';
  }

  async createStream(streamKey: string): Promise<void> {
    const answer = await this.call('POST', `/v2/hubs/${this.hub}/streams`, { key: streamKey });
    // Already there (a retry after a lost answer): the stream is as wanted.
    if (answer.status !== STREAM_EXISTS) this.expectOk('create stream', answer);
  }

  async disableStream(streamKey: string): Promise<void> {
    // -1: disabled for good (Pili also cuts the current publisher). Keys are never reused, so nothing re-enables it.
    const answer = await this.call('POST', `${this.streamPath(streamKey)}/disabled`, { disabledTill: -1 });
    if (answer.status !== STREAM_NOT_FOUND) this.expectOk('disable stream', answer);
  }

  hosts(): StreamHosts {
    const c = this.config;
    return {
      publish: { rtmp: c.publishDomain },
      live: {
        rtmp: c.playRtmpDomain,
        hls: c.playHlsDomain,
        hdl: c.playHdlDomain,
        http: c.playHlsDomain,
        snapshot: c.snapshotDomain,
      },
      playback: { hls: c.playbackDomain, http: c.playbackDomain },
      play: { rtmp: c.playRtmpDomain, http: c.playHlsDomain },
    };
  }

  publishGrant(stream: RoomStream, expiresAt: Date): PublishGrant {
    return {
      publishSecurity: 'expiry_sk',
      publishKey: '',
      publishUrl: piliPublishUrl({
        domain: this.config.publishDomain,
        hub: this.hub,
        streamKey: stream.streamKey,
        expireAt: Math.floor(expiresAt.getTime() / 1000),
        accessKey: this.config.accessKey,
        secretKey: this.config.secretKey,
      }),
    };
  }

  playUrls(streamKey: string, now: Date): PlayUrls {
    const c = this.config;
    const urls: PlayUrls = {
      rtmp: `rtmp://${c.playRtmpDomain}/${this.hub}/${streamKey}`,
      hls: `${c.playScheme}://${c.playHlsDomain}/${this.hub}/${streamKey}.m3u8`,
      flv: `${c.playScheme}://${c.playHdlDomain}/${this.hub}/${streamKey}.flv`,
    };
    if (!c.playKey) return urls;
    const expireAt = Math.floor((now.getTime() + c.playUrlTtlMs) / 1000);
    return {
      rtmp: signPlayUrl(urls.rtmp, c.playKey, expireAt),
      hls: signPlayUrl(urls.hls!, c.playKey, expireAt),
      flv: signPlayUrl(urls.flv!, c.playKey, expireAt),
    };
  }

  async liveStreams(streamKeys: readonly string[]): Promise<Map<string, Date>> {
    const live = new Map<string, Date>();
    for (let start = 0; start < streamKeys.length; start += BATCH_LIMIT) {
      const items = streamKeys.slice(start, start + BATCH_LIMIT);
      const answer = await this.call('POST', `/v2/hubs/${this.hub}/livestreams`, { items });
      this.expectOk('live status', answer);
      const listed = (answer.body as { items?: PiliLiveItem[] } | undefined)?.items ?? [];
      for (const item of listed) {
        if (typeof item.key !== 'string' || !items.includes(item.key)) continue;
        const startAt = typeof item.startAt === 'number' ? item.startAt : 0;
        live.set(item.key, new Date(startAt * 1000));
      }
    }
    return live;
  }

  private streamPath(streamKey: string): string {
    return `/v2/hubs/${this.hub}/streams/${urlSafeBase64(streamKey)}`;
  }

  private async call(method: 'GET' | 'POST', path: string, payload?: unknown) {
    const url = `${this.config.apiBaseUrl}${path}`;
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    // A Content-Type on every request, even a GET: see qiniuSigningString.
    const contentType = 'application/json';
    const authorization = qiniuAuthorization(this.config.accessKey, this.config.secretKey, {
      method,
      url,
      contentType,
      body,
    });
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { Authorization: authorization, 'Content-Type': contentType },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new DomainError('UPSTREAM_FAILED', 'Pili did not answer', {
        provider: 'pili',
        path,
        cause: (error as Error).name,
      });
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed, path };
  }

  private expectOk(what: string, answer: { status: number; body: unknown; path: string }): void {
    if (answer.status >= 200 && answer.status < 300) return;
    const error = (answer.body as { error?: unknown } | undefined)?.error;
    // Pili's status and error text say why (signature, hub, quota); the keys never appear in them.
    throw new DomainError('UPSTREAM_FAILED', `Pili refused to ${what}`, {
      provider: 'pili',
      path: answer.path,
      status: answer.status,
      error: typeof error === 'string' ? error.slice(0, 200) : undefined,
    });
  }
}
