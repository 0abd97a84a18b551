import { Controller } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Principal } from '#src/auth/principal.js';
import { CurrentSession } from '#src/auth/principal.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { Params } from '#src/common/http/params.decorator.js';
import { nuzzle } from '#src/dialects/nuzzle.dialect.js';
import { AppleTopUpsService } from '#src/payments/apple-top-ups.service.js';
import {
  NuzzleBalanceAnswer,
  NuzzlePayVerifyAnswer,
  NuzzlePayVerifyDto,
  NuzzlePayViewDto,
} from '#src/payments/dto/nuzzle-pay.dto.js';
import { FeedPurchasesService } from '#src/payments/feed-purchases.service.js';

const SESSION_ERRORS = ['UNAUTHENTICATED', 'USER_NOT_FOUND', 'ACCOUNT_DISABLED'] as const;

@Dialect('nuzzle')
@Controller('pay')
export class NuzzlePayController {
  constructor(
    private readonly topUps: AppleTopUpsService,
    private readonly feedPurchases: FeedPurchasesService,
  ) {}

  @GetOrPost('verify')
  @ApiOperation({
    summary: '支付校验充值 — App Store coins, verified with Apple and credited once, to the caller',
    description:
      'At least one of `receipt-data`, `sign`, `recharge` (PARAM_ERROR otherwise). A purchase another account claimed, or one Apple refunded, named in `sign` or `recharge`: NOT_ALLOWED, nothing credited. Data Apple did not sign for this app, an unknown transaction or a product that is not coins: PARAM_ERROR. Apple unreachable: SERVER_ERROR (retry).',
  })
  @ApiParams(NuzzlePayVerifyDto)
  @Authenticated()
  @Reply(nuzzle, {
    data: NuzzlePayVerifyAnswer,
    errors: ['INVALID_PARAMS', ...SESSION_ERRORS, 'FORBIDDEN', 'UPSTREAM_FAILED'],
  })
  async verify(
    @Params() params: NuzzlePayVerifyDto,
    @CurrentSession() session: Principal,
  ): Promise<NuzzlePayVerifyAnswer> {
    const result = await this.topUps.verify(session.userId, {
      receipt: params['receipt-data'],
      signedTransactions: params.sign,
      recharge: params.recharge,
    });
    return { balance: result.balance, transactions: result.transactionIds };
  }

  @GetOrPost('view')
  @ApiOperation({
    summary: '购买付费视频接口 — the caller pays the price; the author receives it less the platform’s share',
    description:
      'Once per buyer and video: USER_BOUGHT after that. NOT_ALLOWED for a free feed, a picture, one’s own feed, or a feed that does not exist (any more).',
  })
  @ApiParams(NuzzlePayViewDto)
  @Authenticated()
  @Reply(nuzzle, {
    data: NuzzleBalanceAnswer,
    errors: [
      'INVALID_PARAMS',
      ...SESSION_ERRORS,
      'NOT_FOUND',
      'FORBIDDEN',
      'INSUFFICIENT_COINS',
      'ALREADY_PURCHASED',
    ],
  })
  async view(
    @Params() params: NuzzlePayViewDto,
    @CurrentSession() session: Principal,
  ): Promise<NuzzleBalanceAnswer> {
    return this.feedPurchases.buy(session.userId, params.id, params.type);
  }
}
