import { Module } from '@nestjs/common';
import { PasswordHasher } from '#src/auth/password-hasher.js';

/** The argon2id hasher and its threads: one per app, for every area that sets or checks a password. */
@Module({ providers: [PasswordHasher], exports: [PasswordHasher] })
export class PasswordsModule {}
