import { Module } from '@nestjs/common';
import { CaptchaService } from '#src/captcha/captcha.service.js';

/** moretv's image captcha. No controllers: `/captcha/*` and `/dev/captcha` are the moretv routes' business. */
@Module({
  providers: [CaptchaService],
  exports: [CaptchaService],
})
export class CaptchaModule {}
