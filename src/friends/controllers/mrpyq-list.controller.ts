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
import { MrpyqFriendTokenDto } from '#src/friends/controllers/mrpyq-friend.dto.js';
import {
  MRPYQ_FRIEND_SCHEMA,
  MRPYQ_MESSAGE_SCHEMA,
  toMrpyqFriend,
  toMrpyqMessage,
  type MrpyqFriend,
  type MrpyqMessage,
} from '#src/friends/controllers/mrpyq-friend.mapper.js';
import { FriendsService } from '#src/friends/friends.service.js';

/** mrpyq's `/list`: the friends (live ones first) and the friend-request messages. */
@Dialect('mrpyq')
@Controller()
export class MrpyqListController {
  constructor(private readonly friends: FriendsService) {}

  @Operation('list', { marker: 'friendlist' })
  @Authenticated()
  @ApiOperation({
    summary:
      '好友列表 — {count, friends}: friends live now first, each with their room, play URLs and viewer stream object; then the rest',
  })
  @ApiParams(MrpyqFriendTokenDto)
  @Reply(mrpyq, {
    data: {
      type: 'object',
      properties: { count: { type: 'integer' }, friends: { type: 'array', items: MRPYQ_FRIEND_SCHEMA } },
    },
    errors: ['UNAUTHENTICATED'],
  })
  async friendList(
    @Params() _params: MrpyqFriendTokenDto,
    @CurrentSession() session: Principal,
  ): Promise<{ count: number; friends: MrpyqFriend[] }> {
    const friends = (await this.friends.friendList(session)).map(toMrpyqFriend);
    return { count: friends.length, friends };
  }

  @Operation('list', { marker: 'messagelist' })
  @Authenticated()
  @ApiOperation({
    summary:
      '消息列表 — the friend requests the caller made or received, newest first (200 at most), each with its flag, verifyId and objectId',
  })
  @ApiParams(MrpyqFriendTokenDto)
  @Reply(mrpyq, {
    data: { type: 'array', items: MRPYQ_MESSAGE_SCHEMA },
    errors: ['UNAUTHENTICATED'],
  })
  async messageList(
    @Params() _params: MrpyqFriendTokenDto,
    @CurrentSession() session: Principal,
  ): Promise<MrpyqMessage[]> {
    return (await this.friends.messages(session)).map(toMrpyqMessage);
  }
}
