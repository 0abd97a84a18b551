import { Controller } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Principal } from '#src/auth/principal.js';
import { CurrentSession } from '#src/auth/principal.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { Operation } from '#src/common/dialect/operation.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { Params } from '#src/common/http/params.decorator.js';
import { mrpyq } from '#src/dialects/mrpyq.dialect.js';
import { MrpyqOpenRoomDto, MrpyqTokenDto } from '#src/live/controllers/mrpyq-room.dto.js';
import { LiveRoomsService } from '#src/live/live-rooms.service.js';

/**
 * mrpyq's `/room`: `live=1` opens the caller's room and answers the stream object the client publishes to, as the
 * document shows it — a JSON string inside `message`; `leave=1` closes it. The streaming provider failing is 0009.
 */
@Dialect('mrpyq')
@Controller()
export class MrpyqRoomController {
  constructor(private readonly rooms: LiveRoomsService) {}

  @Operation('room', { marker: 'live' })
  @Authenticated()
  @ApiOperation({
    summary:
      '直播请求 — `message` is the stream object as a JSON string (Pili v1 shape: id, hub, title, publishKey, publishSecurity, hosts…, plus publishUrl)',
  })
  @ApiParams(MrpyqOpenRoomDto)
  @Reply(mrpyq, {
    data: {
      type: 'string',
      description:
        'JSON of the stream: {"id","createdAt","updatedAt","expireAt","title","hub","disabledTill","disabled","publishKey","publishSecurity","nonce","nropEnable","hosts":{"publish","live","playback","play"},"publishUrl"}',
    },
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'UPSTREAM_FAILED'],
    overrides: { UPSTREAM_FAILED: { message: 'API错误,bad request' } },
  })
  async openRoom(@Params() params: MrpyqOpenRoomDto, @CurrentSession() session: Principal): Promise<string> {
    // The document's example is a string holding JSON, which its client parses a second time.
    return JSON.stringify(await this.rooms.openRoom(session.userId, params.title));
  }

  @Operation('room', { marker: 'leave' })
  @Authenticated()
  @ApiOperation({ summary: '主播离开 — closes the caller’s room (leaving without one succeeds)' })
  @ApiParams(MrpyqTokenDto)
  @Reply(mrpyq, {
    data: { type: 'string', nullable: true, enum: [null] },
    errors: ['UNAUTHENTICATED', 'UPSTREAM_FAILED'],
    overrides: { UPSTREAM_FAILED: { message: 'API错误,bad request' } },
  })
  async leaveRoom(@Params() _params: MrpyqTokenDto, @CurrentSession() session: Principal): Promise<null> {
    await this.rooms.leaveRoom(session.userId);
    return null;
  }
}
