/**
 * The IM service itself (Easemob, RongCloud…): the only part that differs between providers. A real adapter is one
 * file implementing this class plus a line in ImModule's factory; docs/im.md says what it needs.
 */
export abstract class ImProvider {
  /** Stored with each account, so accounts of one provider are never handed out after switching to another. */
  abstract readonly name: string;

  /**
   * Creates the identity at the provider and answers the secret its client signs in with: `proposedPassword` where
   * the provider takes a password of ours (Easemob), or what the provider issues (a RongCloud token). Must be
   * idempotent: an identity that already exists under this name (a retry after a lost answer, two first sign-ins
   * of one user at once) counts as created. Throws on any other failure.
   */
  abstract provision(account: string, proposedPassword: string): Promise<string>;
}

/** No IM service: identities exist only in Concord's database. The default, and what tests use. */
export class LocalImProvider extends ImProvider {
  readonly name = 'local';

  provision(_account: string, proposedPassword: string): Promise<string> {
    return Promise.resolve(proposedPassword);
  }
}
