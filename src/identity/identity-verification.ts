export type IdentityCheckKind = 'real_name' | 'qualification' | 'id_card';
export type IdentityCheckStatus = 'verified' | 'rejected' | 'review';

/** A real-name claim as kept: the name as claimed, the number only masked (and as an HMAC, never read back). */
export interface RealNameClaim {
  status: IdentityCheckStatus;
  realName: string;
  idNumberMasked: string;
}

/** An ID card claim as kept (nggirl's profile): the number only as an HMAC here, the photos by address and key. */
export interface IdCardClaim {
  status: IdentityCheckStatus;
  realName: string;
  idNumberHmac: Buffer | null;
  frontUrl: string | null;
  frontKey: string | null;
  backUrl: string | null;
  backKey: string | null;
}
