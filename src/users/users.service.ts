import { Injectable } from '@nestjs/common';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { UserEntity } from '#src/users/user.entity.js';
import { UsersRepository } from '#src/users/users.repository.js';

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async getProfile(userId: string): Promise<UserEntity> {
    const user = await this.users.findOpenById(userId);
    if (!user) throw new DomainError('USER_NOT_FOUND');
    return user;
  }
}
