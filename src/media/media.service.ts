import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import sharp from 'sharp';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { MediaUploadsRepository } from '#src/media/media-uploads.repository.js';
import { Storage } from '#src/media/storage.js';

type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp';

export interface StoredImage {
  key: string;
  url: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
}

/** What the bytes say they are, whatever the file name or the client's content type claims. */
export function sniffImage(bytes: Buffer): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (
    bytes.subarray(0, 6).toString('latin1') === 'GIF87a' ||
    bytes.subarray(0, 6).toString('latin1') === 'GIF89a'
  ) {
    return 'gif';
  }
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  ) {
    return 'webp';
  }
  return undefined;
}

/**
 * Accepts an uploaded image: size-limited, recognised by its magic bytes, refused when it claims more pixels than
 * MEDIA_MAX_PIXELS (a decompression bomb is refused from its header, before decoding), re-encoded — which drops
 * EXIF/GPS and any payload appended to the file — and stored under a server-generated name.
 */
@Injectable()
export class MediaService {
  constructor(
    private readonly uploads: MediaUploadsRepository,
    private readonly storage: Storage,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `ownerId`: the account uploading; only it may later hand the file in as identity paper. */
  storeImage(bytes: Buffer, ownerId: string): Promise<StoredImage> {
    return this.store(bytes, ownerId);
  }

  /**
   * An image uploaded before its account exists (mrpyq's avatar at registration): stored without an owner until a
   * registration claims it (AnonymousUploads), and deleted if none does in time.
   */
  storeUnownedImage(bytes: Buffer): Promise<StoredImage> {
    return this.store(bytes, null);
  }

  private async store(bytes: Buffer, ownerId: string | null): Promise<StoredImage> {
    if (bytes.length > this.config.http.uploadMaxBytes) throw new DomainError('FILE_TOO_LARGE');
    const format = sniffImage(bytes);
    if (!format) throw new DomainError('UNSUPPORTED_MEDIA');
    let output: { data: Buffer; info: { width: number; height: number } };
    try {
      const image = sharp(bytes, { limitInputPixels: this.config.media.maxPixels, failOn: 'error' }).rotate();
      // GIF keeps its format only as a still: animated re-encoding is not worth its cost here.
      const encoded =
        format === 'jpeg'
          ? image.jpeg({ quality: 85, mozjpeg: true })
          : format === 'webp'
            ? image.webp({ quality: 85 })
            : image.png();
      output = await encoded.toBuffer({ resolveWithObject: true });
    } catch {
      // Corrupt, truncated, a polyglot, or over the pixel limit: not an image we keep.
      throw new DomainError('UNSUPPORTED_MEDIA');
    }
    const extension = format === 'jpeg' ? 'jpg' : format === 'webp' ? 'webp' : 'png';
    const contentType = format === 'jpeg' ? 'image/jpeg' : format === 'webp' ? 'image/webp' : 'image/png';
    const now = this.clock.now();
    const month = String(now.getUTCMonth() + 1).padStart(2, '0');
    const key = `images/${now.getUTCFullYear()}/${month}/${randomUUID()}.${extension}`;
    await this.storage.put(key, output.data, contentType);
    await this.uploads.insert({ key, userId: ownerId, createdAt: now });
    return {
      key,
      url: this.storage.publicUrl(key),
      contentType,
      width: output.info.width,
      height: output.info.height,
      bytes: output.data.length,
    };
  }

  /**
   * The key of a public image this account uploaded through MediaService, or undefined for any other address (someone
   * else's, an address that is not ours, a file already taken out of public view). Checks only: nothing moves.
   */
  async publicUploadKeyOf(url: string, ownerId: string): Promise<string | undefined> {
    const key = this.storage.keyOf(url);
    if (!key || !(await this.uploads.isUploadedBy(key, ownerId))) return undefined;
    return (await this.storage.probe(key)) ? key : undefined;
  }

  /**
   * Takes an image out of public view (identity paper goes to operators only). Only the account that uploaded it may:
   * an address is easy to copy from someone else's profile. Answers the image's key, or undefined when the address is
   * not a public image this account uploaded (any more).
   */
  async withdrawFromPublic(url: string, ownerId: string): Promise<string | undefined> {
    const key = this.storage.keyOf(url);
    if (!key || !(await this.uploads.isUploadedBy(key, ownerId))) return undefined;
    return (await this.storage.makePrivate(key)) ? key : undefined;
  }
}
