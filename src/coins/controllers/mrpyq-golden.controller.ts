import { Controller } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Principal } from '#src/auth/principal.js';
import { CurrentSession } from '#src/auth/principal.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { MrpyqRefillDto, MrpyqSendGiftDto } from '#src/coins/controllers/mrpyq-golden.dto.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { Operation } from '#src/common/dialect/operation.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { Params } from '#src/common/http/params.decorator.js';
import { mrpyq } from '#src/dialects/mrpyq.dialect.js';
import { LiveGiftsService } from '#src/live/live-gifts.service.js';
import { RefillService } from '#src/payments/refill.service.js';

/** The document's only failure on both routes: a database update that failed (a crash, never a business rule). */
const UPDATE_FAILED = { code: '0013', message: 'update failed' } as const;

/**
 * mrpyq's gold coins on `/golden`: `refill=1` buys a coin package through the payment provider, `send_gift=1` gives
 * coins to an anchor, both on the coin ledger.
 */
@Dialect('mrpyq')
@Controller()
export class MrpyqGoldenController {
  constructor(
    private readonly gifts: LiveGiftsService,
    private readonly refills: RefillService,
  ) {}

  @Operation('golden', { marker: 'send_gift' })
  @Authenticated()
  @ApiOperation({
    summary:
      '赠送礼物 — `value` coins from the caller to the anchor named by `object` (their phone), less the platform’s share, in one ledger posting',
  })
  @ApiParams(MrpyqSendGiftDto)
  @Reply(mrpyq, {
    data: { type: 'string', nullable: true, enum: [null] },
    errors: [
      'UNAUTHENTICATED',
      'INVALID_PARAMS',
      'USER_NOT_FOUND',
      'FORBIDDEN',
      'INSUFFICIENT_COINS',
      'INTERNAL',
    ],
    overrides: {
      USER_NOT_FOUND: { message: '主播不存在' },
      FORBIDDEN: { message: '不能给自己送礼物' },
      INTERNAL: UPDATE_FAILED,
    },
  })
  async sendGift(@Params() params: MrpyqSendGiftDto, @CurrentSession() session: Principal): Promise<null> {
    await this.gifts.sendGift({
      senderId: session.userId,
      anchor: params.object,
      value: Number(params.value.trim()),
      description: params.description,
    });
    return null;
  }

  @Operation('golden', { marker: 'refill' })
  @Authenticated()
  @ApiOperation({
    summary:
      '充值 — `money` is a package price in yuan. Local provider (development): credited at once, `message` null. Alipay: `message` is the signed order string for the Alipay SDK; coins follow Alipay’s verified notification',
  })
  @ApiParams(MrpyqRefillDto)
  @Reply(mrpyq, {
    data: {
      type: 'string',
      nullable: true,
      description: 'null when the coins are credited; Alipay’s order string when the app must pay first',
    },
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'FORBIDDEN', 'INTERNAL'],
    overrides: {
      INVALID_PARAMS: { message: '没有这个充值金额' },
      FORBIDDEN: { message: '暂不支持充值' },
      INTERNAL: UPDATE_FAILED,
    },
  })
  async refill(
    @Params() params: MrpyqRefillDto,
    @CurrentSession() session: Principal,
  ): Promise<string | null> {
    const started = await this.refills.startRefill(session.userId, params.money);
    return started.payment?.orderString ?? null;
  }
}
