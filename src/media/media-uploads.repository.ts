import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** The `media_uploads` table: which account uploaded each stored file (none yet: an anonymous upload). */
@Injectable()
export class MediaUploadsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(upload: { key: string; userId: string | null; createdAt: Date }): Promise<void> {
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

  /**
   * Gives an anonymous upload made after `since` to `userId`, in the caller's transaction; false when the key is no
   * such upload (someone's already, claimed before, too old, or swept).
   */
  async claimUnowned(em: EntityManager, key: string, userId: string, since: Date): Promise<boolean> {
    const [rows] = await em.query<[unknown[], number]>(
      `UPDATE media_uploads SET user_id = $2 WHERE key = $1 AND user_id IS NULL AND created_at > $3 RETURNING key`,
      [key, userId, since],
    );
    return rows.length > 0;
  }

  /**
   * Deletes the rows of up to `limit` anonymous uploads made at or before `cutoff` and answers their keys (the
   * caller deletes the files). A claim and a sweep of the same upload queue on its row: one of them wins.
   */
  async deleteUnownedBefore(cutoff: Date, limit: number): Promise<string[]> {
    const [rows] = await this.dataSource.query<[Array<{ key: string }>, number]>(
      `DELETE FROM media_uploads WHERE key IN (
         SELECT key FROM media_uploads WHERE user_id IS NULL AND created_at <= $1
          ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING key`,
      [cutoff, limit],
    );
    return rows.map((row) => row.key);
  }
}
