import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { md5Hex } from '#src/auth/password-digest.js';
import { PasswordResetService } from '#src/auth/password-reset.service.js';
import type { Principal } from '#src/auth/principal.js';
import { RegistrationService } from '#src/auth/registration.service.js';
import { SessionService } from '#src/auth/session.service.js';
import { SignInService, type SignedIn, type SignInContext } from '#src/auth/sign-in.service.js';
import { CaptchaService } from '#src/captcha/captcha.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { MediaService } from '#src/media/media.service.js';
import { assertAllowedDomain, normalizedEmail } from '#src/moretv/email-address.js';
import { MoretvAccountsRepository, type ProfileChanges } from '#src/moretv/moretv-accounts.repository.js';
import { OutboxService } from '#src/outbox/outbox.service.js';
import { SnsAccountsService } from '#src/sns/sns-accounts.service.js';
import { MAX_SIGNATURE_LENGTH } from '#src/users/users.service.js';
import { isReservedNickname, validNickname } from '#src/users/nickname.js';
import type { UserEntity } from '#src/users/user.entity.js';
import { type SentCode, VerificationCodesService } from '#src/verification/verification-codes.service.js';

/** Who is calling, as the transport tells. */
export interface MoretvClient {
  ip: string;
  userAgent?: string;
}

export interface RegisterInput {
  email?: string;
  nickname?: string;
  password?: string;
  captcha?: string;
}

export interface PasswordChangeInput {
  oldpwd?: string;
  newpwd?: string;
  confirmpwd?: string;
}

export interface ProfileInput {
  nickname?: string;
  gender?: string;
  signature?: string;
  birthday?: string;
}

/** `unchanged`: the document's `0`, "没有做任何修改". */
export type ChangeOutcome = 'changed' | 'unchanged';

const MIN_PASSWORD = 6;
const MAX_PASSWORD = 64;

/** A new password as typed (moretv's clients send it plain): 6–64 characters. */
function newPassword(raw: string | undefined, field: string): string {
  const length = raw === undefined ? 0 : [...raw].length;
  if (length < MIN_PASSWORD || length > MAX_PASSWORD) {
    throw new DomainError('INVALID_PARAMS', 'password length', { fields: [field] });
  }
  return raw!;
}

/** An account's first email is bound, a later one changed: each has its own code purpose. */
function emailPurpose(user: UserEntity): 'bind' | 'change' {
  return user.email ? 'change' : 'bind';
}

const BIRTHDAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * moretv's account operations, HTTP-free: what its JSON endpoints and its pages do with the shared accounts.
 * Passwords arrive plain and are md5-ed here into the credential every dialect shares, so an account registered
 * through nuzzle signs in here with the same password. Throws DomainErrors; the routes choose the codes.
 */
@Injectable()
export class MoretvAccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly signIn: SignInService,
    private readonly registration: RegistrationService,
    private readonly passwords: PasswordResetService,
    private readonly sessions: SessionService,
    private readonly codes: VerificationCodesService,
    private readonly captcha: CaptchaService,
    private readonly media: MediaService,
    private readonly outbox: OutboxService,
    private readonly accounts: MoretvAccountsRepository,
    private readonly sns: SnsAccountsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The document's email check: INVALID_PARAMS for a malformed address, FORBIDDEN for a domain moretv refuses,
   * ACCOUNT_EXISTS when an open account has it.
   */
  async checkEmail(raw: string): Promise<void> {
    await this.usableEmail(raw);
  }

  /** INVALID_PARAMS when either is empty; then what SignInService.loginWithEmail throws. */
  login(input: { email?: string; password?: string }, client: MoretvClient): Promise<SignedIn> {
    if (!input.email) throw new DomainError('INVALID_PARAMS', 'email is empty', { fields: ['email'] });
    if (!input.password)
      throw new DomainError('INVALID_PARAMS', 'password is empty', { fields: ['password'] });
    return this.signIn.loginWithEmail(
      { email: input.email, passwordDigest: md5Hex(input.password) },
      signInContext(client),
    );
  }

  /**
   * Registration from the page: the fields are checked first (INVALID_PARAMS with the field, FORBIDDEN,
   * NICKNAME_INVALID), then the captcha is used up (CODE_INVALID, CODE_ATTEMPTS_EXCEEDED, CODE_EXPIRED), and only
   * then is the email looked up (ACCOUNT_EXISTS): nobody learns who is registered without solving a captcha.
   */
  async register(input: RegisterInput, browserId: string, client: MoretvClient): Promise<SignedIn> {
    const email = normalizedEmail(input.email);
    assertAllowedDomain(email, this.config.moretvWeb.deniedEmailDomains);
    const nickname = this.nickname(input.nickname);
    const password = newPassword(input.password, 'password');
    await this.captcha.consume(browserId, input.captcha);
    return this.registration.registerWithEmail(
      { email, nickname, passwordDigest: md5Hex(password) },
      signInContext(client),
    );
  }

  /**
   * Mails a link to moretv's reset page when the address has an open account; answers the same either way.
   * INVALID_PARAMS for a malformed address only.
   */
  async requestPasswordReset(raw: string | undefined): Promise<void> {
    const email = normalizedEmail(raw);
    const pagePath = `${this.config.dialects.prefixes.moretv}/user/resetPassword` as const;
    await this.passwords.requestPasswordReset(email, { pagePath: pagePath as `/${string}` });
  }

  isResetLinkValid(token: string | undefined): Promise<boolean> {
    if (!token || token.length > 256) return Promise.resolve(false);
    return this.passwords.inspectResetToken(token).then((state) => state === 'valid');
  }

  /**
   * Sets the password from a mailed link; every session of the account ends. INVALID_PARAMS (field) for a
   * password out of bounds or a confirmation that differs, CODE_EXPIRED for a used, expired or unknown link.
   */
  async resetPassword(input: { token?: string; password?: string; confirm?: string }): Promise<void> {
    const password = newPassword(input.password, 'password');
    if (input.confirm !== undefined && input.confirm !== password) {
      throw new DomainError('INVALID_PARAMS', 'the passwords differ', { fields: ['confirm'] });
    }
    if (!input.token) throw new DomainError('CODE_EXPIRED');
    await this.passwords.completePasswordReset(input.token, md5Hex(password));
  }

  /**
   * `unchanged` when the new password is the old one (nothing is looked at or written). INVALID_PARAMS (field)
   * when a password is missing, out of bounds or the two new ones differ; BAD_CREDENTIALS when the old one is
   * wrong. Every other session of the account ends; the caller's stays.
   */
  async changePassword(principal: Principal, input: PasswordChangeInput): Promise<ChangeOutcome> {
    if (!input.oldpwd)
      throw new DomainError('INVALID_PARAMS', 'old password missing', { fields: ['oldpwd'] });
    const password = newPassword(input.newpwd, 'newpwd');
    if (input.confirmpwd !== password) {
      throw new DomainError('INVALID_PARAMS', 'the new passwords differ', { fields: ['confirmpwd'] });
    }
    if (password === input.oldpwd) return 'unchanged';
    await this.passwords.changePassword(principal, md5Hex(input.oldpwd), md5Hex(password));
    return 'changed';
  }

  /**
   * Mails a code to the new address, for `changeEmail`. The code's purpose follows the account — `bind` for its
   * first address, `change` after — whatever `type` the client named, so a code always fits the account's next
   * change. Throws as `checkEmail`, and RATE_LIMITED (cooldown, caps).
   */
  async sendEmailCode(principal: Principal, raw: string, ip: string): Promise<SentCode> {
    const email = await this.usableEmail(raw);
    const purpose = emailPurpose(principal.user);
    await this.codes.throttle({ recipient: email, purpose, ip });
    return this.codes.sendThrottled({
      channel: 'mail',
      recipient: email,
      purpose,
      ip,
      length: 6,
      message: (code, minutes) => ({
        subject: '邮箱验证码 / Email verification code',
        body: [
          `您的验证码是 ${code}，${minutes} 分钟内有效，请勿泄露给他人。`,
          `Your verification code is ${code}. It is valid for ${minutes} minutes; do not share it.`,
          '',
          '如果这不是您本人的操作，请忽略本邮件。 If you did not ask for this, ignore this mail.',
        ].join('\n'),
      }),
    });
  }

  /** Whether the code mailed to this address matches, without using it up: CODE_INVALID, CODE_EXPIRED… */
  async checkEmailCode(
    principal: Principal,
    raw: string,
    code: string | undefined,
    ip: string,
  ): Promise<void> {
    const email = normalizedEmail(raw);
    if (!code) throw new DomainError('CODE_INVALID', 'no code');
    await this.codes.check({ recipient: email, purpose: emailPurpose(principal.user), code, ip });
  }

  /**
   * Moves the account to a new address with the code mailed there. `unchanged` for the account's own address.
   * INVALID_PARAMS, FORBIDDEN, ACCOUNT_EXISTS as `checkEmail`; CODE_INVALID, CODE_EXPIRED,
   * CODE_ATTEMPTS_EXCEEDED for the code. The former address is told.
   */
  async changeEmail(
    principal: Principal,
    input: { email?: string; code?: string },
    ip: string,
  ): Promise<ChangeOutcome> {
    const email = normalizedEmail(input.email);
    if (email === principal.user.email) return 'unchanged';
    await this.usableEmail(email);
    if (!input.code) throw new DomainError('CODE_INVALID', 'no code');
    await this.codes.consume({
      recipient: email,
      purpose: emailPurpose(principal.user),
      code: input.code,
      ip,
    });
    const former = principal.user.email;
    await this.dataSource.transaction(async (em) => {
      await this.accounts.changeEmail(em, principal.userId, email, this.clock.now());
      if (former) {
        await this.outbox.enqueue(em, {
          channel: 'mail',
          to: former,
          subject: '邮箱已更改 / Your email address was changed',
          body: [
            `您的账号邮箱已改为 ${email}。如果这不是您本人的操作，请立即联系我们。`,
            `The email address of your account is now ${email}. If you did not do this, contact us at once.`,
          ].join('\n'),
        });
      }
    });
    if (former) this.outbox.dispatchSoon();
    return 'changed';
  }

  /**
   * Nickname, gender (0 unknown, 1 male, 2 female), signature (at most 100 characters), birthday (`YYYY-MM-DD`,
   * 1900 to today); at least one. INVALID_PARAMS (field), NICKNAME_INVALID.
   */
  async updateProfile(principal: Principal, input: ProfileInput): Promise<void> {
    const changes: ProfileChanges = {};
    if (input.nickname !== undefined && input.nickname !== '')
      changes.nickname = this.nickname(input.nickname);
    if (input.gender !== undefined && input.gender !== '') {
      if (!/^[012]$/.test(input.gender)) {
        throw new DomainError('INVALID_PARAMS', 'gender', { fields: ['gender'] });
      }
      changes.gender = Number(input.gender);
    }
    if (input.signature !== undefined) {
      const signature = input.signature.normalize('NFC').trim();
      if ([...signature].length > MAX_SIGNATURE_LENGTH) {
        throw new DomainError('INVALID_PARAMS', 'signature too long', { fields: ['signature'] });
      }
      changes.signature = signature;
    }
    if (input.birthday !== undefined && input.birthday !== '')
      changes.birthday = this.birthday(input.birthday);
    if (Object.keys(changes).length === 0) throw new DomainError('INVALID_PARAMS', 'nothing to change');
    await this.accounts.updateProfile(principal.userId, changes, this.clock.now());
  }

  /**
   * Stores the image (re-encoded, see MediaService) and makes it the avatar; answers its address. INVALID_PARAMS
   * without a file, FILE_TOO_LARGE past MORETV_AVATAR_MAX_BYTES, UNSUPPORTED_MEDIA for what is not an image.
   */
  async uploadAvatar(principal: Principal, bytes: Buffer | undefined): Promise<string> {
    if (!bytes || bytes.length === 0)
      throw new DomainError('INVALID_PARAMS', 'no file', { fields: ['avatar'] });
    if (bytes.length > this.config.moretvWeb.avatarMaxBytes) throw new DomainError('FILE_TOO_LARGE');
    const stored = await this.media.storeImage(bytes, principal.userId);
    await this.accounts.updateAvatar(principal.userId, stored.url, this.clock.now());
    return stored.url;
  }

  birthdayOf(userId: string): Promise<string | null> {
    return this.accounts.findBirthday(userId);
  }

  /**
   * A new person's account from the fill-userinfo page, then its first session. The email, when given, must be
   * usable for moretv (INVALID_PARAMS, FORBIDDEN, ACCOUNT_EXISTS with field `email`) and the password 6–64
   * characters; then what SnsAccountsService.completeSignup throws (NOT_FOUND for a link that is no longer good).
   */
  async completeSnsSignup(
    browserId: string,
    openid: unknown,
    input: { nickname?: string; email?: string; password?: string },
    client: MoretvClient,
  ): Promise<string> {
    let email: string | undefined;
    if (input.email) {
      email = normalizedEmail(input.email);
      assertAllowedDomain(email, this.config.moretvWeb.deniedEmailDomains);
    }
    const password = input.password ? newPassword(input.password, 'password') : undefined;
    if (password && !email) {
      throw new DomainError('INVALID_PARAMS', 'a password needs an email', { fields: ['email'] });
    }
    const user = await this.sns.completeSignup(browserId, openid, {
      nickname: this.nickname(input.nickname),
      email,
      passwordDigest: password ? md5Hex(password) : undefined,
    });
    return this.openSession(user, client);
  }

  /** A session for an account that signed in another way than a password (an SNS identity). */
  async openSession(user: UserEntity, client: MoretvClient): Promise<string> {
    const { accessToken } = await this.sessions.open(this.dataSource.manager, user.id, signInContext(client));
    return accessToken;
  }

  logout(principal: Principal): Promise<void> {
    return this.signIn.logout(principal);
  }

  private async usableEmail(raw: string): Promise<string> {
    const email = normalizedEmail(raw);
    assertAllowedDomain(email, this.config.moretvWeb.deniedEmailDomains);
    if (await this.accounts.isEmailTaken(email)) throw new DomainError('ACCOUNT_EXISTS');
    return email;
  }

  private nickname(raw: string | undefined): string {
    const nickname = validNickname(raw ?? '');
    if (isReservedNickname(nickname)) throw new DomainError('NICKNAME_INVALID', 'reserved nickname');
    return nickname;
  }

  private birthday(raw: string): string {
    const match = BIRTHDAY.exec(raw.trim());
    const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : undefined;
    const valid =
      match &&
      date &&
      date.getUTCFullYear() === +match[1] &&
      date.getUTCMonth() === +match[2] - 1 &&
      date.getUTCDate() === +match[3] &&
      +match[1] >= 1900 &&
      date.getTime() <= this.clock.now().getTime();
    if (!valid) throw new DomainError('INVALID_PARAMS', 'birthday', { fields: ['birthday'] });
    return raw.trim();
  }
}

function signInContext(client: MoretvClient): SignInContext {
  return { dialect: 'moretv', ip: client.ip, userAgent: client.userAgent };
}
