import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import type { FeedType } from '#src/feeds/feed.entity.js';
import { NuzzlePageDto } from '#src/feeds/dto/nuzzle-feed.dto.js';

/** A feed's buyers, in the feed pages' keyset paging (`maxId`, `size`). */
export class NuzzleIncomeDetailDto extends NuzzlePageDto {
  @ApiProperty({ description: '类型，视频，可选值暂时只有video', enum: ['video', 'pic'] })
  @IsIn(['video', 'pic'])
  type: FeedType;

  @ApiProperty({ description: 'feed标识', example: '1024' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  id: string;
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
