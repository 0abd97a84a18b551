import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RefillService, type NotifyAnswer } from '#src/payments/refill.service.js';
import { Public } from '#src/common/dialect/public.decorator.js';

/**
 * Alipay's asynchronous notification (notify_url), form-encoded. Not a legacy dialect: Alipay reads the body,
 * the plain text `success` (applied, or applied before) or `fail` (retry later), as its protocol defines.
 */
@ApiTags('payments')
@Public()
@Controller('payments/alipay')
export class AlipayNotifyController {
  constructor(private readonly refills: RefillService) {}

  @Post('notify')
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: "Alipay's asynchronous payment notification (RSA2-signed form fields)" })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ schema: { type: 'string', enum: ['success', 'fail'] } })
  notify(@Body() body: unknown): Promise<NotifyAnswer> {
    return this.refills.handleAlipayNotification(body);
  }
}
