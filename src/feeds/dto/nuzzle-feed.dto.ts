import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { MAX_PAGE_ROWS } from '#src/database/hot-statements.js';
import { NuzzleCommonParams } from '#src/common/dialect/nuzzle-common.dto.js';
import {
  FEED_TAGS,
  REPORT_TYPES,
  type FeedTag,
  type FeedType,
  type ReportType,
} from '#src/feeds/feed.entity.js';
import {
  BooleanParam,
  EmptyAsAbsent,
  IntegerParam,
  IsBigintIdParam,
  PlainText,
} from '#src/feeds/dto/nuzzle-params.js';

export const DEFAULT_PAGE_SIZE = 10;
/** A larger `size` answers this many: all a keyset page statement returns. */
export const MAX_PAGE_SIZE = MAX_PAGE_ROWS;
export const MAX_WORDS = 1000;
export const MAX_DIMENSION = 20_000;
export const MAX_DURATION = 86_400;
/** Year 9999 in epoch milliseconds. */
const MAX_EPOCH_MS = 253_402_300_799_999;

export class NuzzlePageDto extends NuzzleCommonParams {
  @ApiPropertyOptional({
    description: '上一个列表中最后一条记录的id (keyset: older than it)',
    example: '1024',
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

export class NuzzleFeedRefDto extends NuzzleCommonParams {
  @ApiProperty({ description: '类型，图片还是视频', enum: ['pic', 'video'] })
  @IsIn(['pic', 'video'])
  type: FeedType;

  @ApiProperty({ description: 'feed标识', example: '1024' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  id: string;
}

export class NuzzleFeedReportDto extends NuzzleFeedRefDto {
  @ApiProperty({ description: '举报类型', enum: REPORT_TYPES })
  @IsIn(REPORT_TYPES)
  reportType: ReportType;

  @ApiPropertyOptional({ description: '举报原因 (up to 500 characters)', example: '不喜欢这个' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @PlainText()
  reason?: string;
}

export class NuzzleFeedShareDto extends NuzzleCommonParams {
  @ApiProperty({ description: '类型，图片还是视频还是应用', enum: ['pic', 'video', 'app'] })
  @IsIn(['pic', 'video', 'app'])
  type: FeedType | 'app';

  @ApiPropertyOptional({ description: 'feed标识，当且仅当type是分享应用的时候，可以不填', example: '1024' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  id?: string;
}

export class NuzzleFeedPostDto extends NuzzleCommonParams {
  @ApiProperty({ description: '类型，pic或者video', enum: ['pic', 'video'] })
  @IsIn(['pic', 'video'])
  type: FeedType;

  @ApiProperty({
    description:
      'The picture (a video’s cover): publicBaseUrl + key of the caller’s own upload (/aws/store/token)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  photoUrl: string;

  @ApiPropertyOptional({ description: 'The video (required when type=video): the caller’s own upload' })
  @ValidateIf((o: NuzzleFeedPostDto) => o.type === 'video')
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  videoUrl?: string;

  @ApiProperty({ description: '照片宽度', example: 150, minimum: 1, maximum: MAX_DIMENSION })
  @IntegerParam()
  @IsInt()
  @Min(1)
  @Max(MAX_DIMENSION)
  width: number;

  @ApiProperty({ description: '照片高度', example: 100, minimum: 1, maximum: MAX_DIMENSION })
  @IntegerParam()
  @IsInt()
  @Min(1)
  @Max(MAX_DIMENSION)
  height: number;

  @ApiPropertyOptional({ description: '时长，秒级别', example: 100, minimum: 0, maximum: MAX_DURATION })
  @IsOptional()
  @IntegerParam()
  @IsInt()
  @Min(0)
  @Max(MAX_DURATION)
  duration?: number;

  @ApiPropertyOptional({ description: `描述 (up to ${MAX_WORDS} characters)`, example: '顶顶顶顶顶' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_WORDS)
  @PlainText()
  words?: string;

  @ApiPropertyOptional({ description: '首发还是独家 (empty: neither)', enum: FEED_TAGS })
  @IsOptional()
  @EmptyAsAbsent()
  @IsIn(FEED_TAGS)
  tag?: FeedTag;

  @ApiProperty({ description: '是否免费 (paid: videos only)', example: true })
  @BooleanParam()
  @IsBoolean()
  free: boolean;

  @ApiPropertyOptional({
    description: '价格: whole coins, 1–1000000, required when free is false (ignored when free)',
    example: 10,
  })
  @IsOptional()
  @IntegerParam()
  @IsInt()
  price?: number;

  @ApiPropertyOptional({ description: '是否静音', example: false })
  @IsOptional()
  @BooleanParam()
  @IsBoolean()
  mute?: boolean;

  @ApiPropertyOptional({ description: '拍摄时间的毫秒数', example: 1467042462341 })
  @IsOptional()
  @IntegerParam()
  @IsInt()
  @Min(0)
  @Max(MAX_EPOCH_MS)
  shootingTime?: number;
}

export class NuzzleAuthorInfo {
  @ApiProperty({ example: '1024' }) id: string;
  @ApiProperty() nickname: string;
  @ApiProperty() avatar: string;
}

/** A feed as every nuzzle list and detail shows it. */
export class NuzzleFeed {
  @ApiProperty({ example: '2048' }) id: string;
  @ApiProperty({ description: 'The author’s user id', example: '1024' }) author: string;
  @ApiProperty({ enum: ['pic', 'video'] }) type: string;
  @ApiProperty({ description: 'The picture, or the video’s cover (public)' }) photoUrl: string;
  @ApiProperty({
    description:
      'Empty for a picture. A free video’s public address; a paid one’s signed address (valid MEDIA_URL_TTL) when `access` is true, else empty',
  })
  videoUrl: string;
  @ApiProperty() width: number;
  @ApiProperty() height: number;
  @ApiProperty({ description: 'seconds; 0 for a picture' }) duration: number;
  @ApiProperty() words: string;
  @ApiProperty({ enum: ['exclusive', 'premiere', ''], description: 'empty when neither' }) tag: string;
  @ApiProperty() free: boolean;
  @ApiProperty({ description: 'whole coins; 0 when free' }) price: number;
  @ApiProperty() mute: boolean;
  @ApiProperty({ description: 'epoch milliseconds; 0 when not given' }) shootingTime: number;
  @ApiProperty({ description: 'epoch milliseconds', example: 1467072423897 }) publishTime: number;
  @ApiProperty({ description: 'Whether the caller may watch it: free, their own, or bought' })
  access: boolean;
  @ApiProperty({ type: NuzzleAuthorInfo }) authorUserInfo: NuzzleAuthorInfo;
}
