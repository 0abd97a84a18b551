export type IdentityCheckKind = 'real_name' | 'qualification';
export type IdentityCheckStatus = 'verified' | 'rejected' | 'review';

/** A real-name claim as kept: the name as claimed, the number only masked (and as an HMAC, never read back). */
export interface RealNameClaim {
  status: IdentityCheckStatus;
  realName: string;
  idNumberMasked: string;
}
