import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not, type EntityManager } from 'typeorm';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { isUniqueViolation } from '#src/common/database/pg-errors.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { UserEntity } from '#src/users/user.entity.js';

export interface NewUser {
  email?: string;
  phone?: string;
  nickname: string;
  now: Date;
}

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(em?: EntityManager) {
    return (em ?? this.dataSource.manager).getRepository(UserEntity);
  }

  /** A user that is not closed; closed accounts are gone as far as every client can tell. */
  findOpenById(id: string): Promise<UserEntity | null> {
    if (!isBigintId(id)) return Promise.resolve(null);
    return this.repo().findOneBy({ id, status: Not('closed' as const) });
  }

  findOpenByEmail(email: string, em?: EntityManager): Promise<UserEntity | null> {
    return this.repo(em).findOneBy({ email, status: Not('closed' as const) });
  }

  async emailTaken(email: string): Promise<boolean> {
    return this.repo().existsBy({ email, status: Not('closed' as const) });
  }

  /** Unique violations on email or phone become ACCOUNT_EXISTS here, so a race ends like a pre-check. */
  async insert(em: EntityManager, user: NewUser): Promise<UserEntity> {
    try {
      return await this.repo(em).save(
        this.repo(em).create({
          email: user.email ?? null,
          phone: user.phone ?? null,
          nickname: user.nickname,
          createdAt: user.now,
          updatedAt: user.now,
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('ACCOUNT_EXISTS');
      throw error;
    }
  }
}
