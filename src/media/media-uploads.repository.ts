import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The `media_uploads` table: which account uploaded each stored file. */
@Injectable()
export class MediaUploadsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(upload: { key: string; userId: string; createdAt: Date }): Promise<void> {
    await this.dataSource.query(`INSERT INTO media_uploads (key, user_id, created_at) VALUES ($1, $2, $3)`, [
      upload.key,
      upload.userId,
      upload.createdAt,
    ]);
  }

  async isUploadedBy(key: string, userId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM media_uploads WHERE key = $1 AND user_id = $2`,
      [key, userId],
    );
    return rows.length > 0;
  }
}
