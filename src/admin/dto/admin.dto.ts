import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageLimitQuery } from '#src/common/http/page-query.js';

const BIGINT_ID = /^[1-9]\d{0,18}$/;

export class AdminSignInDto {
  @ApiProperty({ example: 'ops@example.com' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ description: 'The plain password (the server hashes it); send it over HTTPS only.' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;
}

export class AdminProfile {
  @ApiProperty({ example: '1' }) id: string;
  @ApiProperty({ example: 'ops@example.com', nullable: true, type: String }) email: string | null;
  @ApiProperty() nickname: string;
}

export class AdminSignedIn {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <token>` on every /admin route.' })
  token: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({
    format: 'date-time',
    description: 'Idle expiry; each use slides it (ADMIN_SESSION_TTL), never past ADMIN_SESSION_MAX_AGE.',
  })
  expiresAt: string;
  @ApiProperty({ type: AdminProfile }) admin: AdminProfile;
}

export class ReviewListQuery extends PageLimitQuery {
  @ApiPropertyOptional({
    enum: ['review', 'verified', 'rejected'],
    description: 'Omitted: every status. `review` lists oldest first (a queue); the others newest first.',
  })
  @IsOptional()
  @IsIn(['review', 'verified', 'rejected'])
  status?: 'review' | 'verified' | 'rejected';

  @ApiPropertyOptional({ enum: ['real_name', 'qualification', 'id_card'] })
  @IsOptional()
  @IsIn(['real_name', 'qualification', 'id_card'])
  kind?: 'real_name' | 'qualification' | 'id_card';

  @ApiPropertyOptional({ description: "Only this user's claims" })
  @IsOptional()
  @Matches(BIGINT_ID)
  userId?: string;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page' })
  @IsOptional()
  @Matches(BIGINT_ID)
  cursor?: string;
}

export class ReviewIdParam {
  @ApiProperty({ example: '17' })
  @Matches(BIGINT_ID)
  id: string;
}

export class ApproveReviewDto {
  @ApiPropertyOptional({ description: 'Why, for the audit log', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class RejectReviewDto {
  @ApiProperty({ description: 'Why; kept in the audit log', minLength: 1, maxLength: 500 })
  @IsString()
  @Matches(/\S/, { message: 'a reason is required' })
  @MaxLength(500)
  note: string;
}

class ReviewUser {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String, example: '+8615800000000' }) phone: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty() nickname: string;
  @ApiProperty({ enum: ['active', 'banned', 'closed'] }) status: string;
}

class ReviewDecider {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
}

export class ReviewItemDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['real_name', 'qualification', 'id_card'] }) kind: string;
  @ApiProperty({ enum: ['review', 'verified', 'rejected'] }) status: string;
  @ApiProperty({
    description:
      'A newer claim of the same kind by the same user exists: deciding this one changes nothing they see',
  })
  superseded: boolean;
  @ApiProperty({ type: ReviewUser }) user: ReviewUser;
  @ApiProperty({ nullable: true, type: String, description: 'Real-name claims: the name as claimed' })
  realName: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '110105********002X',
    description: 'Masked: the full number is never stored',
  })
  idNumber: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '/admin/reviews/17/picture',
    description:
      'Qualification claims: the certificate image; ID card claims: the front. Read with the admin Bearer token (not public)',
  })
  picture: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '/admin/reviews/18/picture?side=back',
    description: 'ID card claims: the photo of the back, read like `picture`',
  })
  pictureBack: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ type: ReviewDecider, nullable: true }) decidedBy: ReviewDecider | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
}

export class ReviewPage {
  @ApiProperty({ type: ReviewItemDto, isArray: true }) items: ReviewItemDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next page; null at the end',
  })
  nextCursor: string | null;
}

export class PendingCounts {
  @ApiProperty() real_name: number;
  @ApiProperty() qualification: number;
  @ApiProperty() id_card: number;
}

export class ReviewPictureQuery {
  @ApiPropertyOptional({
    enum: ['front', 'back'],
    description: 'ID card claims: which side (front by default)',
  })
  @IsOptional()
  @IsIn(['front', 'back'])
  side?: 'front' | 'back';
}

export class AuditLogQuery extends PageLimitQuery {
  @ApiPropertyOptional({ description: '`nextBefore` of the previous page' })
  @IsOptional()
  @Matches(BIGINT_ID)
  before?: string;

  @ApiPropertyOptional({ description: 'Only entries about this user' })
  @IsOptional()
  @Matches(BIGINT_ID)
  userId?: string;

  @ApiPropertyOptional({
    enum: [
      'admin.created',
      'admin.granted',
      'admin.revoked',
      'admin.signed_in',
      'review.approved',
      'review.rejected',
      'user.starred',
      'user.unstarred',
      'feed.hidden',
      'feed.reports_dismissed',
    ],
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;
}

export class AuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ nullable: true, type: String, description: 'null when the CLI acted' }) actorId:
    string | null;
  @ApiProperty({ example: 'ops@example.com', description: "The operator's email, or cli:<os user>" })
  actor: string;
  @ApiProperty({ example: 'review.approved' }) action: string;
  @ApiProperty({ nullable: true, type: String }) subjectUserId: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
}

export class AuditPage {
  @ApiProperty({ type: AuditEntryDto, isArray: true }) items: AuditEntryDto[];
  @ApiProperty({ nullable: true, type: String }) nextBefore: string | null;
}

export class PlainError {
  @ApiProperty({
    type: 'object',
    properties: { code: { type: 'string', example: 'INVALID_PARAMS' }, message: { type: 'string' } },
  })
  error: { code: string; message: string };
  @ApiProperty() requestId: string;
}
