import { Injectable } from '@nestjs/common';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Principal } from '#src/auth/principal.js';
import { Clock } from '#src/common/time/clock.js';
import { Storage } from '#src/media/storage.js';
import type { UserEntity } from '#src/users/user.entity.js';
import { UsersRepository } from '#src/users/users.repository.js';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

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
