import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { UserCredentialEntity } from '#src/auth/user-credential.entity.js';

@Injectable()
export class CredentialsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findHash(userId: string): Promise<string | undefined> {
    const row = await this.dataSource.getRepository(UserCredentialEntity).findOneBy({ userId });
    return row?.passwordHash;
  }

  async save(em: EntityManager, userId: string, passwordHash: string, now: Date): Promise<void> {
    await em.getRepository(UserCredentialEntity).upsert({ userId, passwordHash, updatedAt: now }, ['userId']);
  }
}
