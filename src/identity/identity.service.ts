import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import type { IdentityCheckStatus } from '#src/identity/identity-verification.js';
import { IdentityVerificationsRepository } from '#src/identity/identity-verifications.repository.js';
import { RealNameVerifier } from '#src/identity/real-name-verifier.js';
import { parseResidentId } from '#src/identity/resident-id.js';
import { MediaService } from '#src/media/media.service.js';
import { Storage } from '#src/media/storage.js';

export type RealNameState = 'none' | IdentityCheckStatus;

export interface RealNameRecord {
  status: Exclude<RealNameState, 'none'>;
  /** Masked for display: 张*, 110105********002X. */
  name: string;
  idNumber: string;
}

function maskName(name: string): string {
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

function maskIdNumber(id: string): string {
  return `${id.slice(0, 6)}********${id.slice(14)}`;
}

/**
 * Real-name verification: the number is validated (GB 11643), the claim checked by the RealNameVerifier at once,
 * and the verdict kept. A verdict of `review` waits for a person. The full number is never stored.
 */
@Injectable()
export class IdentityService {
  private readonly key: Buffer;

  constructor(
    private readonly verifications: IdentityVerificationsRepository,
    private readonly verifier: RealNameVerifier,
    private readonly media: MediaService,
    private readonly storage: Storage,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', config.auth.jwtSecret, 'concord', 'identity-numbers', 32));
  }

  /** Answers `verified` or `review`; throws IDENTITY_INVALID for an impossible number, IDENTITY_REJECTED on a no. */
  async verifyRealName(
    userId: string,
    claim: { name: string; idNumber: string },
  ): Promise<'verified' | 'review'> {
    const name = claim.name.trim();
    const idNumber = claim.idNumber.trim().toUpperCase();
    const now = this.clock.now();
    if (!parseResidentId(idNumber, now)) throw new DomainError('IDENTITY_INVALID');
    if ((await this.realNameState(userId)) === 'verified') return 'verified';
    const verdict = await this.verifier.verify({ name, idNumber });
    await this.verifications.insertRealName({
      userId,
      status: verdict,
      realName: name,
      idNumberMasked: maskIdNumber(idNumber),
      idNumberHmac: this.idNumberHmac(idNumber),
      createdAt: now,
      decidedAt: verdict === 'review' ? null : now,
    });
    if (verdict === 'rejected') throw new DomainError('IDENTITY_REJECTED');
    return verdict;
  }

  async latestRealName(userId: string): Promise<RealNameRecord | undefined> {
    const claim = await this.verifications.findLatestRealName(userId);
    return claim
      ? { status: claim.status, name: maskName(claim.realName), idNumber: claim.idNumberMasked }
      : undefined;
  }

  async realNameState(userId: string): Promise<RealNameState> {
    return (await this.latestRealName(userId))?.status ?? 'none';
  }

  /**
   * A qualification certificate (an image this server stored) goes to a person for review. It is identity paper:
   * the image leaves the public /media area at once, and only operators see it from then on. Only the account that
   * uploaded the image may submit it (else anyone could pull another user's avatar out of public view); an address
   * already submitted is refused too.
   */
  async submitQualification(userId: string, pictureUrl: string): Promise<void> {
    const key = await this.media.withdrawFromPublic(pictureUrl, userId);
    if (!key) throw new DomainError('FORBIDDEN', 'not an image this account uploaded, or already submitted');
    await this.verifications.insertQualification({
      userId,
      pictureUrl,
      pictureKey: key,
      createdAt: this.clock.now(),
    });
  }

  /**
   * An ID card for an operator to check (nggirl's profile): the real name with the number and/or the photos of both
   * sides, which are images this account uploaded and leave public view here (IDENTITY_INVALID for an impossible
   * number, FORBIDDEN for a photo that is not a public image of this account). A photo the latest claim already holds
   * is kept as it is, so a client that sends its whole profile again is not refused; the same claim sent again makes
   * no new one. Nothing at all (no number, no photo) is no claim. Everything is checked before a photo moves.
   */
  async submitIdCard(
    userId: string,
    claim: { realName: string; idNumber?: string; front?: string; back?: string },
  ): Promise<'none' | 'unchanged' | 'submitted'> {
    const realName = claim.realName.trim();
    const idNumber = claim.idNumber?.trim().toUpperCase() || undefined;
    const now = this.clock.now();
    if (idNumber && !parseResidentId(idNumber, now)) throw new DomainError('IDENTITY_INVALID');
    if (!idNumber && !claim.front && !claim.back) return 'none';
    const hmac = idNumber ? this.idNumberHmac(idNumber) : null;
    const latest = await this.verifications.findLatestIdCard(userId);
    if (
      latest &&
      latest.status !== 'rejected' &&
      latest.realName === realName &&
      sameHmac(latest.idNumberHmac, hmac) &&
      latest.frontUrl === (claim.front ?? null) &&
      latest.backUrl === (claim.back ?? null)
    ) {
      return 'unchanged';
    }
    const held = (url: string, side: 'front' | 'back') => {
      const key = side === 'front' ? latest?.frontKey : latest?.backKey;
      return key && (side === 'front' ? latest?.frontUrl : latest?.backUrl) === url ? key : undefined;
    };
    const sides = { front: claim.front, back: claim.back };
    for (const side of ['front', 'back'] as const) {
      const url = sides[side];
      if (url && !held(url, side) && !(await this.media.publicUploadKeyOf(url, userId))) {
        throw new DomainError('FORBIDDEN', `identification ${side}: not an image this account uploaded`);
      }
    }
    const stored: Partial<Record<'front' | 'back', { url: string; key: string }>> = {};
    for (const side of ['front', 'back'] as const) {
      const url = sides[side];
      if (!url) continue;
      const key = held(url, side) ?? (await this.media.withdrawFromPublic(url, userId));
      // Checked a moment ago: only a concurrent submission of the same image gets here.
      if (!key) throw new DomainError('FORBIDDEN', `identification ${side}: already submitted`);
      stored[side] = { url, key };
    }
    await this.verifications.insertIdCard({
      userId,
      realName,
      idNumberMasked: idNumber ? maskIdNumber(idNumber) : null,
      idNumberHmac: hmac,
      front: stored.front,
      back: stored.back,
      createdAt: now,
    });
    return 'submitted';
  }

  /**
   * A photo of the account's latest ID card claim, for its owner (operators read them through /admin). NOT_FOUND when
   * that claim has no photo of this side, or there is no claim.
   */
  async idCardPhoto(userId: string, side: 'front' | 'back'): Promise<{ bytes: Buffer; contentType: string }> {
    const latest = await this.verifications.findLatestIdCard(userId);
    const key = side === 'front' ? latest?.frontKey : latest?.backKey;
    const file = key ? await this.storage.readPrivate(key) : undefined;
    if (!file) throw new DomainError('NOT_FOUND', `no ID card photo of the ${side}`);
    return file;
  }

  /** The latest state of each kind of check, for the account status the documents show. */
  async summary(userId: string): Promise<{ realName: RealNameState; qualification: RealNameState }> {
    const latest = await this.verifications.latestStatusByKind(userId);
    return { realName: latest.real_name ?? 'none', qualification: latest.qualification ?? 'none' };
  }

  private idNumberHmac(idNumber: string): Buffer {
    return createHmac('sha256', this.key).update(idNumber).digest();
  }
}

function sameHmac(a: Buffer | null, b: Buffer | null): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && timingSafeEqual(a, b);
}
