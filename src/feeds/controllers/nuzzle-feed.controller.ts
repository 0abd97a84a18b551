import { Controller } from '@nestjs/common';
import { ApiExtraModels, ApiOperation } from '@nestjs/swagger';
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
import {
  NuzzleFeed,
  NuzzleFeedPostDto,
  NuzzleFeedRefDto,
  NuzzleFeedReportDto,
  NuzzlePageDto,
} from '#src/feeds/dto/nuzzle-feed.dto.js';
import { FeedsService } from '#src/feeds/feeds.service.js';

const TRUE = { type: 'boolean', enum: [true] };
const SESSION_ERRORS = ['UNAUTHENTICATED', 'USER_NOT_FOUND', 'ACCOUNT_DISABLED'] as const;

@Dialect('nuzzle')
@ApiExtraModels(NuzzleFeed)
@Controller('feed')
export class NuzzleFeedController {
  constructor(private readonly feeds: FeedsService) {}

  @GetOrPost('post')
  @ApiOperation({
    summary: '发布 feed — a picture, or a video with its cover; paid videos need a price in whole coins',
    description:
      '`photoUrl` and `videoUrl` are addresses of the caller’s own uploads (see /aws/store/token), checked by their bytes. A paid video’s file leaves public reach at once.',
  })
  @ApiParams(NuzzleFeedPostDto)
  @Authenticated()
  @Reply(nuzzle, {
    data: TRUE,
    errors: [
      'INVALID_PARAMS',
      ...SESSION_ERRORS,
      'FORBIDDEN',
      'UNSUPPORTED_MEDIA',
      'FILE_TOO_LARGE',
      'CONFLICT',
    ],
  })
  async post(@Params() params: NuzzleFeedPostDto, @CurrentSession() session: Principal): Promise<true> {
    await this.feeds.post(session.userId, {
      type: params.type,
      photoUrl: params.photoUrl,
      videoUrl: params.videoUrl,
      width: params.width,
      height: params.height,
      duration: params.duration,
      words: params.words,
      tag: params.tag,
      free: params.free,
      price: params.price,
      mute: params.mute,
      shootingTime: params.shootingTime === undefined ? undefined : new Date(params.shootingTime),
    });
    return true;
  }

  @GetOrPost('list')
  @ApiOperation({ summary: '信息流接口 — everyone’s feeds, newest first, by keyset (maxId)' })
  @ApiParams(NuzzlePageDto)
  @Authenticated()
  @Reply(nuzzle, {
    data: { type: 'array', items: { $ref: '#/components/schemas/NuzzleFeed' } },
    errors: ['INVALID_PARAMS', ...SESSION_ERRORS],
  })
  async list(@Params() params: NuzzlePageDto, @CurrentSession() session: Principal): Promise<NuzzleFeed[]> {
    return (await this.feeds.newest(session.userId, pageOf(params))).map(toNuzzleFeed);
  }

  @GetOrPost('detail')
  @ApiOperation({ summary: 'feed详情接口 — NOT_ALLOWED for a feed that does not exist (any more)' })
  @ApiParams(NuzzleFeedRefDto)
  @Authenticated()
  @Reply(nuzzle, { data: NuzzleFeed, errors: ['INVALID_PARAMS', ...SESSION_ERRORS, 'NOT_FOUND'] })
  async detail(
    @Params() params: NuzzleFeedRefDto,
    @CurrentSession() session: Principal,
  ): Promise<NuzzleFeed> {
    return toNuzzleFeed(await this.feeds.detail(session.userId, params.id, params.type));
  }

  @GetOrPost('delete')
  @ApiOperation({ summary: '删除接口 — the author only; gone from every list at once' })
  @ApiParams(NuzzleFeedRefDto)
  @Authenticated()
  @Reply(nuzzle, {
    data: TRUE,
    errors: ['INVALID_PARAMS', ...SESSION_ERRORS, 'NOT_FOUND', 'FORBIDDEN', 'ALREADY_PURCHASED'],
  })
  async remove(@Params() params: NuzzleFeedRefDto, @CurrentSession() session: Principal): Promise<true> {
    await this.feeds.remove(session.userId, params.id, params.type);
    return true;
  }

  @GetOrPost('report')
  @ApiOperation({ summary: '举报接口 — lands in the operators’ queue; one open report per person and feed' })
  @ApiParams(NuzzleFeedReportDto)
  @Authenticated()
  @Reply(nuzzle, { data: TRUE, errors: ['INVALID_PARAMS', ...SESSION_ERRORS, 'NOT_FOUND', 'FORBIDDEN'] })
  async report(@Params() params: NuzzleFeedReportDto, @CurrentSession() session: Principal): Promise<true> {
    await this.feeds.report(session.userId, {
      id: params.id,
      type: params.type,
      reportType: params.reportType,
      reason: params.reason,
    });
    return true;
  }
}
