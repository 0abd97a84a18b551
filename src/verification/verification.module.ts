import { Module } from '@nestjs/common';
import { PasswordResetTokensRepository } from '#src/verification/password-reset-tokens.repository.js';
import { PasswordResetTokensService } from '#src/verification/password-reset-tokens.service.js';
import { PhoneVerificationsRepository } from '#src/verification/phone-verifications.repository.js';
import { PhoneVerificationsService } from '#src/verification/phone-verifications.service.js';
import { VerificationCodesRepository } from '#src/verification/verification-codes.repository.js';
import { VerificationCodesService } from '#src/verification/verification-codes.service.js';

@Module({
  providers: [
    PasswordResetTokensRepository,
    PasswordResetTokensService,
    VerificationCodesRepository,
    VerificationCodesService,
    PhoneVerificationsRepository,
    PhoneVerificationsService,
  ],
  exports: [PasswordResetTokensService, VerificationCodesService, PhoneVerificationsService],
})
export class VerificationModule {}
