import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { AdminController } from '#src/admin/admin-session.guard.js';
import {
  FeedDecisionDto,
  FeedDecisionResult,
  FeedIdParam,
  FeedReportCounts,
  FeedReportPage,
  FeedReportQueueQuery,
} from '#src/admin/dto/admin-feed-reports.dto.js';
import { PlainError } from '#src/admin/dto/admin.dto.js';
import { FeedReportQueueService } from '#src/admin/feed-report-queue.service.js';
import type { Principal } from '#src/auth/principal.js';
import { Client, type ClientInfo } from '#src/common/http/params.decorator.js';
import { CurrentSession } from '#src/auth/principal.js';

@AdminController('admin')
export class AdminFeedReportsController {
  constructor(private readonly reports: FeedReportQueueService) {}

  @Get('feed-reports')
  @ApiOperation({
    summary: 'Reported feeds (nuzzle /feed/report)',
    description: 'One item per feed with open reports, the one reported first on top.',
  })
  @ApiOkResponse({ type: FeedReportPage })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS' })
  list(@Query() query: FeedReportQueueQuery): Promise<FeedReportPage> {
    return this.reports.list({ limit: query.limit ?? 20, cursor: query.cursor });
  }

  @Get('feed-reports/pending-count')
  @ApiOperation({ summary: 'How many reported feeds wait' })
  @ApiOkResponse({ type: FeedReportCounts })
  pending(): Promise<FeedReportCounts> {
    return this.reports.pendingCount();
  }

  @Post('feeds/:id/hide')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Hide a feed',
    description: 'Gone from every list, detail and share page at once; its open reports are upheld. Audited.',
  })
  @ApiOkResponse({ type: FeedDecisionResult })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS' })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND' })
  @ApiConflictResponse({ type: PlainError, description: 'CONFLICT: already hidden or deleted' })
  hide(
    @Param() { id }: FeedIdParam,
    @Body() body: FeedDecisionDto,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<FeedDecisionResult> {
    return this.reports.decide(id, 'hide', { admin, ip: client.ip, note: body.note?.trim() || undefined });
  }

  @Post('feeds/:id/dismiss-reports')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss the open reports on a feed', description: 'The feed stays. Audited.' })
  @ApiOkResponse({ type: FeedDecisionResult })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS' })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND' })
  @ApiConflictResponse({ type: PlainError, description: 'CONFLICT: no open report' })
  dismiss(
    @Param() { id }: FeedIdParam,
    @Body() body: FeedDecisionDto,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<FeedDecisionResult> {
    return this.reports.decide(id, 'dismiss', { admin, ip: client.ip, note: body.note?.trim() || undefined });
  }
}
