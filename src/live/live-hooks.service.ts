import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DomainError } from '#src/common/errors/domain-error.js';
import { ROOT_LOGGER } from '#src/common/logging/logger.module.js';
import { Clock } from '#src/common/time/clock.js';
import type { LiveHookEvent } from '#src/live/live-hook-event.js';
import type { LiveRoomEntity } from '#src/live/live-room.entity.js';
import { LiveRoomsRepository } from '#src/live/live-rooms.repository.js';
import { StreamProvider } from '#src/live/stream-provider.js';

/** Compared as digests, so neither the length nor the content of the room's key shows in the timing. */
function sameKey(presented: string, expected: string): boolean {
  if (!expected) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The media server's side of the rooms (local provider): it asks whether a publish may start, keeps confirming it,
 * and reports its end. Only the current publish key of a room that is not closed may publish; a refusal is a
 * FORBIDDEN, which the hook route answers with 403 and nginx-rtmp or SRS turn into a refused (or cut) publish.
 */
@Injectable()
export class LiveHooksService {
  private readonly log: Logger;

  constructor(
    private readonly rooms: LiveRoomsRepository,
    private readonly provider: StreamProvider,
    private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'live-hooks' });
  }

  /** Throws FORBIDDEN when a publish may not start or go on. */
  async handle(event: LiveHookEvent): Promise<void> {
    const now = this.clock.now();
    switch (event.kind) {
      case 'ignored':
        return;
      case 'publish': {
        const room = await this.roomFor(event);
        if (room.status !== 'live' && room.expiresAt.getTime() <= now.getTime())
          this.refuse(event, 'room expired');
        // nginx confirms a publish every notify_update_timeout; SRS never does, so its rooms are not timed out.
        if (!(await this.rooms.markLive(room.id, now, event.server === 'nginx')))
          this.refuse(event, 'room closed');
        this.log.info({ roomId: room.id, server: event.server }, 'room live');
        return;
      }
      case 'update': {
        // A room left (leave=1) while publishing is refused here, and nginx cuts its publisher.
        const room = await this.roomFor(event);
        if (!(await this.rooms.markLive(room.id, now, true))) this.refuse(event, 'room closed');
        return;
      }
      case 'publish_done': {
        const room = await this.rooms.findOpenByStream('local', event.app, event.streamKey);
        // A room closed meanwhile has nothing left to end.
        if (!room) return;
        if (!sameKey(event.publishKey, room.publishKey)) this.refuse(event, 'wrong publish key');
        await this.rooms.markEnded(room.id, now);
        this.log.info({ roomId: room.id, server: event.server }, 'room ended');
        return;
      }
    }
  }

  private async roomFor(event: LiveHookEvent): Promise<LiveRoomEntity> {
    if (event.app !== this.provider.hub) this.refuse(event, 'unknown application');
    const room = await this.rooms.findOpenByStream('local', event.app, event.streamKey);
    if (!room) this.refuse(event, 'no open room');
    if (!sameKey(event.publishKey, room.publishKey)) this.refuse(event, 'wrong publish key');
    return room;
  }

  private refuse(event: LiveHookEvent, reason: string): never {
    // The stream key is what viewers' URLs hold anyway; the presented key is never logged.
    this.log.info(
      { kind: event.kind, server: event.server, streamKey: event.streamKey, reason },
      'publish refused',
    );
    throw new DomainError('FORBIDDEN', 'publish refused');
  }
}
