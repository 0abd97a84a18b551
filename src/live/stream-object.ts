import type { LiveRoomEntity } from '#src/live/live-room.entity.js';
import type { PublishGrant, StreamHosts } from '#src/live/stream-provider.js';

/**
 * The stream object of mrpyq's `live=1` answer: the Pili v1 stream its client was written against (see the
 * document's example), which the client reads to build `rtmp://<hosts.publish.rtmp>/<hub>/<title>?key=<publishKey>`.
 * `publishUrl` is Concord's addition: the same URL ready-made, and the only way to publish where the provider signs
 * URLs with a secret the client does not hold (Pili's expiry_sk).
 */
export interface StreamObject {
  /** `z1.<hub>.<title>`, as Pili v1 named streams (zone, hub, title). */
  id: string;
  createdAt: string;
  updatedAt: string;
  /** Publishing may not start after this (reopening the room moves it). */
  expireAt: string;
  /** The stream's name at the provider (Concord's stream key), not the room's display title. */
  title: string;
  hub: string;
  disabledTill: number;
  disabled: boolean;
  publishKey: string;
  publishSecurity: PublishGrant['publishSecurity'];
  nonce: number;
  nropEnable: null;
  hosts: StreamHosts;
  publishUrl?: string;
}

const CHINA_OFFSET_MS = 8 * 3_600_000;

/**
 * `2017-01-06T10:28:45.799+08:00`: Pili's times are RFC 3339 in China time, as the document's example shows. China
 * has no daylight saving, so the offset is fixed.
 */
export function toChinaTime(date: Date): string {
  return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().replace(/Z$/, '+08:00');
}

/** The owner's view (with the publish credentials) or, without a grant, what viewers may see of the stream. */
export function toStreamObject(room: LiveRoomEntity, hosts: StreamHosts, grant?: PublishGrant): StreamObject {
  const stream: StreamObject = {
    id: `z1.${room.hub}.${room.streamKey}`,
    createdAt: toChinaTime(room.createdAt),
    updatedAt: toChinaTime(room.updatedAt),
    expireAt: toChinaTime(room.expiresAt),
    title: room.streamKey,
    hub: room.hub,
    disabledTill: 0,
    disabled: false,
    publishKey: grant?.publishKey ?? '',
    publishSecurity: grant?.publishSecurity ?? (room.provider === 'local' ? 'static' : 'expiry_sk'),
    nonce: 0,
    nropEnable: null,
    hosts,
  };
  if (grant) stream.publishUrl = grant.publishUrl;
  return stream;
}
