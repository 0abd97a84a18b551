import { randomBytes } from 'node:crypto';
import type { AppConfig } from '#src/config/app-config.js';
import {
  StreamProvider,
  type PlayUrls,
  type PublishGrant,
  type RoomStream,
  type StreamHosts,
} from '#src/live/stream-provider.js';

/**
 * Our own media server: nginx with the RTMP module (`npm run live-server`) or SRS. Publishing uses Pili v1's
 * `static` scheme, `rtmp://<host>/<app>/<stream key>?key=<publish key>`, which mrpyq's client already builds from
 * the stream object; the media server asks Concord (src/live/controllers/live-hooks.controller.ts) whether the key
 * is the room's, and reports when publishing stops. Nothing to provision: a stream exists while someone publishes.
 */
export class LocalStreamProvider extends StreamProvider {
  readonly kind = 'local';
  readonly hub: string;

  constructor(private readonly config: AppConfig['live']['local']) {
    super();
    this.hub = config.app;
  }

  newPublishKey(): string {
    // 128 bits: the key is all that stands between a stranger and someone else's room.
    return randomBytes(16).toString('hex');
  }

  createStream(): Promise<void> {
    return Promise.resolve();
  }

  /** Nothing to call: the hooks refuse a closed room, so nginx cuts its publisher at the next update. */
  disableStream(): Promise<void> {
    return Promise.resolve();
  }

  hosts(): StreamHosts {
    const rtmp = this.config.rtmpHost;
    const http = this.config.hlsHost;
    return {
      publish: { rtmp },
      live: { rtmp, hls: http, hdl: '', http, snapshot: '' },
      playback: { hls: '', http: '' },
      play: { rtmp, http },
    };
  }

  publishGrant(stream: RoomStream): PublishGrant {
    return {
      publishSecurity: 'static',
      publishKey: stream.publishKey,
      publishUrl: `rtmp://${this.config.rtmpHost}/${this.hub}/${stream.streamKey}?key=${stream.publishKey}`,
    };
  }

  playUrls(streamKey: string): PlayUrls {
    const urls: PlayUrls = { rtmp: `rtmp://${this.config.rtmpHost}/${this.hub}/${streamKey}` };
    if (this.config.hlsHost) urls.hls = `http://${this.config.hlsHost}/${this.hub}/${streamKey}.m3u8`;
    return urls;
  }

  liveStreams(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
}
