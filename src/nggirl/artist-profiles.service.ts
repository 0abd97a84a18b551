import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '#src/auth/principal.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import { requireDivision } from '#src/divisions/china-division.js';
import { IdentityService } from '#src/identity/identity.service.js';
import { MediaService } from '#src/media/media.service.js';
import { Storage } from '#src/media/storage.js';
import { ArtistProfilesRepository } from '#src/nggirl/artist-profiles.repository.js';
import { isReservedNickname, validNickname } from '#src/users/nickname.js';
import { toE164 } from '#src/users/phone.js';

/** nggirl's `sex`: 0 male, 1 female (mrpyq's `gender` is the other way round); stored as ISO/IEC 5218. */
export type NggirlSex = 0 | 1;

export function genderFromNggirlSex(sex: NggirlSex): 1 | 2 {
  return sex === 0 ? 1 : 2;
}

export interface ArtistProfileInput {
  nickName: string;
  realName: string;
  sex: NggirlSex;
  cityId: string;
  areaId: string;
  phoneNum: string;
  /** Addresses answered by nggirl's `uploadImage`; undefined: not given. */
  profile?: string;
  identificationCard?: string;
  identificationUpside?: string;
  identificationDownside?: string;
}

const MAX_REAL_NAME_LENGTH = 30;

/** A real name: 1–30 characters after trimming, letters (any script), spaces, `·` and `.` only. */
function validRealName(raw: string): string {
  const name = raw.normalize('NFC').trim();
  const length = [...name].length;
  if (length === 0 || length > MAX_REAL_NAME_LENGTH || !/^[\p{L}\p{M}][\p{L}\p{M} ·.•-]*$/u.test(name)) {
    throw new DomainError('INVALID_PARAMS', 'realName: 1–30 letters', { field: 'realName' });
  }
  return name;
}

/**
 * nggirl `uploadUserInfo/1.3.0`: the make-up artist's profile. Everything is checked before anything changes:
 * nickname (NICKNAME_INVALID), real name, division (INVALID_PARAMS), `phoneNum` must be the account's own and the
 * avatar an image the caller uploaded (FORBIDDEN), the ID card number (IDENTITY_INVALID) and photos (FORBIDDEN, see
 * IdentityService.submitIdCard). The ID card goes to the operators' review queue, its photos out of public view.
 */
@Injectable()
export class ArtistProfilesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly profiles: ArtistProfilesRepository,
    private readonly identity: IdentityService,
    private readonly media: MediaService,
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  async updateProfile(caller: Principal, input: ArtistProfileInput): Promise<void> {
    const nickname = validNickname(input.nickName);
    if (isReservedNickname(nickname)) throw new DomainError('NICKNAME_INVALID', 'reserved nickname');
    const realName = validRealName(input.realName);
    const division = requireDivision(input.cityId, input.areaId);
    const phone = toE164(input.phoneNum);
    if (!phone || phone !== caller.user.phone) {
      throw new DomainError('FORBIDDEN', 'phoneNum is not the number of this account', { field: 'phoneNum' });
    }
    // An ID photo leaves public view when submitted: the avatar, shown to everyone, can never be one.
    const avatars = new Set([caller.user.avatarUrl, input.profile].filter(Boolean));
    for (const photo of [input.identificationUpside, input.identificationDownside]) {
      if (photo !== undefined && avatars.has(photo)) {
        throw new DomainError('FORBIDDEN', 'an avatar cannot be an identification photo');
      }
    }
    let avatarUrl: string | undefined;
    if (input.profile !== undefined && input.profile !== caller.user.avatarUrl) {
      const key = await this.media.publicUploadKeyOf(input.profile, caller.userId);
      if (!key) throw new DomainError('FORBIDDEN', 'profile: not an image this account uploaded');
      avatarUrl = this.storage.publicUrl(key);
    }
    await this.identity.submitIdCard(caller.userId, {
      realName,
      idNumber: input.identificationCard,
      front: input.identificationUpside,
      back: input.identificationDownside,
    });
    const saved = await this.dataSource.transaction((em) =>
      this.profiles.save(
        em,
        caller.userId,
        {
          nickname,
          gender: genderFromNggirlSex(input.sex),
          avatarUrl,
          realName,
          // A municipality given as a whole (110000) is stored as sent: the client shows what it chose.
          cityId: input.cityId,
          areaId: division.area.code,
        },
        this.clock.now(),
      ),
    );
    if (!saved) throw new DomainError('USER_NOT_FOUND');
  }
}
