/**
 * The IM service itself (Easemob, RongCloud…): the only part that differs between providers. A real adapter is one
 * file implementing this class plus a line in ImModule's factory; docs/im.md says what it needs.
 */
export abstract class ImProvider {
  /** Stored with each account, so accounts of one provider are never handed out after switching to another. */
  abstract readonly name: string;

  /**
   * Creates the identity at the provider. Must be idempotent: an identity that already exists under this name (a
   * retry after a lost answer, two sign-ins of a new user at once) counts as created. Throws on any other failure.
   */
  abstract createUser(account: string, password: string): Promise<void>;
}

/** No IM service: identities exist only in Concord's database. The default, and what tests use. */
export class LocalImProvider extends ImProvider {
  readonly name = 'local';

  createUser(): Promise<void> {
    return Promise.resolve();
  }
}
