import { SessionEntity } from '#src/auth/session.entity.js';
import { UserCredentialEntity } from '#src/auth/user-credential.entity.js';
import { DeviceEntity } from '#src/devices/device.entity.js';
import { FeedEntity } from '#src/feeds/feed.entity.js';
import { OutboxMessageEntity } from '#src/outbox/outbox-message.entity.js';
import { UserEntity } from '#src/users/user.entity.js';
import { PasswordResetTokenEntity } from '#src/verification/password-reset-token.entity.js';

export const ENTITIES = [
  UserEntity,
  UserCredentialEntity,
  SessionEntity,
  DeviceEntity,
  PasswordResetTokenEntity,
  OutboxMessageEntity,
  FeedEntity,
];
