import {
  Controller,
  Get,
  Injectable,
  Module,
  Post,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { CurrentSession, type Principal } from '#src/auth/principal.js';
import { SessionsModule } from '#src/auth/sessions.module.js';
import { Dialect, dialectGuardToken } from '#src/common/dialect/dialect.decorator.js';
import { Operation } from '#src/common/dialect/operation.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { ReplyOutcome } from '#src/common/dialect/reply-outcome.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { TransportFailure } from '#src/common/errors/transport-failure.js';
import type { ConcordRequest } from '#src/common/http/concord-request.js';
import { mergeParams } from '#src/common/http/merge-params.js';
import { Params } from '#src/common/http/params.decorator.js';
import { escapeHtml } from '#src/dialects/dialect.js';
import { moretv } from '#src/dialects/moretv.dialect.js';
import { mrpyq } from '#src/dialects/mrpyq.dialect.js';
import { nggirl } from '#src/dialects/nggirl.dialect.js';

/**
 * Test-only routes for pipeline mechanisms that the remaining dialects need before their real routes exist: an
 * operation chosen by marker or parameters on a shared path, extra envelope fields, a dialect request guard with a
 * transport failure, cookies set and read without `@Res()`, envelope variants, and HTML routes with an error page.
 * Mounted under the real dialects' documented prefixes, so failures before routing resolve to the right dialect.
 */

class ProbeParams {
  @IsOptional()
  @IsString()
  userId?: string;

  @IsOptional()
  @IsString()
  code?: string;
}

@Dialect('mrpyq')
@Controller()
export class MrpyqProbeController {
  @Operation('friend/probe', { marker: 'search' })
  @Reply(mrpyq, { errors: ['USER_NOT_FOUND'] })
  search(@Params() params: ProbeParams): ReplyOutcome<{ userId: string }> {
    if (params.userId === 'nobody') throw new DomainError('USER_NOT_FOUND');
    return new ReplyOutcome({ userId: params.userId ?? '' }, { fields: { flag: '1' } });
  }

  @Operation('friend/probe', { marker: 'add' })
  @Reply(mrpyq, {})
  add(): string {
    return 'added';
  }

  @Operation('register/probe', { marker: 'register' })
  @Reply(mrpyq, {})
  registerStep(): string {
    return 'register';
  }

  @Operation('register/probe', { present: ['code'] })
  @Reply(mrpyq, {})
  verify(@Params() params: ProbeParams): string {
    return `verify ${params.code}`;
  }

  @Operation('register/probe', {})
  @Reply(mrpyq, {})
  send(): string {
    return 'send';
  }
}

/** nggirl's request guard, as the signature check will be: a transport failure with a reason. */
@Injectable()
export class ProbeSignatureGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const params = mergeParams(context.switchToHttp().getRequest<ConcordRequest>());
    if (params.sign !== 'good') {
      throw new TransportFailure('BAD_SIGNATURE', { zh: '签名不匹配', en: 'signature does not match' });
    }
    return true;
  }
}

@Dialect('nggirl')
@Controller('nggirl/probe')
export class NggirlProbeController {
  @Post('echo')
  @Reply(nggirl, { errors: ['INVALID_PARAMS'] })
  echo(@Params() params: ProbeParams): { userId: string | null } {
    return { userId: params.userId ?? null };
  }
}

@Dialect('moretv')
@Controller('userInfo/probe')
export class MoretvProbeController {
  @Post('login')
  @Reply(moretv, {
    variant: 'login',
    errors: ['BAD_CREDENTIALS'],
    overrides: { BAD_CREDENTIALS: { code: -1, message: 'email或密码错误' } },
  })
  login(@Params() params: ProbeParams): ReplyOutcome<undefined> {
    if (params.userId !== 'right') throw new DomainError('BAD_CREDENTIALS');
    return new ReplyOutcome(undefined, {
      setCookies: [
        { name: 'probe_session', value: 'v1', maxAgeMs: 60_000 },
        { name: 'probe_browser', value: 'b' },
      ],
    });
  }

  @Post('logout')
  @Reply(moretv, {})
  logout(): ReplyOutcome<undefined> {
    return new ReplyOutcome(undefined, { clearCookies: ['probe_session'] });
  }

  @Get('me')
  @Authenticated()
  @Reply(moretv, { errors: ['UNAUTHENTICATED'] })
  me(@CurrentSession() session: Principal): { userId: string } {
    return { userId: session.userId };
  }

  @Get('page')
  @Authenticated()
  @Reply(moretv, { html: true, errors: ['UNAUTHENTICATED'] })
  page(@CurrentSession() session: Principal): string {
    return `<!doctype html><title>p</title><p>${escapeHtml(session.user.nickname)}</p>`;
  }

  @Post('page')
  @Reply(moretv, { html: true })
  submit(@Params() params: ProbeParams): ReplyOutcome<string> {
    if (params.userId === 'crash') throw new Error('boom');
    return new ReplyOutcome('', { redirectTo: '/userInfo/probe/page' });
  }
}

@Module({
  imports: [SessionsModule],
  controllers: [MrpyqProbeController, NggirlProbeController, MoretvProbeController],
  providers: [{ provide: dialectGuardToken('nggirl'), useClass: ProbeSignatureGuard }],
})
export class PipelineProbesModule {}
