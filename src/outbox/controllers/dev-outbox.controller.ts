import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { toDevOutboxEntry } from '#src/outbox/controllers/dev-outbox.mapper.js';
import { OutboxService } from '#src/outbox/outbox.service.js';
import { PageLimitQuery } from '#src/common/http/page-query.js';
import { Public } from '#src/common/dialect/public.decorator.js';

export class DevOutboxQuery extends PageLimitQuery {
  @ApiPropertyOptional({ enum: ['mail', 'sms'] })
  @IsOptional()
  @IsIn(['mail', 'sms'])
  channel?: 'mail' | 'sms';

  @ApiPropertyOptional({ description: 'Only messages to this recipient (email or E.164 phone)' })
  @IsOptional()
  @IsString()
  to?: string;
}

export class DevOutboxEntry {
  @ApiProperty({ enum: ['mail', 'sms'] }) channel: string;
  @ApiProperty() to: string;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/**
 * Development only (never registered in production, nor when real providers deliver everything): the latest
 * mails and SMS, so a front-end developer can finish every flow offline.
 */
@ApiTags('development')
@Public()
@Controller('dev')
export class DevOutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get('outbox')
  @ApiOperation({ summary: 'Latest mails and SMS held by the local adapters (newest first)' })
  @ApiOkResponse({ type: DevOutboxEntry, isArray: true })
  async list(@Query() query: DevOutboxQuery): Promise<DevOutboxEntry[]> {
    const messages = await this.outbox.latest(query.limit ?? 50, query.channel, query.to);
    return messages.map(toDevOutboxEntry);
  }
}
