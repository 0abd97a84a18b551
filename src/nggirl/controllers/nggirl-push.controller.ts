import { Controller } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Principal } from '#src/auth/principal.js';
import { CurrentSession } from '#src/auth/principal.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { Clock } from '#src/common/time/clock.js';
import { Params } from '#src/common/http/params.decorator.js';
import { parseDeviceType } from '#src/devices/device-type.js';
import { DevicesService } from '#src/devices/devices.service.js';
import { nggirl } from '#src/dialects/nggirl.dialect.js';
import { NggirlUpdatePushInfoDto } from '#src/nggirl/dto/nggirl-push.dto.js';

/** Baidu push registration of the caller's device. */
@Dialect('nggirl')
@Controller('nggirl/app/bus/phoneUser')
export class NggirlPushController {
  constructor(
    private readonly devices: DevicesService,
    private readonly clock: Clock,
  ) {}

  @GetOrPost('updatePushInfo')
  @ApiOperation({
    summary:
      '更新账户推送信息 — deviceType 0/android or 1/ios; replaces what this session registered; code 1 for an account that is gone',
  })
  @ApiParams(NggirlUpdatePushInfoDto)
  @Authenticated()
  @Reply(nggirl, {
    data: { type: 'null' },
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'USER_NOT_FOUND'],
  })
  async updatePushInfo(
    @Params() params: NggirlUpdatePushInfoDto,
    @CurrentSession() session: Principal,
  ): Promise<null> {
    await this.devices.registerBaiduPush({
      userId: session.userId,
      sessionId: session.sessionId,
      deviceType: parseDeviceType(params.deviceType),
      pushUserId: params.pushUserId,
      pushChannelId: params.pushChannelId,
      now: this.clock.now(),
    });
    return null;
  }
}
