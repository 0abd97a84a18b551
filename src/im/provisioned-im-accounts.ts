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
 * first sign-ins agree on one name and password), the provider is called outside any transaction, and the row is
 * marked provisioned once the provider confirmed; an unconfirmed row is retried at the next sign-in.
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
    const credentials = {
      account: row.account,
      password: this.cipher.decrypt(row.passwordCiphertext, context(row)),
    };
    if (!row.provisionedAt) {
      try {
        await this.provider.createUser(credentials.account, credentials.password);
      } catch (error) {
        throw new DomainError('UPSTREAM_FAILED', 'the IM provider did not create the account', {
          provider: this.provider.name,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
      await this.accounts.markProvisioned(userId, this.clock.now());
    }
    return credentials;
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
