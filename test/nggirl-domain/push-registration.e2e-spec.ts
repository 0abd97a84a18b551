import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DevicesService } from '#src/devices/devices.service.js';
import { RefreshTokensService } from '#src/refresh-tokens/refresh-tokens.service.js';
import { createMediumContext, createUser, type MediumContext } from '#test/nggirl-domain/medium.js';

describe(`${DevicesService.name} (Baidu push, nggirl updatePushInfo)`, () => {
  let ctx: MediumContext;
  let sut: DevicesService;

  beforeAll(async () => {
    ctx = await createMediumContext();
    sut = ctx.get(DevicesService);
  });
  afterAll(async () => {
    await ctx.close();
  });

  const session = async (userId: string) =>
    (await ctx.db.transaction((em) => ctx.get(RefreshTokensService).openPair(em, userId, {}))).sessionId;
  const devicesOf = (userId: string) =>
    ctx.db.query<Array<Record<string, unknown>>>(
      `SELECT push_provider AS provider, push_token AS "channelId", push_user_id AS "pushUserId",
              device_type AS "deviceType", platform, session_id AS "sessionId"
         FROM devices WHERE user_id = $1 ORDER BY id`,
      [userId],
    );

  it("should record the pair and the device type on the caller's session, replacing what it registered before", async () => {
    const user = await createUser(ctx);
    const sessionId = await session(user.id);
    const now = new Date();
    await sut.registerBaiduPush({
      userId: user.id,
      sessionId,
      deviceType: 'ios',
      pushUserId: 'u-1',
      pushChannelId: 'c-1',
      now,
    });
    await sut.registerBaiduPush({
      userId: user.id,
      sessionId,
      deviceType: 'android',
      pushUserId: 'u-2',
      pushChannelId: 'c-2',
      now,
    });
    expect(await devicesOf(user.id)).toEqual([
      {
        provider: 'baidu',
        channelId: 'c-2',
        pushUserId: 'u-2',
        deviceType: 'android',
        platform: 'android',
        sessionId,
      },
    ]);
  });

  it("should keep another session's registration of the same user", async () => {
    const user = await createUser(ctx);
    const phone = await session(user.id);
    const tablet = await session(user.id);
    const now = new Date();
    await sut.registerBaiduPush({
      userId: user.id,
      sessionId: phone,
      deviceType: 'ios',
      pushUserId: 'u',
      pushChannelId: 'phone',
      now,
    });
    await sut.registerBaiduPush({
      userId: user.id,
      sessionId: tablet,
      deviceType: 'ios',
      pushUserId: 'u',
      pushChannelId: 'tablet',
      now,
    });
    expect((await devicesOf(user.id)).map((d) => d.channelId)).toEqual(['phone', 'tablet']);
  });

  it('should hand a channel over to the account that registered it last', async () => {
    const first = await createUser(ctx);
    const second = await createUser(ctx);
    const now = new Date();
    await sut.registerBaiduPush({
      userId: first.id,
      sessionId: await session(first.id),
      deviceType: 'android',
      pushUserId: 'u',
      pushChannelId: 'shared-device',
      now,
    });
    await sut.registerBaiduPush({
      userId: second.id,
      sessionId: await session(second.id),
      deviceType: 'android',
      pushUserId: 'u',
      pushChannelId: 'shared-device',
      now,
    });
    expect(await devicesOf(first.id)).toEqual([]);
    expect(await devicesOf(second.id)).toHaveLength(1);
  });
});
