import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface PushRegistration {
  userId: string;
  sessionId: string;
  provider: string;
  token: string;
  platform?: string;
  now: Date;
}

/** Push tokens, recorded at login and register. A token follows the account that signed in on it last. */
@Injectable()
export class DevicesService {
  async register(em: EntityManager, device: PushRegistration): Promise<void> {
    await em.query(
      `INSERT INTO devices (user_id, push_provider, push_token, platform, session_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (push_provider, push_token) DO UPDATE
         SET user_id = EXCLUDED.user_id, platform = EXCLUDED.platform,
             session_id = EXCLUDED.session_id, updated_at = EXCLUDED.updated_at`,
      [device.userId, device.provider, device.token, device.platform ?? null, device.sessionId, device.now],
    );
  }

  /** A device whose session ended (logout, password change or reset) must not keep receiving the account's pushes. */
  async unregisterEndedSessions(em: EntityManager, userId: string): Promise<void> {
    await em.query(
      `DELETE FROM devices d USING sessions s
        WHERE d.session_id = s.id AND s.user_id = $1 AND s.revoked_at IS NOT NULL`,
      [userId],
    );
  }
}
