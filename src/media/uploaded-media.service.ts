import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { declaredTypeMatches, sniffMedia, type UploadKind } from '#src/media/media-types.js';
import { Storage } from '#src/media/storage.js';
import { UploadSigner } from '#src/media/upload-signer.js';

/** What `/aws/store/token` hands out (base64 of its JSON): a presigned POST into the caller's own folder. */
export interface UploadGrant {
  url: string;
  fields: Record<string, string>;
  keyPrefix: string;
  /** Ends with `/`: the uploaded object is at publicBaseUrl + key. */
  publicBaseUrl: string;
  maxBytes: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** A file a client uploaded itself and now names by its address (a feed's photo or video, an avatar). */
export interface OwnUpload {
  key: string;
  size: number;
  contentType: string;
}

/**
 * Client uploads go straight to storage (S3 or the local upload route) under a folder per account, `u/<id>/`. When a
 * client later names one by its address, it must be an object of ours, in the caller's folder, present, within the
 * size limit and, by its bytes, the kind of file asked for.
 */
@Injectable()
export class UploadedMedia {
  constructor(
    private readonly storage: Storage,
    private readonly signer: UploadSigner,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  folderOf(userId: string): string {
    return `u/${userId}/`;
  }

  async grant(userId: string): Promise<UploadGrant> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.content.uploadTokenTtlMs);
    const keyPrefix = this.folderOf(userId);
    const maxBytes = this.config.http.uploadMaxBytes;
    const form = await this.signer.sign({ keyPrefix, maxBytes, now, expiresAt });
    return {
      url: form.url,
      fields: form.fields,
      keyPrefix,
      publicBaseUrl: this.storage.publicBase(),
      maxBytes,
      expiresAt: expiresAt.getTime(),
    };
  }

  /**
   * The caller's own upload at `url`, of the given kind. INVALID_PARAMS: not an address of our storage, or no such
   * object; FORBIDDEN: someone else's; UNSUPPORTED_MEDIA: the bytes are not that kind (or contradict the declared
   * type); FILE_TOO_LARGE: over UPLOAD_MAX_BYTES.
   */
  async requireOwnUpload(userId: string, url: string, kind: UploadKind): Promise<OwnUpload> {
    const key = this.storage.keyOf(url);
    if (!key) throw new DomainError('INVALID_PARAMS', 'not an upload address of ours');
    if (!key.startsWith(this.folderOf(userId))) throw new DomainError('FORBIDDEN', 'not an upload of yours');
    const object = await this.storage.probe(key);
    if (!object) throw new DomainError('INVALID_PARAMS', 'no such upload');
    if (object.size > this.config.http.uploadMaxBytes) throw new DomainError('FILE_TOO_LARGE');
    const sniffed = sniffMedia(object.head);
    if (!sniffed || sniffed.kind !== kind) throw new DomainError('UNSUPPORTED_MEDIA');
    if (object.contentType && !declaredTypeMatches(object.contentType, sniffed)) {
      throw new DomainError('UNSUPPORTED_MEDIA', 'the declared type contradicts the file');
    }
    return { key, size: object.size, contentType: sniffed.contentType };
  }
}
