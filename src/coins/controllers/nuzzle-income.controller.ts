import { Controller } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Principal } from '#src/auth/principal.js';
import { CurrentSession } from '#src/auth/principal.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { toNuzzleIncomeDetail, toNuzzleIncomeSummary } from '#src/coins/controllers/nuzzle-income.mapper.js';
import {
  NuzzleIncomeDetailAnswer,
  NuzzleIncomeDetailDto,
  NuzzleIncomeSummaryAnswer,
} from '#src/coins/dto/nuzzle-income.dto.js';
import { FeedIncomeService } from '#src/coins/feed-income.service.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { NuzzleCommonParams } from '#src/common/dialect/nuzzle-common.dto.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { Params } from '#src/common/http/params.decorator.js';
import { pageOf } from '#src/feeds/controllers/nuzzle-feed.mapper.js';
import { nuzzle } from '#src/dialects/nuzzle.dialect.js';

const SESSION_ERRORS = ['UNAUTHENTICATED', 'USER_NOT_FOUND', 'ACCOUNT_DISABLED'] as const;

@Dialect('nuzzle')
@Controller('income')
export class NuzzleIncomeController {
  constructor(private readonly income: FeedIncomeService) {}

  @GetOrPost('summary')
  @ApiOperation({
    summary:
      '收入摘要 — the caller’s income from paid videos: totals, and per feed (most recently bought first)',
  })
  @ApiParams(NuzzleCommonParams)
  @Authenticated()
  @Reply(nuzzle, { data: NuzzleIncomeSummaryAnswer, errors: ['INVALID_PARAMS', ...SESSION_ERRORS] })
  async summary(
    @Params() _params: NuzzleCommonParams,
    @CurrentSession() session: Principal,
  ): Promise<NuzzleIncomeSummaryAnswer> {
    return toNuzzleIncomeSummary(await this.income.summary(session.userId));
  }

  @GetOrPost('detail')
  @ApiOperation({
    summary:
      '收入明细 — one of the caller’s feeds: its figures and its buyers, newest first, by keyset (maxId)',
    description:
      'NOT_ALLOWED for a feed that is not the caller’s, or does not exist (any more) and earned nothing.',
  })
  @ApiParams(NuzzleIncomeDetailDto)
  @Authenticated()
  @Reply(nuzzle, {
    data: NuzzleIncomeDetailAnswer,
    errors: ['INVALID_PARAMS', ...SESSION_ERRORS, 'NOT_FOUND', 'FORBIDDEN'],
  })
  async detail(
    @Params() params: NuzzleIncomeDetailDto,
    @CurrentSession() session: Principal,
  ): Promise<NuzzleIncomeDetailAnswer> {
    return toNuzzleIncomeDetail(
      await this.income.detail(session.userId, params.id, params.type, pageOf(params)),
    );
  }
}
