import { SessionEntity } from '#src/auth/session.entity.js';
import { UserCredentialEntity } from '#src/auth/user-credential.entity.js';
import { DeviceEntity } from '#src/devices/device.entity.js';
import { LiveRoomEntity } from '#src/live/live-room.entity.js';
import { FeedEntity } from '#src/feeds/feed.entity.js';
import { OutboxMessageEntity } from '#src/outbox/outbox-message.entity.js';
import { RefillOrderEntity } from '#src/payments/refill-order.entity.js';
import { StorePurchaseEntity } from '#src/payments/store-purchase.entity.js';
import { UserEntity } from '#src/users/user.entity.js';
import { PasswordResetTokenEntity } from '#src/verification/password-reset-token.entity.js';
import { SnsIdentityEntity } from '#src/sns/sns-identity.entity.js';
import { SnsPendingSignupEntity } from '#src/sns/sns-pending-signup.entity.js';

export const ENTITIES = [
  UserEntity,
  UserCredentialEntity,
  SessionEntity,
  DeviceEntity,
  PasswordResetTokenEntity,
  OutboxMessageEntity,
  StorePurchaseEntity,
  RefillOrderEntity,
  SnsIdentityEntity,
  SnsPendingSignupEntity,
  LiveRoomEntity,
  FeedEntity,
];
