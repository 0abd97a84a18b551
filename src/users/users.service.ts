import { Injectable } from '@nestjs/common';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Principal } from '#src/common/http/concord-request.js';
import type { UserEntity } from '#src/users/user.entity.js';
import { UsersRepository } from '#src/users/users.repository.js';

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  /** A user's profile; the caller's own comes with its session (already loaded, no query). */
  async getProfile(userId: string, viewer?: Principal): Promise<UserEntity> {
    if (viewer && userId === viewer.userId) return viewer.user;
    const user = await this.users.findOpenById(userId);
    if (!user) throw new DomainError('USER_NOT_FOUND');
    return user;
  }
}
