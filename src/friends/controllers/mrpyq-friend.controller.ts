import { Controller } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Principal } from '#src/auth/principal.js';
import { CurrentSession } from '#src/auth/principal.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { LimitedPerAddress } from '#src/common/counters/address-limiter.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { Operation } from '#src/common/dialect/operation.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { ReplyOutcome } from '#src/common/dialect/reply-outcome.js';
import { Params } from '#src/common/http/params.decorator.js';
import { mrpyq } from '#src/dialects/mrpyq.dialect.js';
import { MrpyqDealMessageDto, MrpyqFriendTargetDto } from '#src/friends/controllers/mrpyq-friend.dto.js';
import { toRequestReference } from '#src/friends/controllers/mrpyq-friend.mapper.js';
import {
  MRPYQ_USER_SCHEMA,
  toMrpyqUser,
  type MrpyqUser,
} from '#src/friends/controllers/mrpyq-user.mapper.js';
import type { Relation } from '#src/friends/friend-request.js';
import { FriendsService } from '#src/friends/friends.service.js';

const FLAGS: Record<Relation, '1' | '0' | '-1'> = { friend: '1', stranger: '0', self: '-1' };
const NULL_MESSAGE = { type: 'string', nullable: true, enum: [null] };

/** mrpyq's `/friend`: find a user by phone, ask them to be friends, act on a request, end a friendship. */
@Dialect('mrpyq')
@Controller()
export class MrpyqFriendController {
  constructor(private readonly friends: FriendsService) {}

  @Operation('friend', { marker: 'search' })
  @Authenticated()
  @ApiOperation({
    summary:
      '用户搜索 — by exact phone; `flag` beside `result`: "1" friend, "0" stranger, "-1" oneself. Tells whether a number has an account, so it spends the address budget',
  })
  @ApiParams(MrpyqFriendTargetDto)
  @LimitedPerAddress('account')
  @Reply(mrpyq, {
    data: MRPYQ_USER_SCHEMA,
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'USER_NOT_FOUND', 'RATE_LIMITED'],
  })
  async search(
    @Params() params: MrpyqFriendTargetDto,
    @CurrentSession() session: Principal,
  ): Promise<ReplyOutcome<MrpyqUser>> {
    const found = await this.friends.search(session, params.userId);
    return new ReplyOutcome(toMrpyqUser(found.user), { fields: { flag: FLAGS[found.relation] } });
  }

  @Operation('friend', { marker: 'add' })
  @Authenticated()
  @ApiOperation({
    summary:
      '添加好友 — sends a request the other side sees in messagelist; asking again changes nothing; asking someone who asked you makes you friends',
  })
  @ApiParams(MrpyqFriendTargetDto)
  @LimitedPerAddress('account')
  @Reply(mrpyq, {
    data: NULL_MESSAGE,
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'USER_NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'RATE_LIMITED'],
    overrides: {
      FORBIDDEN: { message: '不能添加自己为好友' },
      CONFLICT: { code: '0010', message: '已经互为好友' },
    },
  })
  async add(@Params() params: MrpyqFriendTargetDto, @CurrentSession() session: Principal): Promise<null> {
    await this.friends.requestFriendship(session, params.userId);
    return null;
  }

  @Operation('friend', { marker: 'dealMessage' })
  @Authenticated()
  @ApiOperation({
    summary:
      '消息处理 — `accept` (the addressee) or `delete` one of the caller’s messages, named by verifyId and objectId as messagelist gives them',
  })
  @ApiParams(MrpyqDealMessageDto)
  @Reply(mrpyq, {
    data: NULL_MESSAGE,
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'NOT_FOUND'],
    overrides: { NOT_FOUND: { message: '消息不存在' } },
  })
  async dealMessage(
    @Params() params: MrpyqDealMessageDto,
    @CurrentSession() session: Principal,
  ): Promise<null> {
    await this.friends.handleMessage(session, toRequestReference(params), params.behaviour);
    return null;
  }

  @Operation('friend', { marker: 'delete' })
  @Authenticated()
  @ApiOperation({ summary: '删除好友 — 0006 for a number that is not a friend' })
  @ApiParams(MrpyqFriendTargetDto)
  @Reply(mrpyq, {
    data: NULL_MESSAGE,
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'NOT_FOUND'],
    overrides: { NOT_FOUND: { code: '0006', message: '对方不是你的好友' } },
  })
  async delete(@Params() params: MrpyqFriendTargetDto, @CurrentSession() session: Principal): Promise<null> {
    await this.friends.unfriend(session, params.userId);
    return null;
  }
}
