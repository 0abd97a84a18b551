/** `id_card`: nggirl's profile, an ID card number and/or the photos of both sides. */
export type ReviewKind = 'real_name' | 'qualification' | 'id_card';
export type ReviewStatus = 'review' | 'verified' | 'rejected';

/** A claim in the operators' queue, with the account it is about and the operator who decided it. */
export interface Review {
  id: string;
  kind: ReviewKind;
  status: ReviewStatus;
  /** A newer claim of the same kind by the same user exists: deciding this one no longer changes their state. */
  superseded: boolean;
  user: { id: string; phone: string | null; email: string | null; nickname: string; status: string };
  /** Real-name claims: the name as claimed, and the number masked (the full number is never stored). */
  realName: string | null;
  idNumberMasked: string | null;
  /** Qualification claims: the address the user submitted, and the key of the image once it left public storage. */
  pictureUrl: string | null;
  pictureKey: string | null;
  /** ID card claims: the back side's photo (the front is `pictureKey`). */
  pictureBackKey: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: { id: string; email: string | null } | null;
  note: string | null;
}
