import { Module } from '@nestjs/common';
import { PasswordResetTokensRepository } from '#src/verification/password-reset-tokens.repository.js';
import { PasswordResetTokensService } from '#src/verification/password-reset-tokens.service.js';
import { VerificationCodesRepository } from '#src/verification/verification-codes.repository.js';
import { VerificationCodesService } from '#src/verification/verification-codes.service.js';

@Module({
  providers: [
    PasswordResetTokensRepository,
    PasswordResetTokensService,
    VerificationCodesRepository,
    VerificationCodesService,
  ],
  exports: [PasswordResetTokensService, VerificationCodesService],
})
export class VerificationModule {}
