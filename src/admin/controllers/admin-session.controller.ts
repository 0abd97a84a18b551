import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminOnly } from '#src/admin/admin-session.guard.js';
import { AuditLogService } from '#src/admin/audit-log.service.js';
import { AdminProfile, AdminSignedIn, AdminSignInDto, PlainError } from '#src/admin/dto/admin.dto.js';
import { SignInService } from '#src/auth/sign-in.service.js';
import { md5Hex } from '#src/auth/password-digest.js';
import type { Principal } from '#src/auth/principal.js';
import { Client, type ClientInfo } from '#src/common/http/params.decorator.js';
import { CurrentSession } from '#src/auth/principal.js';
import type { UserEntity } from '#src/users/user.entity.js';
import { Public } from '#src/common/dialect/public.decorator.js';

function profileOf(user: UserEntity): AdminProfile {
  return { id: user.id, email: user.email, nickname: user.nickname };
}

@ApiTags('admin')
@Controller('admin/session')
export class AdminSessionController {
  constructor(
    private readonly signInService: SignInService,
    private readonly audit: AuditLogService,
  ) {}

  @Post()
  @Public()
  @ApiOperation({
    summary: 'Operator sign-in',
    description:
      'Accounts with the admin role only (the first is made with `npm run cli -- create-admin <email>`). The same lockouts as every login apply. The session works on /admin only, and an app token never works here.',
  })
  @ApiCreatedResponse({ type: AdminSignedIn })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS' })
  @ApiUnauthorizedResponse({ type: PlainError, description: 'BAD_CREDENTIALS' })
  @ApiForbiddenResponse({ type: PlainError, description: 'FORBIDDEN (not an admin), ACCOUNT_DISABLED' })
  @ApiTooManyRequestsResponse({ type: PlainError, description: 'ACCOUNT_LOCKED, RATE_LIMITED' })
  async signIn(@Body() body: AdminSignInDto, @Client() client: ClientInfo): Promise<AdminSignedIn> {
    const signedIn = await this.signInService.loginAdmin(
      // The shared credential is the md5 digest the apps send; a browser form sends the plain password.
      { email: body.email, passwordDigest: md5Hex(body.password) },
      { ip: client.ip, userAgent: client.userAgent },
    );
    await this.audit.recordNow({
      actorId: signedIn.user.id,
      actor: signedIn.user.email ?? `user:${signedIn.user.id}`,
      action: 'admin.signed_in',
      subjectUserId: signedIn.user.id,
      ip: client.ip,
    });
    return {
      token: signedIn.accessToken,
      tokenType: 'Bearer',
      expiresAt: signedIn.expiresAt.toISOString(),
      admin: profileOf(signedIn.user),
    };
  }

  @Get()
  @AdminOnly()
  @ApiOperation({ summary: 'The signed-in operator' })
  @ApiOkResponse({ type: AdminProfile })
  @ApiUnauthorizedResponse({ type: PlainError, description: 'UNAUTHENTICATED' })
  @ApiForbiddenResponse({ type: PlainError, description: 'FORBIDDEN: the admin role was taken away' })
  me(@CurrentSession() session: Principal): AdminProfile {
    return profileOf(session.user);
  }

  @Delete()
  @HttpCode(204)
  @AdminOnly()
  @ApiOperation({ summary: 'Sign out: the token stops working at once' })
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse({ type: PlainError, description: 'UNAUTHENTICATED' })
  async signOut(@CurrentSession() session: Principal): Promise<void> {
    await this.signInService.logout(session);
  }
}
