import type { AuditEntryDto, AuditPage, ReviewItemDto, ReviewPage } from '#src/admin/dto/admin.dto.js';
import type { AuditEntry } from '#src/admin/audit-entry.js';
import type { Review } from '#src/admin/review.js';

/** Where operators read a claim's certificate image: `GET /admin/reviews/<id>/picture`, with their token. */
export function reviewPicturePath(reviewId: string, side: 'front' | 'back' = 'front'): string {
  return `/admin/reviews/${reviewId}/picture${side === 'back' ? '?side=back' : ''}`;
}

export function toReviewItem(review: Review): ReviewItemDto {
  return {
    id: review.id,
    kind: review.kind,
    status: review.status,
    superseded: review.superseded,
    user: { ...review.user },
    realName: review.realName,
    idNumber: review.idNumberMasked,
    // Certificates are private: read through the admin API. (An address from before they were is shown as it was.)
    picture: review.pictureKey ? reviewPicturePath(review.id) : review.pictureUrl,
    pictureBack: review.pictureBackKey ? reviewPicturePath(review.id, 'back') : null,
    createdAt: review.createdAt.toISOString(),
    decidedAt: review.decidedAt?.toISOString() ?? null,
    decidedBy: review.decidedBy ? { ...review.decidedBy } : null,
    note: review.note,
  };
}

export function toReviewPage(page: { items: Review[]; nextCursor: string | null }): ReviewPage {
  return { items: page.items.map(toReviewItem), nextCursor: page.nextCursor };
}

export function toAuditEntry(entry: AuditEntry): AuditEntryDto {
  return { ...entry, at: entry.at.toISOString() };
}

export function toAuditPage(page: { items: AuditEntry[]; nextBefore: string | null }): AuditPage {
  return { items: page.items.map(toAuditEntry), nextBefore: page.nextBefore };
}
