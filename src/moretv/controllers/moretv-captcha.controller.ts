import { Controller, Get, Header, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces } from '@nestjs/swagger';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { Public } from '#src/common/dialect/public.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { Client, Params, type ClientInfo } from '#src/common/http/params.decorator.js';
import { moretv } from '#src/dialects/moretv.dialect.js';
import { Browser, type BrowserSession } from '#src/moretv/browser/browser-session.js';
import { MoretvCaptchaCodeDto } from '#src/moretv/dto/moretv.dto.js';
import { MoretvCaptcha } from '#src/moretv/moretv-captcha.service.js';
import { UsesBrowser } from '#src/moretv/moretv-request.guard.js';

/** The document's image captcha, bound to the browser id cookie (`moretv_browser`). */
@Dialect('moretv')
@Controller('captcha')
export class MoretvCaptchaController {
  constructor(private readonly captcha: MoretvCaptcha) {}

  @Get('generate')
  @Public()
  @UsesBrowser()
  @Header('Cache-Control', 'no-store')
  @ApiProduces('image/png')
  @ApiOperation({
    summary:
      'Generate — a 150×50 PNG; the answer is bound to this browser, lasts 5 minutes and allows 5 checks; a new one replaces it',
  })
  @Reply(moretv, {
    raw: true,
    errors: ['RATE_LIMITED'],
    overrides: { RATE_LIMITED: { code: -1, message: '操作太频繁,请稍后再试' } },
  })
  async generate(@Browser() browser: BrowserSession, @Client() client: ClientInfo): Promise<StreamableFile> {
    const png = await this.captcha.generate(browser.id, client.ip);
    return new StreamableFile(png, { type: 'image/png', length: png.length });
  }

  @Get('validate/:code')
  @Public()
  @UsesBrowser()
  @ApiOperation({
    summary: 'Validate — 1 match, -1 mismatch; checks without using the captcha up (a try is spent)',
  })
  @ApiParams(MoretvCaptchaCodeDto)
  @Reply(moretv, {
    success: { code: 1, message: '验证码匹配' },
    errors: ['CODE_INVALID'],
    overrides: { CODE_INVALID: { code: -1, message: '验证码不匹配' } },
  })
  async validate(@Browser() browser: BrowserSession, @Params() params: MoretvCaptchaCodeDto): Promise<void> {
    await this.captcha.validate(browser.id, params.code);
  }
}
