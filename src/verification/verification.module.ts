import { Module } from '@nestjs/common';
import { PasswordResetTokensService } from '#src/verification/password-reset-tokens.service.js';

@Module({ providers: [PasswordResetTokensService], exports: [PasswordResetTokensService] })
export class VerificationModule {}
