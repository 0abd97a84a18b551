import { Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '#src/admin/admin-session.guard.js';
import { PlainError } from '#src/admin/dto/admin.dto.js';
import type { Principal } from '#src/auth/principal.js';
import { Client, type ClientInfo } from '#src/common/http/params.decorator.js';
import { CurrentSession } from '#src/auth/principal.js';
import { AdminStarredUser, AdminUserIdParam } from '#src/stars/dto/admin-star.dto.js';
import { StarsService } from '#src/stars/stars.service.js';

@ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS: not a user id' })
@ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND: no such account (or it is closed)' })
@AdminController('admin/users')
export class AdminStarsController {
  constructor(private readonly stars: StarsService) {}

  @Post(':id/star')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Make an account a star',
    description: 'Its feeds then show in /star/list and people may follow it. Audited (user.starred).',
  })
  @ApiOkResponse({ type: AdminStarredUser })
  star(
    @Param() { id }: AdminUserIdParam,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<AdminStarredUser> {
    return this.stars.setStar(id, true, { admin, ip: client.ip });
  }

  @Delete(':id/star')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Make a star an ordinary account again',
    description:
      'It leaves /star/list and can no longer be followed; existing follows stay. Audited (user.unstarred).',
  })
  @ApiOkResponse({ type: AdminStarredUser })
  unstar(
    @Param() { id }: AdminUserIdParam,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<AdminStarredUser> {
    return this.stars.setStar(id, false, { admin, ip: client.ip });
  }
}
