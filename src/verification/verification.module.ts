import { Module } from '@nestjs/common';
import { PasswordResetTokensService } from '#src/verification/password-reset-tokens.service.js';
import { VerificationCodesService } from '#src/verification/verification-codes.service.js';

@Module({
  providers: [PasswordResetTokensService, VerificationCodesService],
  exports: [PasswordResetTokensService, VerificationCodesService],
})
export class VerificationModule {}
