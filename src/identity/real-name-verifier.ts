export interface RealNameClaim {
  name: string;
  /** A resident identity number that already passed parseResidentId. */
  idNumber: string;
}

/** `verified` and `rejected` are final; `review` sends the claim to a person (admin review). */
export type RealNameVerdict = 'verified' | 'rejected' | 'review';

/**
 * Checks that a name and identity number belong together (a government or commercial identity service). The
 * adapter is chosen from config; the local one needs no network.
 */
export abstract class RealNameVerifier {
  abstract verify(claim: RealNameClaim): Promise<RealNameVerdict>;
}

/**
 * Development and tests: no network. Accepts a plausible Chinese name (2–20 Han characters, optionally with a
 * middle dot), and sends any name containing "审核" to manual review, so every outcome can be reached offline.
 */
export class LocalRealNameVerifier extends RealNameVerifier {
  verify(claim: RealNameClaim): Promise<RealNameVerdict> {
    const name = claim.name.trim();
    if (name.includes('审核')) return Promise.resolve('review');
    return Promise.resolve(/^[\p{Script=Han}·]{2,20}$/u.test(name) ? 'verified' : 'rejected');
  }
}
