/** One operator's action as the append-only audit log keeps it. */
export interface AuditEntry {
  id: string;
  at: Date;
  actorId: string | null;
  actor: string;
  action: string;
  subjectUserId: string | null;
  reviewId: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
}
