import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageLimitQuery } from '#src/common/http/page-query.js';
import { REPORT_TYPES } from '#src/feeds/feed.entity.js';

const BIGINT_ID = /^[1-9]\d{0,18}$/;

export class FeedReportQueueQuery extends PageLimitQuery {
  @ApiPropertyOptional({ description: '`nextCursor` of the previous page' })
  @IsOptional()
  @Matches(BIGINT_ID)
  cursor?: string;
}

export class FeedIdParam {
  @ApiProperty({ example: '2048' })
  @Matches(BIGINT_ID)
  id: string;
}

export class FeedDecisionDto {
  @ApiPropertyOptional({ description: 'Why, for the audit log', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

class ReportedFeedAuthor {
  @ApiProperty() id: string;
  @ApiProperty() nickname: string;
  @ApiProperty({ enum: ['active', 'banned', 'closed'] }) status: string;
}

class ReportedFeed {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['pic', 'video'] }) type: string;
  @ApiProperty() words: string;
  @ApiProperty() photoUrl: string;
  @ApiProperty({ description: 'Empty for a picture; a paid video’s address is signed and expires' })
  videoUrl: string;
  @ApiProperty() free: boolean;
  @ApiProperty({ description: 'whole coins' }) price: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: ReportedFeedAuthor }) author: ReportedFeedAuthor;
}

class ReportedFeedReporter {
  @ApiProperty() id: string;
  @ApiProperty() nickname: string;
}

class FeedReportDto {
  @ApiProperty() id: string;
  @ApiProperty({ type: ReportedFeedReporter }) reporter: ReportedFeedReporter;
  @ApiProperty({ enum: REPORT_TYPES }) reportType: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ReportedFeedItemDto {
  @ApiProperty({ type: ReportedFeed }) feed: ReportedFeed;
  @ApiProperty() openReports: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { adOrPornographic: 2, other: 1 },
    description: 'Open reports by reportType',
  })
  reportTypes: Record<string, number>;
  @ApiProperty({ type: FeedReportDto, isArray: true, description: 'The five newest open reports' })
  latest: FeedReportDto[];
  @ApiProperty({ format: 'date-time' }) firstReportedAt: string;
}

export class FeedReportPage {
  @ApiProperty({ type: ReportedFeedItemDto, isArray: true }) items: ReportedFeedItemDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next page; null at the end',
  })
  nextCursor: string | null;
}

export class FeedReportCounts {
  @ApiProperty({ description: 'Feeds waiting for a decision' }) feeds: number;
  @ApiProperty({ description: 'Open reports on them' }) reports: number;
}

export class FeedDecisionResult {
  @ApiProperty() feedId: string;
  @ApiProperty() hidden: boolean;
  @ApiProperty({ description: 'Open reports this decision closed' }) reportsClosed: number;
}
