import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import { ImAccounts, type ImCredentials } from '#src/im/im-accounts.js';
import { ImAccountsRepository, type ImAccountRow } from '#src/im/im-accounts.repository.js';
import { ImPasswordCipher } from '#src/im/im-password-cipher.js';
import { ImProvider } from '#src/im/im-provider.js';

/** Names are lowercase letters, digits and `_`: what Easemob and RongCloud both accept. */
const ACCOUNT_PREFIX = 'concord_';

/**
 * Identities kept in `im_accounts`, created at the provider on first need. The row is reserved first (so concurrent
 * first sign-ins agree on one name and proposed password), the provider is called outside any transaction, and the
 * row is marked provisioned, with the secret the provider answered, once it confirmed; an unconfirmed row is tried
 * again at the next sign-in.
 */
@Injectable()
export class ProvisionedImAccounts extends ImAccounts {
  constructor(
    private readonly accounts: ImAccountsRepository,
    private readonly provider: ImProvider,
    private readonly cipher: ImPasswordCipher,
    private readonly clock: Clock,
  ) {
    super();
  }

  async credentialsFor(userId: string): Promise<ImCredentials> {
    const row = (await this.accounts.findByUser(userId)) ?? (await this.reserve(userId));
    if (row.provider !== this.provider.name) {
      // Switching providers means migrating identities, which no sign-in should do behind an operator's back.
      throw new Error(`user ${userId} has an IM account at ${row.provider}, not at ${this.provider.name}`);
    }
    const stored = {
      account: row.account,
      password: this.cipher.decrypt(row.passwordCiphertext, context(row)),
    };
    if (row.provisionedAt) return stored;
    let password: string;
    try {
      password = await this.provider.provision(stored.account, stored.password);
    } catch (error) {
      throw new DomainError('UPSTREAM_FAILED', 'the IM provider did not create the account', {
        provider: this.provider.name,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    // A provider that issues its own secret (a RongCloud token) replaces the proposed password. Two first sign-ins
    // at once each get a secret the provider accepts; the row keeps one of them.
    await this.accounts.markProvisioned(
      userId,
      this.cipher.encrypt(password, context(row)),
      this.clock.now(),
    );
    return { account: stored.account, password };
  }

  private async reserve(userId: string): Promise<ImAccountRow> {
    const account = ACCOUNT_PREFIX + randomBytes(8).toString('hex');
    const password = randomBytes(18).toString('base64url');
    const identity = { userId, provider: this.provider.name, account };
    return this.accounts.reserve(
      { ...identity, passwordCiphertext: this.cipher.encrypt(password, context(identity)) },
      this.clock.now(),
    );
  }
}

/** What the ciphertext is bound to: the same password on another row does not decrypt. */
function context(row: { userId: string; provider: string; account: string }): string {
  return `im-password:${row.provider}:${row.account}:${row.userId}`;
}
