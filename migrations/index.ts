import { InitialSchema1763880000000 } from '#migrations/1763880000000-initial-schema.js';
import { LoginLock1763890000000 } from '#migrations/1763890000000-login-lock.js';
import { VerificationCodes1763900000000 } from '#migrations/1763900000000-verification-codes.js';
import { IdentityVerifications1763910000000 } from '#migrations/1763910000000-identity-verifications.js';
import { AdminReview1763920000000 } from '#migrations/1763920000000-admin-review.js';
import { PrivateCertificates1763930000000 } from '#migrations/1763930000000-private-certificates.js';
import { MediaUploads1763940000000 } from '#migrations/1763940000000-media-uploads.js';
import { Payments1764300000000 } from '#migrations/1764300000000-payments.js';
import { SnsIdentities1764400000000 } from '#migrations/1764400000000-sns-identities.js';
import { LiveRooms1764200000000 } from '#migrations/1764200000000-live-rooms.js';
import { CoinLedger1764100000000 } from '#migrations/1764100000000-coin-ledger.js';
import { FeedsAndStars1764600000000 } from '#migrations/1764600000000-feeds-and-stars.js';
import { RequestNonces1764500000000 } from '#migrations/1764500000000-request-nonces.js';
import { RefreshTokens1764501000000 } from '#migrations/1764501000000-refresh-tokens.js';
import { ImAccounts1764502000000 } from '#migrations/1764502000000-im-accounts.js';
import { Cosmetics1764503000000 } from '#migrations/1764503000000-cosmetics.js';
import { CosmeticsSeed1764504000000 } from '#migrations/1764504000000-cosmetics-seed.js';
import { DevicePushFields1764505000000 } from '#migrations/1764505000000-device-push-fields.js';
import { PhoneVerifications1764700000000 } from '#migrations/1764700000000-phone-verifications.js';
import { AnonymousUploads1764701000000 } from '#migrations/1764701000000-anonymous-uploads.js';
import { Friends1764702000000 } from '#migrations/1764702000000-friends.js';
import { GiftReads1764703000000 } from '#migrations/1764703000000-gift-reads.js';
import { MoretvProfiles1764800000000 } from '#migrations/1764800000000-moretv-profiles.js';
import { ArtistProfiles1764900000000 } from '#migrations/1764900000000-artist-profiles.js';

/** Listed explicitly (not globbed) so the built server, the CLI and ts-jest load the same classes. */
export const MIGRATIONS = [
  InitialSchema1763880000000,
  LoginLock1763890000000,
  VerificationCodes1763900000000,
  IdentityVerifications1763910000000,
  AdminReview1763920000000,
  PrivateCertificates1763930000000,
  MediaUploads1763940000000,
  Payments1764300000000,
  SnsIdentities1764400000000,
  LiveRooms1764200000000,
  CoinLedger1764100000000,
  FeedsAndStars1764600000000,
  RequestNonces1764500000000,
  RefreshTokens1764501000000,
  ImAccounts1764502000000,
  Cosmetics1764503000000,
  CosmeticsSeed1764504000000,
  DevicePushFields1764505000000,
  PhoneVerifications1764700000000,
  AnonymousUploads1764701000000,
  Friends1764702000000,
  GiftReads1764703000000,
  MoretvProfiles1764800000000,
  ArtistProfiles1764900000000,
];
