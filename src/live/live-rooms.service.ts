import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DomainError } from '#src/common/errors/domain-error.js';
import { ROOT_LOGGER } from '#src/common/logging/logger.module.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import type { LiveRoomEntity } from '#src/live/live-room.entity.js';
import { LiveRoomsRepository } from '#src/live/live-rooms.repository.js';
import { toStreamObject, type StreamObject } from '#src/live/stream-object.js';
import { StreamProvider, type PlayUrls } from '#src/live/stream-provider.js';

/** Longest room title, in characters. */
export const MAX_ROOM_TITLE = 100;

/** A user who is live now, with what a viewer needs to watch. */
export interface LiveBroadcast {
  userId: string;
  roomId: string;
  /** The owner's title for the room ('' when none was given). */
  title: string;
  liveSince: Date;
  /** RTMP always; HLS and FLV where the provider serves them; signed where the provider requires it. */
  play: PlayUrls;
  /** The stream object as viewers may see it: no publish key, no publish URL. */
  stream: StreamObject;
}

/**
 * mrpyq's live rooms: each user has at most one room that is not closed, opened with `live=1` and closed with
 * `leave=1`. Whether a room is live comes from the media server (the hooks, src/live/live-hooks.service.ts) or, for
 * Pili, from Pili itself.
 */
@Injectable()
export class LiveRoomsService {
  private readonly log: Logger;

  constructor(
    private readonly rooms: LiveRoomsRepository,
    private readonly provider: StreamProvider,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'live' });
  }

  /**
   * Opens the user's room and answers its stream object, publish credentials included. Reopening a room that is
   * still open answers the same room (same stream, same key: a client that lost its state carries on) with a new
   * expiry and, when given, the new title. A room left idle past its expiry is closed and a new one opened.
   * Throws INVALID_PARAMS (title too long), UPSTREAM_FAILED (the provider failed to create the stream).
   */
  async openRoom(userId: string, title?: string): Promise<StreamObject> {
    const newTitle = normalizeTitle(title);
    // A concurrent leave or open can overtake each step; a few rounds settle it.
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.clock.now();
      const expiresAt = new Date(now.getTime() + this.config.live.roomTtlMs);
      const current = await this.rooms.findOpenByUser(userId);
      if (current && this.isExpired(current, now)) {
        if (await this.rooms.close(current.id, 'expired', now)) this.disableQuietly(current.streamKey);
      } else if (current) {
        const reopened = await this.rooms.reopen(current.id, newTitle, expiresAt, now);
        if (reopened) return this.ownerStream(reopened);
        continue;
      }

      // The provider is called before the row exists and outside any transaction; a key never reaches a client
      // before its stream exists.
      const streamKey = randomBytes(12).toString('hex');
      await this.provider.createStream(streamKey);
      const opened = await this.rooms.insertOpen({
        userId,
        provider: this.provider.kind,
        hub: this.provider.hub,
        streamKey,
        publishKey: this.provider.newPublishKey(),
        title: newTitle ?? '',
        now,
        expiresAt,
      });
      if (opened) return this.ownerStream(opened);
      // A concurrent open won: the next round answers its room, and this stream is not needed.
      this.disableQuietly(streamKey);
    }
    throw new DomainError('CONFLICT', 'the room kept changing while it was being opened');
  }

  /**
   * Closes the user's room: the provider first stops the stream (so a failure leaves the room open for a retry),
   * then the room is closed. Answers false when there was no room to close (leaving twice is not an error).
   * Throws UPSTREAM_FAILED when the provider failed.
   */
  async leaveRoom(userId: string): Promise<boolean> {
    const room = await this.rooms.findOpenByUser(userId);
    if (!room) return false;
    await this.provider.disableStream(room.streamKey);
    return this.rooms.close(room.id, 'left', this.clock.now());
  }

  /**
   * Which of these users are live now, keyed by user id. With the local provider a room is live from the media
   * server's on_publish until its publish_done (or until its heartbeats stop for LIVE_HEARTBEAT_TIMEOUT); with Pili
   * it is what Pili's live-status API says. Pili failing is logged and answers nobody live: a friends list should
   * not fail because the streaming service does.
   */
  async liveNow(userIds: readonly string[]): Promise<Map<string, LiveBroadcast>> {
    const rooms = await this.rooms.findOpenByUsers(userIds);
    const live = new Map<string, LiveBroadcast>();
    if (rooms.length === 0) return live;
    const now = this.clock.now();
    let reported: Map<string, Date> | undefined;
    try {
      reported = await this.provider.liveStreams(rooms.map((room) => room.streamKey));
    } catch (error) {
      this.log.warn({ err: error }, 'live status unavailable; nobody is shown live');
      return live;
    }
    for (const room of rooms) {
      const since = reported ? reported.get(room.streamKey) : this.liveSinceByHooks(room, now);
      if (!since) continue;
      live.set(room.userId, {
        userId: room.userId,
        roomId: room.id,
        title: room.title,
        liveSince: since,
        play: this.provider.playUrls(room.streamKey, now),
        stream: toStreamObject(room, this.provider.hosts()),
      });
    }
    return live;
  }

  private liveSinceByHooks(room: LiveRoomEntity, now: Date): Date | undefined {
    if (room.status !== 'live' || !room.liveSince) return undefined;
    const silent =
      room.heartbeatAt && now.getTime() - room.heartbeatAt.getTime() > this.config.live.heartbeatTimeoutMs;
    return silent ? undefined : room.liveSince;
  }

  /** An idle room past its expiry is over; a live one is not cut (the expiry only bounds when publishing starts). */
  private isExpired(room: LiveRoomEntity, now: Date): boolean {
    return room.status !== 'live' && room.expiresAt.getTime() <= now.getTime();
  }

  private ownerStream(room: LiveRoomEntity): StreamObject {
    const grant = this.provider.publishGrant(room, room.expiresAt);
    return toStreamObject(room, this.provider.hosts(), grant);
  }

  /** Best effort, after the fact: an unused or expired stream that stays enabled can still not be found by anyone. */
  private disableQuietly(streamKey: string): void {
    this.provider.disableStream(streamKey).catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not disable an unused stream');
    });
  }
}

/** Trimmed; undefined when absent or blank (a reopen then keeps the room's title). */
function normalizeTitle(title: string | undefined): string | undefined {
  const trimmed = title?.trim();
  if (!trimmed) return undefined;
  if ([...trimmed].length > MAX_ROOM_TITLE) {
    throw new DomainError('INVALID_PARAMS', `title longer than ${MAX_ROOM_TITLE} characters`, {
      fields: ['title'],
    });
  }
  return trimmed;
}
