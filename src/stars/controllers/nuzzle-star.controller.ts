import { Controller, Post } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, getSchemaPath } from '@nestjs/swagger';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import type { Principal } from '#src/auth/principal.js';
import { Params } from '#src/common/http/params.decorator.js';
import { CurrentSession } from '#src/auth/principal.js';
import { nuzzle } from '#src/dialects/nuzzle.dialect.js';
import { pageOf, toNuzzleFeed } from '#src/feeds/controllers/nuzzle-feed.mapper.js';
import { MAX_PAGE_SIZE, NuzzleFeed, NuzzlePageDto } from '#src/feeds/dto/nuzzle-feed.dto.js';
import { toNuzzleStar, toNuzzleStarTaggedFeeds } from '#src/stars/controllers/nuzzle-star.mapper.js';
import {
  NuzzleStar,
  NuzzleStarFeedsDto,
  NuzzleStarRefDto,
  NuzzleStarTaggedFeeds,
} from '#src/stars/dto/nuzzle-star.dto.js';
import { StarsService } from '#src/stars/stars.service.js';

const TRUE = { type: 'boolean', enum: [true] };
const SESSION_ERRORS = ['UNAUTHENTICATED', 'USER_NOT_FOUND', 'ACCOUNT_DISABLED'] as const;

@Dialect('nuzzle')
@ApiExtraModels(NuzzleStar, NuzzleFeed)
@Controller('star')
export class NuzzleStarController {
  constructor(private readonly stars: StarsService) {}

  @GetOrPost('follow')
  @ApiOperation({
    summary: '关注明星接口 — idempotent; NOT_ALLOWED for oneself or an account that is not a star',
  })
  @ApiParams(NuzzleStarRefDto)
  @Authenticated()
  @Reply(nuzzle, { data: TRUE, errors: ['INVALID_PARAMS', ...SESSION_ERRORS, 'FORBIDDEN'] })
  async follow(@Params() params: NuzzleStarRefDto, @CurrentSession() session: Principal): Promise<true> {
    await this.stars.follow(session.userId, params.userId);
    return true;
  }

  @GetOrPost('unfollow')
  @ApiOperation({ summary: '取消关注明星接口 — idempotent' })
  @ApiParams(NuzzleStarRefDto)
  @Authenticated()
  @Reply(nuzzle, { data: TRUE, errors: ['INVALID_PARAMS', ...SESSION_ERRORS] })
  async unfollow(@Params() params: NuzzleStarRefDto, @CurrentSession() session: Principal): Promise<true> {
    await this.stars.unfollow(session.userId, params.userId);
    return true;
  }

  @Post('feed/list')
  @ApiOperation({ summary: '明星所有的feed列表接口 — newest first, by keyset (maxId)' })
  @ApiParams(NuzzleStarFeedsDto)
  @Authenticated()
  @Reply(nuzzle, {
    data: { type: 'array', items: { $ref: getSchemaPath(NuzzleFeed) } },
    errors: ['INVALID_PARAMS', ...SESSION_ERRORS],
  })
  async feeds(
    @Params() params: NuzzleStarFeedsDto,
    @CurrentSession() session: Principal,
  ): Promise<NuzzleFeed[]> {
    return (await this.stars.feedsOf(session.userId, params.userId, pageOf(params))).map(toNuzzleFeed);
  }

  @GetOrPost('feed/tag/list')
  @ApiOperation({
    summary: '明星所有首发及独家的feed列表接口 — with userMap; balance only on one’s own page',
    description: 'Newest first; up to 50 (maxId and size, not in the document, page further).',
  })
  @ApiParams(NuzzleStarFeedsDto)
  @Authenticated()
  @Reply(nuzzle, { data: NuzzleStarTaggedFeeds, errors: ['INVALID_PARAMS', ...SESSION_ERRORS] })
  async taggedFeeds(
    @Params() params: NuzzleStarFeedsDto,
    @CurrentSession() session: Principal,
  ): Promise<NuzzleStarTaggedFeeds> {
    const page = await this.stars.taggedPage(session.userId, params.userId, pageOf(params, MAX_PAGE_SIZE));
    return toNuzzleStarTaggedFeeds(page, session.userId);
  }

  @Post('list')
  @ApiOperation({ summary: '明星列表接口 — newest star first, with hasFollow and three feed covers each' })
  @ApiParams(NuzzlePageDto)
  @Authenticated()
  @Reply(nuzzle, {
    data: { type: 'array', items: { $ref: getSchemaPath(NuzzleStar) } },
    errors: ['INVALID_PARAMS', ...SESSION_ERRORS],
  })
  async list(@Params() params: NuzzlePageDto, @CurrentSession() session: Principal): Promise<NuzzleStar[]> {
    return (await this.stars.list(session.userId, pageOf(params))).map((s) =>
      toNuzzleStar(s, session.userId),
    );
  }
}
