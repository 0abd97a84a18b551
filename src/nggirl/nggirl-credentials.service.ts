import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SignedIn } from '#src/auth/sign-in.service.js';
import { DevicesService } from '#src/devices/devices.service.js';
import { ImAccounts } from '#src/im/im-accounts.js';
import { toNggirlTokens, type NggirlTokens } from '#src/nggirl/nggirl-tokens.mapper.js';
import {
  RefreshTokensService,
  type RefreshOrigin,
  type TokenPair,
} from '#src/refresh-tokens/refresh-tokens.service.js';

/**
 * What nggirl's sign-in routes answer: a token pair of a refresh family and the user's IM credentials. The IM
 * identity is fetched (and created at the provider on first need) after the pair is committed, never inside a
 * transaction.
 */
@Injectable()
export class NggirlCredentialsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly refreshTokens: RefreshTokensService,
    private readonly devices: DevicesService,
    private readonly im: ImAccounts,
  ) {}

  /**
   * `logon` and `create`: SignInService or RegistrationService signed in with `dialect: 'nggirl'` (so the session lives ACCESS_TOKEN_TTL);
   * this starts the session's refresh family.
   */
  async afterSignIn(signedIn: Pick<SignedIn, 'user' | 'sessionId' | 'accessToken'>): Promise<NggirlTokens> {
    const userId = signedIn.user.id;
    const refreshToken = await this.refreshTokens.startFamily(
      this.dataSource.manager,
      userId,
      signedIn.sessionId,
    );
    return this.answer(
      this.refreshTokens.pairOf(userId, signedIn.sessionId, signedIn.accessToken, refreshToken),
    );
  }

  /**
   * `updatePasswordForgot`, after PasswordResetService.resetPasswordWithCode ended every session of the account: every
   * refresh family of the account ends too, and a new session and family start.
   */
  async signInAfterPasswordReset(userId: string, origin: RefreshOrigin): Promise<NggirlTokens> {
    const pair = await this.dataSource.transaction(async (em) => {
      await this.refreshTokens.revokeAllForUser(em, userId, 'password_reset');
      await this.devices.unregisterEndedSessions(em, userId);
      return this.refreshTokens.openPair(em, userId, origin);
    });
    return this.answer(pair);
  }

  /** `authorization`: see RefreshTokensService.rotate for what it throws. */
  async refresh(
    input: { accessToken: string; refreshToken: string },
    origin: RefreshOrigin,
  ): Promise<NggirlTokens> {
    return this.answer(await this.refreshTokens.rotate(input, origin));
  }

  /** `logon` with the client's saved `accessToken`: that older session of the same user ends, with its family. */
  endPreviousSession(savedAccessToken: string | undefined, userId: string): Promise<boolean> {
    return this.refreshTokens.endSessionOfAccessToken(savedAccessToken, userId);
  }

  private async answer(pair: TokenPair): Promise<NggirlTokens> {
    return toNggirlTokens(pair, await this.im.credentialsFor(pair.userId));
  }
}
