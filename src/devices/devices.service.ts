import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '#src/common/time/clock.js';
import type { DeviceType } from '#src/devices/device-type.js';

export interface PushRegistration {
  userId: string;
  sessionId: string;
  provider: string;
  token: string;
  platform?: string;
  now: Date;
}

/** nggirl's push registration: Baidu push's pair of ids for the device the caller's session runs on. */
export interface BaiduPushRegistration {
  userId: string;
  sessionId: string;
  deviceType: DeviceType;
  pushUserId: string;
  pushChannelId: string;
  now: Date;
}

/** Baidu push, as nggirl's `updatePushInfo` registers it: the channel id is the record's push token. */
export const BAIDU_PUSH_PROVIDER = 'baidu';

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

  /**
   * nggirl `updatePushInfo`: replaces the Baidu registration of the caller's session (a new channel after a
   * reinstall, say). The channel follows the account that registered it last, as every push token does.
   */
  async registerBaiduPush(device: BaiduPushRegistration): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `DELETE FROM devices WHERE session_id = $1 AND push_provider = $2 AND push_token <> $3`,
        [device.sessionId, BAIDU_PUSH_PROVIDER, device.pushChannelId],
      );
      await em.query(
        `INSERT INTO devices (user_id, push_provider, push_token, platform, device_type, push_user_id, session_id,
                              created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $7)
         ON CONFLICT (push_provider, push_token) DO UPDATE
           SET user_id = EXCLUDED.user_id, platform = EXCLUDED.platform, device_type = EXCLUDED.device_type,
               push_user_id = EXCLUDED.push_user_id, session_id = EXCLUDED.session_id,
               updated_at = EXCLUDED.updated_at`,
        [
          device.userId,
          BAIDU_PUSH_PROVIDER,
          device.pushChannelId,
          device.deviceType,
          device.pushUserId,
          device.sessionId,
          device.now,
        ],
      );
    });
  }

  /**
   * A session that follows another on the same device (nggirl's refresh opens a new session each time): its push
   * registrations move with it, so ending the old session elsewhere does not drop them.
   */
  async moveToSession(em: EntityManager, fromSessionId: string, toSessionId: string): Promise<void> {
    await em.query(`UPDATE devices SET session_id = $2 WHERE session_id = $1`, [fromSessionId, toSessionId]);
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
