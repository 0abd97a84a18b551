import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SessionService } from '#src/auth/session.service.js';
import type { SignedIn, SignInContext } from '#src/auth/sign-in.service.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import { DevicesService } from '#src/devices/devices.service.js';
import { FacebookAccountsRepository } from '#src/sns/facebook-accounts.repository.js';
import type { FacebookProfile } from '#src/sns/facebook-graph.client.js';
import { isReservedNickname, validNickname } from '#src/users/nickname.js';

/** What the client says about itself: used only to fill in an account created now, never to find one. */
export interface FacebookSignupHints {
  nickname?: string;
  avatar?: string;
}

export interface FacebookSignedIn extends SignedIn {
  /** True only when this sign-in created the account. */
  isFirstTime: boolean;
}

const MAX_NICKNAME_LENGTH = 30;
const MAX_AVATAR_URL_LENGTH = 2048;
/** Where Facebook serves profile pictures from; an avatar hint elsewhere is not taken (see seedAvatar). */
const FACEBOOK_IMAGE_DOMAINS = ['facebook.com', 'fbcdn.net', 'fbsbx.com'];

/** A nickname hint as a valid, unreserved nickname (cut to the length limit), or undefined. */
function acceptableNickname(hint: string | null | undefined): string | undefined {
  if (!hint) return undefined;
  const cut = [...hint.normalize('NFC').trim()].slice(0, MAX_NICKNAME_LENGTH).join('');
  try {
    const nickname = validNickname(cut);
    return isReservedNickname(nickname) ? undefined : nickname;
  } catch {
    return undefined;
  }
}

/**
 * The new account's nickname: the client's hint (a Facebook name may be longer than nuzzle allows: it is cut), else
 * the name Graph gives, else a neutral one from the Facebook id's last digits.
 */
export function seedNickname(hint: string | undefined, profile: FacebookProfile): string {
  return acceptableNickname(hint) ?? acceptableNickname(profile.name) ?? `fb${profile.id.slice(-6)}`;
}

/**
 * The new account's avatar: the client's hint when it is an https address on Facebook's own domains, else the
 * picture Graph gives, else none. Any other address would let a client make every viewer of its avatar (lists,
 * share pages) fetch from a server of its choosing, which an avatar set through /user/modify/profile cannot do.
 */
export function seedAvatar(hint: string | undefined, profile: FacebookProfile): string {
  if (hint && hint.length <= MAX_AVATAR_URL_LENGTH && URL.canParse(hint)) {
    const url = new URL(hint);
    const host = url.hostname.toLowerCase();
    const onFacebook = FACEBOOK_IMAGE_DOMAINS.some(
      (domain) => host === domain || host.endsWith(`.${domain}`),
    );
    if (url.protocol === 'https:' && onFacebook && !url.username && !url.password) return url.href;
  }
  return profile.avatarUrl ?? '';
}

/**
 * nuzzle's Facebook login once Graph has vouched for the token (FacebookTokenAuthStrategy): the account of the
 * Facebook id Graph answered, created on first use, and a session. Graph's email is never used: an existing account
 * with the same email stays its owner's, and the Facebook identity gets an account of its own.
 */
@Injectable()
export class FacebookLoginService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: FacebookAccountsRepository,
    private readonly sessions: SessionService,
    private readonly devices: DevicesService,
    private readonly clock: Clock,
  ) {}

  /** ACCOUNT_DISABLED for a banned account. */
  signIn(
    profile: FacebookProfile,
    hints: FacebookSignupHints,
    context: SignInContext,
  ): Promise<FacebookSignedIn> {
    // The account, its first session and the push registration are written together (Graph was asked before).
    return this.dataSource.transaction(async (em) => {
      let user = await this.accounts.findByFacebookId(em, profile.id);
      let isFirstTime = false;
      if (!user) {
        user = await this.accounts.create(em, {
          facebookId: profile.id,
          nickname: seedNickname(hints.nickname, profile),
          avatarUrl: seedAvatar(hints.avatar, profile),
          now: this.clock.now(),
        });
        isFirstTime = user !== undefined;
        // Another request created it meanwhile: that one was the first time; this statement sees it committed.
        user ??= await this.accounts.findByFacebookId(em, profile.id);
        if (!user) throw new Error('the Facebook account was neither created nor found');
      }
      if (user.status === 'banned') throw new DomainError('ACCOUNT_DISABLED');
      const session = await this.sessions.open(em, user.id, context);
      await this.devices.registerForSession(em, user.id, session.sessionId, context);
      return { user, accessToken: session.accessToken, sessionId: session.sessionId, isFirstTime };
    });
  }
}
