import { Body, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminController } from '#src/admin/admin-session.guard.js';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import { toAuditPage, toReviewItem, toReviewPage } from '#src/admin/controllers/admin-review.mapper.js';
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
  ReviewPictureQuery,
} from '#src/admin/dto/admin.dto.js';
import { ReviewQueueService } from '#src/admin/review-queue.service.js';
import type { Principal } from '#src/auth/principal.js';
import { Client, type ClientInfo } from '#src/common/http/params.decorator.js';
import { CurrentSession } from '#src/auth/principal.js';

@AdminController('admin')
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
  async list(@Query() query: ReviewListQuery): Promise<ReviewPage> {
    return toReviewPage(await this.reviews.list({ ...query, limit: query.limit ?? 50 }));
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
  async get(@Param() { id }: ReviewIdParam): Promise<ReviewItemDto> {
    return toReviewItem(await this.reviews.get(id));
  }

  @Get('reviews/:id/picture')
  @ApiOperation({
    summary: "A qualification claim's certificate image, or a side of an ID card claim (`?side=back`)",
    description:
      'Certificates leave public storage when submitted; operators read them here, with the Bearer token (a browser fetches it and shows a blob URL). Never cached.',
  })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp', 'image/gif')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND: no such claim, or it has no image' })
  async picture(
    @Param() { id }: ReviewIdParam,
    @Query() query: ReviewPictureQuery,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.reviews.picture(id, query.side);
    res
      .status(200)
      .set({
        'Content-Type': file.contentType,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
      })
      .send(file.bytes);
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
  async approve(
    @Param() { id }: ReviewIdParam,
    @Body() body: ApproveReviewDto,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<ReviewItemDto> {
    const review = await this.reviews.decide(id, 'verified', {
      admin,
      ip: client.ip,
      note: body.note?.trim() || undefined,
    });
    return toReviewItem(review);
  }

  @Post('reviews/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a pending claim, with a reason', description: 'Audited.' })
  @ApiOkResponse({ type: ReviewItemDto })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS: the reason is required' })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND' })
  @ApiConflictResponse({ type: PlainError, description: 'CONFLICT: already decided' })
  async reject(
    @Param() { id }: ReviewIdParam,
    @Body() body: RejectReviewDto,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<ReviewItemDto> {
    const review = await this.reviews.decide(id, 'rejected', {
      admin,
      ip: client.ip,
      note: body.note.trim(),
    });
    return toReviewItem(review);
  }

  @Get('audit-log')
  @ApiOperation({ summary: "Operators' actions, newest first (append-only)" })
  @ApiOkResponse({ type: AuditPage })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS' })
  async auditLog(@Query() query: AuditLogQuery): Promise<AuditPage> {
    return toAuditPage(await this.audit.list({ ...query, limit: query.limit ?? 50 }));
  }
}
