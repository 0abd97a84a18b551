import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { StorePurchasesService } from '#src/payments/store-purchases.service.js';
import { Public } from '#src/common/dialect/public.decorator.js';

export class AppleNotificationBody {
  @ApiProperty({
    description: 'The JWS Apple signs the notification with (App Store Server Notifications V2)',
  })
  @IsString()
  @MaxLength(200_000)
  signedPayload: string;
}

/**
 * App Store Server Notifications V2, the URL set in App Store Connect. Not a legacy dialect: Apple reads the
 * status line, so 200 means handled (or ignored), 400 a payload Apple did not sign for this app, and 5xx asks
 * Apple to retry later.
 */
@ApiTags('payments')
@Public()
@Controller('payments/apple')
export class AppleNotificationsController {
  constructor(private readonly purchases: StorePurchasesService) {}

  @Post('notifications')
  @HttpCode(200)
  @ApiOperation({ summary: 'App Store Server Notifications V2 (REFUND and REVOKE take coins back)' })
  @ApiOkResponse({ schema: { example: {} } })
  async receive(@Body() body: AppleNotificationBody): Promise<Record<string, never>> {
    await this.purchases.handleNotification(body.signedPayload);
    return {};
  }
}
