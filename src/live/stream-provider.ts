/** The `hosts` of a Pili v1 stream object, which mrpyq's client reads to build its publish and play URLs. */
export interface StreamHosts {
  publish: { rtmp: string };
  live: { rtmp: string; hls: string; hdl: string; http: string; snapshot: string };
  playback: { hls: string; http: string };
  play: { rtmp: string; http: string };
}

/** What lets the room's owner publish: the v1 fields an unchanged client reads, and the whole URL ready-made. */
export interface PublishGrant {
  /** Pili's v1 name of the scheme: `static` (`?key=<publishKey>`) or `expiry_sk` (`?e=<expiry>&token=…`). */
  publishSecurity: 'static' | 'expiry_sk';
  /** The secret a `static` client appends as `?key=`; empty where the URL is signed by the server. */
  publishKey: string;
  publishUrl: string;
}

/** Where viewers watch a stream; signed for playback when the provider requires it. */
export interface PlayUrls {
  rtmp: string;
  hls?: string;
  flv?: string;
}

export interface RoomStream {
  streamKey: string;
  /** The room's own publish secret (local provider); empty for providers that sign publish URLs. */
  publishKey: string;
}

/**
 * A live-streaming service behind the rooms; chosen from LIVE_PROVIDER. Stream keys are Concord's (random, one per
 * room); the provider makes them publishable and says where to publish and to watch.
 */
export abstract class StreamProvider {
  abstract readonly kind: 'local' | 'pili';
  /** Pili's hub, or nginx's RTMP application: the first path segment of every stream URL. */
  abstract readonly hub: string;

  /** A fresh publish secret for a new room, or '' where the provider signs URLs instead. */
  abstract newPublishKey(): string;

  /** Makes the stream exist at the provider before its key is handed out. Throws when the provider fails. */
  abstract createStream(streamKey: string): Promise<void>;

  /** Stops the stream for good (and cuts its publisher) once its room is closed. Throws when the provider fails. */
  abstract disableStream(streamKey: string): Promise<void>;

  abstract hosts(): StreamHosts;

  /** The owner's publish credentials, valid until `expiresAt` where the provider checks an expiry. */
  abstract publishGrant(stream: RoomStream, expiresAt: Date): PublishGrant;

  abstract playUrls(streamKey: string, now: Date): PlayUrls;

  /**
   * Of these streams, which are being published now, with the time each started. `undefined`: the provider reports
   * publishing through the hook route (nginx-rtmp, SRS), so the rooms' own state is the answer.
   */
  abstract liveStreams(streamKeys: readonly string[]): Promise<Map<string, Date> | undefined>;
}
