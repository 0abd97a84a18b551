import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '#src/common/time/clock.js';

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
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

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

  /** The push token a sign-in or registration carried, tied to the session it opened. */
  async registerForSession(
    em: EntityManager,
    userId: string,
    sessionId: string,
    context: { push?: { provider: string; token: string }; platform?: string },
  ): Promise<void> {
    if (!context.push) return;
    await this.register(em, {
      userId,
      sessionId,
      provider: context.push.provider,
      token: context.push.token,
      platform: context.platform,
      now: this.clock.now(),
    });
  }

  /** A device whose session ended (logout, password change or reset) must not keep receiving the account's pushes. */
  async unregisterEndedSessions(em: EntityManager, userId: string): Promise<void> {
    await em.query(
      `DELETE FROM devices d USING sessions s
        WHERE d.session_id = s.id AND s.user_id = $1 AND s.revoked_at IS NOT NULL`,
      [userId],
    );
  }

  /** The push token a user's newest session registered with this provider (xiaoma shows it as `uuid`). */
  async latestToken(userId: string, provider: string): Promise<string | undefined> {
    const rows = await this.dataSource.query<Array<{ token: string }>>(
      `SELECT push_token AS token FROM devices WHERE user_id = $1 AND push_provider = $2 ORDER BY updated_at DESC LIMIT 1`,
      [userId, provider],
    );
    return rows[0]?.token;
  }
}
