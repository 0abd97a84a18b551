import { Injectable } from '@nestjs/common';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Principal } from '#src/auth/principal.js';
import { Clock } from '#src/common/time/clock.js';
import { Storage } from '#src/media/storage.js';
import { UploadedMedia } from '#src/media/uploaded-media.service.js';
import { isReservedNickname, validNickname } from '#src/users/nickname.js';
import type { UserEntity } from '#src/users/user.entity.js';
import { UsersRepository } from '#src/users/users.repository.js';

export const MAX_SIGNATURE_LENGTH = 100;

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly storage: Storage,
    private readonly uploads: UploadedMedia,
    private readonly clock: Clock,
  ) {}

  /** Trimmed, at most 100 characters (code points); empty clears it. INVALID_PARAMS when longer. */
  async modifySignature(viewer: Principal, raw: string): Promise<UserEntity> {
    const signature = raw.normalize('NFC').trim();
    if ([...signature].length > MAX_SIGNATURE_LENGTH) {
      throw new DomainError('INVALID_PARAMS', `a signature has at most ${MAX_SIGNATURE_LENGTH} characters`);
    }
    const now = this.clock.now();
    await this.users.updateSignature(viewer.userId, signature, now);
    return Object.assign(
      Object.create(Object.getPrototypeOf(viewer.user) as object) as UserEntity,
      viewer.user,
      {
        signature,
        updatedAt: now,
      },
    );
  }

  /**
   * Nickname and/or avatar. An empty parameter counts as not given, unless nothing else is: then an empty nickname
   * is NICKNAME_INVALID (and neither at all INVALID_PARAMS). NICKNAME_INVALID: empty, too long, invisible characters,
   * or impersonating staff; the avatar must be the caller's own image upload (FORBIDDEN for someone else's,
   * INVALID_PARAMS for an address that is no upload of ours, UNSUPPORTED_MEDIA for what is not an image).
   */
  async modifyProfile(viewer: Principal, input: { nickname?: string; avatar?: string }): Promise<UserEntity> {
    const avatarGiven = input.avatar !== undefined && input.avatar.trim() !== '';
    const nicknameGiven = input.nickname !== undefined && (input.nickname.trim() !== '' || !avatarGiven);
    if (!nicknameGiven && !avatarGiven)
      throw new DomainError('INVALID_PARAMS', 'nickname or avatar is required');
    let nickname: string | undefined;
    if (nicknameGiven) {
      nickname = validNickname(input.nickname ?? '');
      if (isReservedNickname(nickname)) throw new DomainError('NICKNAME_INVALID', 'reserved nickname');
    }
    let avatarUrl: string | undefined;
    if (avatarGiven) {
      const upload = await this.uploads.requireOwnUpload(viewer.userId, input.avatar!.trim(), 'image');
      avatarUrl = this.storage.publicUrl(await this.storage.pin(upload.key));
    }
    const user = await this.users.updateProfile(viewer.userId, { nickname, avatarUrl }, this.clock.now());
    if (!user) throw new DomainError('USER_NOT_FOUND');
    return user;
  }

  /** Sets the avatar to an image this server stored: a client cannot point profiles at arbitrary addresses. */
  async setAvatar(userId: string, url: string): Promise<void> {
    if (!this.storage.owns(url)) throw new DomainError('FORBIDDEN', 'not an image of ours');
    await this.users.updateAvatar(userId, url, this.clock.now());
  }

  /** A user's profile; the caller's own comes with its session (already loaded, no query). */
  async getProfile(userId: string, viewer?: Principal): Promise<UserEntity> {
    if (viewer && userId === viewer.userId) return viewer.user;
    const user = await this.users.findOpenById(userId);
    if (!user) throw new DomainError('USER_NOT_FOUND');
    return user;
  }
}
