import { Controller, Get, NotFoundException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '#src/common/dialect/public.decorator.js';
import { BrowserCookie } from '#src/moretv/browser/browser-session.js';
import { MoretvCaptcha } from '#src/moretv/moretv-captcha.service.js';

export class DevCaptchaAnswer {
  @ApiProperty() answer: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty() triesLeft: number;
}

/**
 * Development only (never registered in production, and the service refuses it there anyway): the answer of this
 * browser's current captcha, read with the same `moretv_browser` cookie, so automated browser tests and front-end
 * developers can finish the register form offline, as `/dev/outbox` does for mail.
 */
@ApiTags('development')
@Public()
@Controller('dev')
export class DevCaptchaController {
  constructor(private readonly captcha: MoretvCaptcha) {}

  @Get('captcha')
  @ApiOperation({ summary: "This browser's current moretv captcha (404 when it has none)" })
  @ApiOkResponse({ type: DevCaptchaAnswer })
  async current(@BrowserCookie() browserId: string | undefined): Promise<DevCaptchaAnswer> {
    const peek = browserId ? await this.captcha.peek(browserId) : null;
    if (!peek) throw new NotFoundException('no captcha for this browser');
    return { answer: peek.answer, expiresAt: peek.expiresAt.toISOString(), triesLeft: peek.triesLeft };
  }
}
