import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminOnly } from '#src/admin/admin-session.guard.js';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import {
  ApproveReviewDto,
  AuditLogQuery,
  AuditPage,
  PendingCounts,
  PlainError,
  RejectReviewDto,
  ReviewIdParam,
  ReviewItemDto,
  ReviewListQuery,
  ReviewPage,
} from '#src/admin/dto/admin.dto.js';
import { ReviewQueueService } from '#src/admin/review-queue.service.js';
import type { Principal } from '#src/common/http/concord-request.js';
import { Client, CurrentSession, type ClientInfo } from '#src/common/http/params.decorator.js';

@ApiTags('admin')
@AdminOnly()
@ApiUnauthorizedResponse({
  type: PlainError,
  description: 'UNAUTHENTICATED: no, expired or revoked admin token',
})
@ApiForbiddenResponse({
  type: PlainError,
  description: 'FORBIDDEN: the account is not (or no longer) an admin',
})
@Controller('admin')
export class AdminReviewsController {
  constructor(
    private readonly reviews: ReviewQueueService,
    private readonly audit: AuditLogService,
  ) {}

  @Get('reviews')
  @ApiOperation({
    summary: 'Review queue',
    description:
      'Qualification certificates, and real-name claims the verifier flagged for a person. `status=review` is the queue, oldest first.',
  })
  @ApiOkResponse({ type: ReviewPage })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS' })
  list(@Query() query: ReviewListQuery): Promise<ReviewPage> {
    return this.reviews.list({ ...query, limit: query.limit ?? 50 });
  }

  @Get('reviews/pending-count')
  @ApiOperation({ summary: 'How many claims wait, by kind' })
  @ApiOkResponse({ type: PendingCounts })
  pending(): Promise<PendingCounts> {
    return this.reviews.pendingCounts();
  }

  @Get('reviews/:id')
  @ApiOperation({ summary: 'One claim' })
  @ApiOkResponse({ type: ReviewItemDto })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND' })
  get(@Param() { id }: ReviewIdParam): Promise<ReviewItemDto> {
    return this.reviews.get(id);
  }

  @Post('reviews/:id/approve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve a pending claim',
    description:
      'The user becomes verified: xiaoma `get_user_details.status` and login `authenticationState` follow at once. Audited.',
  })
  @ApiOkResponse({ type: ReviewItemDto })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS' })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND' })
  @ApiConflictResponse({ type: PlainError, description: 'CONFLICT: already decided' })
  approve(
    @Param() { id }: ReviewIdParam,
    @Body() body: ApproveReviewDto,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<ReviewItemDto> {
    return this.reviews.decide(id, 'verified', {
      admin,
      ip: client.ip,
      note: body.note?.trim() || undefined,
    });
  }

  @Post('reviews/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a pending claim, with a reason', description: 'Audited.' })
  @ApiOkResponse({ type: ReviewItemDto })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS: the reason is required' })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND' })
  @ApiConflictResponse({ type: PlainError, description: 'CONFLICT: already decided' })
  reject(
    @Param() { id }: ReviewIdParam,
    @Body() body: RejectReviewDto,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<ReviewItemDto> {
    return this.reviews.decide(id, 'rejected', { admin, ip: client.ip, note: body.note.trim() });
  }

  @Get('audit-log')
  @ApiOperation({ summary: "Operators' actions, newest first (append-only)" })
  @ApiOkResponse({ type: AuditPage })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS' })
  auditLog(@Query() query: AuditLogQuery): Promise<AuditPage> {
    return this.audit.list({ ...query, limit: query.limit ?? 50 });
  }
}
