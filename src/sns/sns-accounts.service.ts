import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { browserSessionKey } from '#src/sns/browser-session-key.js';
import type { SnsIdentityEntity } from '#src/sns/sns-identity.entity.js';
import { SnsIdentitiesRepository } from '#src/sns/sns-identities.repository.js';
import type { SnsIdentity, SnsProviderName } from '#src/sns/sns-provider.js';
import { validNickname } from '#src/users/nickname.js';
import type { UserEntity } from '#src/users/user.entity.js';

/** A person waiting on the fill-userinfo page. */
export interface PendingSignup {
  provider: SnsProviderName;
  /** moretv's `openid` parameter before URL-encoding: base64 of the subject. */
  fillOpenid: string;
  /** `/sns/login/fill?openid=<urlencode(base64(subject))>`, as documented (without any dialect prefix). */
  fillPath: string;
  /** The provider's hints, to prefill the form. */
  nickname: string;
  avatarUrl: string;
  expiresAt: Date;
}

export interface CompleteSignupInput {
  nickname: string;
  /** With `passwordDigest`, the account can also sign in by password. */
  email?: string;
  /** md5 hex of the password (the credential every dialect shares). */
  passwordDigest?: string;
}

/** What the account page shows for each bound provider. */
export interface SnsBinding {
  provider: SnsIdentityEntity['provider'];
  nickname: string;
  avatarUrl: string;
  boundAt: Date;
}

/** base64 of the subject, as moretv's fill page takes it (the caller URL-encodes it into the link). */
export function encodeFillOpenid(subject: string): string {
  return Buffer.from(subject, 'utf8').toString('base64');
}

/**
 * The subject in a fill link's `openid`, whether the caller hands it still URL-encoded or already decoded, with the
 * `+` of base64 read back from a space (query parsers decode a raw `+` to a space). undefined if it is not base64
 * of UTF-8 text.
 */
export function decodeFillOpenid(param: unknown): string | undefined {
  if (typeof param !== 'string' || param.length === 0 || param.length > 1024) return undefined;
  let text = param;
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return undefined;
    }
  }
  text = text.replace(/ /g, '+');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  const subject = bytes.toString('utf8');
  // A round trip proves it was canonical base64 of valid UTF-8 (no stray bits, no replacement characters).
  if (
    !subject ||
    Buffer.from(subject, 'utf8').toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')
  ) {
    return undefined;
  }
  return subject;
}

function normalizedEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new DomainError('INVALID_PARAMS', 'malformed email', { fields: ['email'] });
  }
  return email;
}

/**
 * Accounts and the external identities bound to them: who a provider's identity signs in as, sign-up of a new
 * person through the fill-userinfo page, bind and unbind. Knows nothing of HTTP or cookies: the browser session is
 * an opaque id the caller's cookie layer provides.
 */
@Injectable()
export class SnsAccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly identities: SnsIdentitiesRepository,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The open account this identity signs in as, or null for a new person. A binding found by a former subject
   * (WeChat openid, before unionid) is moved to the current one. Does not check the account's status: the caller
   * refuses a banned one (see SnsLoginService).
   */
  async findBoundAccount(identity: SnsIdentity): Promise<UserEntity | null> {
    const found = await this.identities.findAccount(identity.provider, [
      identity.subject,
      ...identity.formerSubjects,
    ]);
    if (!found) return null;
    if (found.subject !== identity.subject)
      await this.identities.moveSubject(found.identityId, identity.subject);
    return found.user;
  }

  /** Records a new person for the fill-userinfo page, bound to this browser session for SNS_SIGNUP_TTL. */
  async startSignup(browserSessionId: string, identity: SnsIdentity): Promise<PendingSignup> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.sns.signupTtlMs);
    await this.identities.createPendingSignup({
      browserSession: browserSessionKey(browserSessionId),
      identity,
      now,
      expiresAt,
    });
    const fillOpenid = encodeFillOpenid(identity.subject);
    return {
      provider: identity.provider,
      fillOpenid,
      fillPath: `/sns/login/fill?openid=${encodeURIComponent(fillOpenid)}`,
      nickname: identity.nickname,
      avatarUrl: identity.avatarUrl,
      expiresAt,
    };
  }

  /**
   * The pending sign-up a fill link names, for rendering its form. NOT_FOUND when the link is malformed, unknown,
   * expired, already used or opened in another browser session.
   */
  async findPendingSignup(browserSessionId: string, openidParam: unknown): Promise<PendingSignup> {
    const pending = await this.pendingOrThrow(browserSessionId, openidParam);
    const fillOpenid = encodeFillOpenid(pending.subject);
    return {
      provider: pending.provider,
      fillOpenid,
      fillPath: `/sns/login/fill?openid=${encodeURIComponent(fillOpenid)}`,
      nickname: pending.nickname,
      avatarUrl: pending.avatarUrl,
      expiresAt: pending.expiresAt,
    };
  }

  /**
   * Creates the account of a pending sign-up and binds the identity to it; the caller then opens a session.
   * Throws NOT_FOUND (as findPendingSignup, or used meanwhile), NICKNAME_INVALID, INVALID_PARAMS (malformed email,
   * or a password without an email to sign in with), ACCOUNT_EXISTS (the email is taken: an existing account is
   * never joined to an identity by its email; its owner signs in and binds instead; or the identity got bound to
   * another account meanwhile).
   */
  async completeSignup(
    browserSessionId: string,
    openidParam: unknown,
    input: CompleteSignupInput,
  ): Promise<UserEntity> {
    const pending = await this.pendingOrThrow(browserSessionId, openidParam);
    const nickname = validNickname(input.nickname);
    const email = input.email ? normalizedEmail(input.email) : null;
    if (input.passwordDigest && !email) {
      throw new DomainError('INVALID_PARAMS', 'a password needs an email to sign in with', {
        fields: ['email'],
      });
    }
    // Hashing happens before the transaction: no slow work while rows are locked.
    const passwordHash = input.passwordDigest ? await this.hasher.hash(input.passwordDigest) : null;
    const identity: SnsIdentity = {
      provider: pending.provider,
      subject: pending.subject,
      formerSubjects: [],
      nickname: pending.nickname,
      avatarUrl: pending.avatarUrl,
    };
    return this.dataSource.transaction(async (em) => {
      const now = this.clock.now();
      if (!(await this.identities.usePendingSignup(em, pending.id, now))) {
        throw new DomainError('NOT_FOUND', 'no such sign-up');
      }
      const user = await this.identities.createUser(em, { email, nickname, passwordHash, now });
      await this.identities.insert(em, user.id, identity, now);
      return user;
    });
  }

  /**
   * Binds an identity to a signed-in account. ACCOUNT_EXISTS when the identity belongs to another account;
   * CONFLICT (detail `reason: 'provider-already-bound'`) when the account has another identity of this provider
   * (unbind it first); USER_NOT_FOUND when the account is closed. Binding the same pair again changes nothing.
   */
  async bind(userId: string, identity: SnsIdentity): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      if (!(await this.identities.lockUser(em, userId))) throw new DomainError('USER_NOT_FOUND');
      await this.identities.insert(em, userId, identity, this.clock.now());
    });
  }

  /**
   * Removes the account's identity of this provider; false when there was none. Refuses with CONFLICT (detail
   * `reason: 'last-sign-in-method'`) to remove the last way to sign in: no password with an email or phone, no
   * Facebook login and no other bound identity. Concurrent unbinds of one account run one after the other, so two
   * cannot each leave the other as the "remaining" method.
   */
  async unbind(userId: string, provider: SnsIdentityEntity['provider']): Promise<boolean> {
    return this.dataSource.transaction(async (em) => {
      if (!(await this.identities.lockUser(em, userId))) throw new DomainError('USER_NOT_FOUND');
      const methods = await this.identities.signInMethods(em, userId);
      if (!methods.providers.includes(provider)) return false;
      const others = methods.providers.filter((p) => p !== provider);
      if (!methods.password && !methods.facebook && others.length === 0) {
        throw new DomainError('CONFLICT', 'the last way to sign in cannot be removed', {
          reason: 'last-sign-in-method',
        });
      }
      return this.identities.deleteForUser(em, userId, provider);
    });
  }

  async listBindings(userId: string): Promise<SnsBinding[]> {
    const rows = await this.identities.listForUser(userId);
    return rows.map((row) => ({
      provider: row.provider,
      nickname: row.nickname,
      avatarUrl: row.avatarUrl,
      boundAt: row.createdAt,
    }));
  }

  private async pendingOrThrow(browserSessionId: string, openidParam: unknown) {
    const session = browserSessionKey(browserSessionId);
    const subject = decodeFillOpenid(openidParam);
    const pending = subject
      ? await this.identities.findPendingSignup(session, subject, this.clock.now())
      : null;
    if (!pending) throw new DomainError('NOT_FOUND', 'no such sign-up');
    return pending;
  }
}
