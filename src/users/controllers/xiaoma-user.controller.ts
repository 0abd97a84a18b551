import { Controller } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { XiaomaPortraitDto, XiaomaTokenDto } from '#src/auth/dto/xiaoma-account.dto.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { CoinsService } from '#src/coins/coins.service.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import type { Principal } from '#src/auth/principal.js';
import { Params } from '#src/common/http/params.decorator.js';
import { CurrentSession } from '#src/auth/principal.js';
import { DevicesService } from '#src/devices/devices.service.js';
import { IdentityService } from '#src/identity/identity.service.js';
import { xiaoma } from '#src/dialects/xiaoma.dialect.js';
import { UsersService } from '#src/users/users.service.js';
import { toXiaomaUserDetails, type XiaomaUserDetails } from '#src/users/controllers/xiaoma-user.mapper.js';

@Dialect('xiaoma')
@Controller('Api/User')
export class XiaomaUserController {
  constructor(
    private readonly devices: DevicesService,
    private readonly users: UsersService,
    private readonly identity: IdentityService,
    private readonly coins: CoinsService,
  ) {}

  @GetOrPost(['uploadPortrait', 'uploadPortrait/token/:token'])
  @ApiOperation({ summary: '更换头像 — portrait is an address answered by upload_image' })
  @ApiParams(XiaomaPortraitDto)
  @Authenticated()
  @Reply(xiaoma, {
    success: { message: '添加成功' },
    data: { type: 'string', enum: [''] },
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS', 'FORBIDDEN', 'USER_NOT_FOUND'],
    overrides: {
      INVALID_PARAMS: { code: 997, message: '缺少必须参数' },
      FORBIDDEN: { code: 998, message: '添加失败' },
    },
  })
  async uploadPortrait(
    @Params() params: XiaomaPortraitDto,
    @CurrentSession() session: Principal,
  ): Promise<''> {
    await this.users.setAvatar(session.userId, params.portrait);
    return '';
  }

  @GetOrPost(['get_user_details', 'get_user_details/token/:token'])
  @ApiOperation({ summary: '获取用户详细信息' })
  @ApiParams(XiaomaTokenDto)
  @Authenticated()
  @Reply(xiaoma, {
    success: { message: '' },
    data: {
      type: 'object',
      properties: Object.fromEntries(
        ['_id', 'account', 'integral', 'status', 'uuid', 'portrait', 'currency', 'virtual_currency'].map(
          (k) => [k, { type: 'string' }],
        ),
      ),
    },
    errors: ['UNAUTHENTICATED', 'USER_NOT_FOUND'],
  })
  async details(@CurrentSession() session: Principal): Promise<XiaomaUserDetails> {
    const [registrationId, checks, balances] = await Promise.all([
      this.devices.latestToken(session.userId, 'jpush'),
      this.identity.summary(session.userId),
      this.coins.balances(session.userId),
    ]);
    return toXiaomaUserDetails(session.user, registrationId, checks, balances);
  }
}
