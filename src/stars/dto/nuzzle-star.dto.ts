import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { NuzzleCommonParams } from '#src/common/dialect/nuzzle-common.dto.js';
import { NuzzleFeed, NuzzlePageDto } from '#src/feeds/dto/nuzzle-feed.dto.js';
import { NuzzleUser } from '#src/users/dto/nuzzle-user.dto.js';

export class NuzzleStarRefDto extends NuzzleCommonParams {
  @ApiProperty({ description: '明星id', example: '1024' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  userId: string;
}

export class NuzzleStarFeedsDto extends NuzzlePageDto {
  @ApiProperty({ description: '明星id (any account: its feeds)', example: '1024' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  userId: string;
}

export class NuzzleStarPreview {
  @ApiProperty({ enum: ['pic', 'video'] }) type: string;
  @ApiProperty({ description: 'The picture, or the video’s cover' }) photoUrl: string;
}

export class NuzzleStar extends NuzzleUser {
  @ApiProperty({ description: 'Whether the caller follows this star' }) hasFollow: boolean;
  @ApiProperty({ type: NuzzleStarPreview, isArray: true, description: 'Their three newest feeds' })
  feeds: NuzzleStarPreview[];
}

export class NuzzleStarUserMap {
  @ApiProperty({ example: '1024' }) id: string;
  @ApiPropertyOptional({ description: 'Coins; present only on the caller’s own page' }) balance?: number;
  @ApiProperty() nickname: string;
  @ApiProperty({ description: 'Empty unless it is the caller’s own page' }) facebookId: string;
  @ApiProperty() hasFollow: boolean;
  @ApiProperty() regDone: boolean;
  @ApiProperty({ description: 'Always empty (the document does not say what it is)' }) code: string;
  @ApiProperty() avatar: string;
  @ApiProperty() signature: string;
  @ApiProperty() fansCount: number;
}

export class NuzzleStarTaggedFeeds {
  @ApiProperty({ type: NuzzleFeed, isArray: true }) feeds: NuzzleFeed[];
  @ApiProperty({ type: NuzzleStarUserMap }) userMap: NuzzleStarUserMap;
}
