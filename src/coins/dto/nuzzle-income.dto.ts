import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { NuzzleCommonParams } from '#src/common/dialect/nuzzle-common.dto.js';
import type { FeedType } from '#src/feeds/feed.entity.js';
import { EmptyAsAbsent, IntegerParam, IsBigintIdParam } from '#src/feeds/dto/nuzzle-params.js';

export const INCOME_DEFAULT_PAGE_SIZE = 10;
export const INCOME_MAX_PAGE_SIZE = 50;

export class NuzzleIncomeDetailDto extends NuzzleCommonParams {
  @ApiProperty({ description: '类型，视频，可选值暂时只有video', enum: ['video', 'pic'] })
  @IsIn(['video', 'pic'])
  type: FeedType;

  @ApiProperty({ description: 'feed标识', example: '1024' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  id: string;

  @ApiPropertyOptional({
    description: '上一个列表中最后一条记录的id (keyset: the next page is older than it)',
    example: '4096',
  })
  @IsOptional()
  @EmptyAsAbsent()
  @IsBigintIdParam()
  maxId?: string;

  @ApiPropertyOptional({
    description: '分页大小 (default 10; more than 50 answers 50)',
    example: 10,
    minimum: 1,
  })
  @IsOptional()
  @IntegerParam()
  @IsInt()
  @Min(1)
  size?: number;
}

export class NuzzleIncomeFeed {
  @ApiProperty({ example: '2048' }) id: string;
  @ApiProperty({ description: 'The video’s cover (public); empty once the feed is no longer listed' })
  photoUrl: string;
  @ApiProperty({ enum: ['video', 'pic'] }) type: string;
  @ApiProperty({
    description:
      'The author’s own video: a signed address that expires; empty once the feed is no longer listed',
  })
  videoUrl: string;
}

export class NuzzleIncomeFigures {
  @ApiProperty({ description: 'Coins received (prices less the platform’s share)', example: 2324 })
  coins: number;
  @ApiProperty({ description: 'Purchases', example: 140 }) counts: number;
}

export class NuzzleIncomeFeedFigures extends NuzzleIncomeFigures {
  @ApiProperty({ type: NuzzleIncomeFeed }) feed: NuzzleIncomeFeed;
}

export class NuzzleIncomeSummaryAnswer {
  @ApiProperty({ type: NuzzleIncomeFigures }) summary: NuzzleIncomeFigures;
  @ApiProperty({ type: [NuzzleIncomeFeedFigures], description: 'Per feed, the most recently bought first' })
  list: NuzzleIncomeFeedFigures[];
}

export class NuzzleIncomeBuyer {
  @ApiProperty({ example: '1024' }) id: string;
  @ApiProperty({ description: 'Empty once the buyer’s account is closed' }) nickname: string;
  @ApiProperty({ description: 'Empty once the buyer’s account is closed' }) avatar: string;
}

export class NuzzleIncomePurchase {
  @ApiProperty({ description: 'The purchase id: the next page’s maxId', example: '4096' }) id: string;
  @ApiProperty({ description: 'Epoch milliseconds', example: 1467072423905 }) payTime: number;
  @ApiProperty({ description: 'Coins the author received for it', example: 21 }) coins: number;
  @ApiProperty({ type: NuzzleIncomeBuyer }) user: NuzzleIncomeBuyer;
}

export class NuzzleIncomeDetailAnswer {
  @ApiProperty({ type: NuzzleIncomeFeedFigures }) summary: NuzzleIncomeFeedFigures;
  @ApiProperty({ type: [NuzzleIncomePurchase], description: 'Newest first' }) list: NuzzleIncomePurchase[];
}
