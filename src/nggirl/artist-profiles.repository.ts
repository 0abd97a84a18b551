import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What `uploadUserInfo/1.3.0` saves: shared `users` columns and the artist's own row. */
export interface ArtistProfileRecord {
  nickname: string;
  /** ISO/IEC 5218, as every dialect stores it: 1 male, 2 female. */
  gender: 1 | 2;
  /** Undefined: the avatar stays as it is. */
  avatarUrl?: string;
  realName: string;
  cityId: string;
  areaId: string;
}

/** An artist's profile: nickname, gender and avatar on `users`, real name and division on `artist_profiles`. */
@Injectable()
export class ArtistProfilesRepository {
  /** Answers false when the account is closed (nothing is written then). */
  async save(em: EntityManager, userId: string, profile: ArtistProfileRecord, now: Date): Promise<boolean> {
    const [rows] = await em.query<[unknown[], number]>(
      `UPDATE users SET nickname = $2, gender = $3, avatar_url = COALESCE($4, avatar_url), updated_at = $5
        WHERE id = $1 AND status <> 'closed' RETURNING id`,
      [userId, profile.nickname, profile.gender, profile.avatarUrl ?? null, now],
    );
    if (rows.length === 0) return false;
    await em.query(
      `INSERT INTO artist_profiles (user_id, real_name, city_id, area_id, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id) DO UPDATE
         SET real_name = EXCLUDED.real_name, city_id = EXCLUDED.city_id, area_id = EXCLUDED.area_id,
             updated_at = EXCLUDED.updated_at`,
      [userId, profile.realName, profile.cityId, profile.areaId, now],
    );
    return true;
  }
}
