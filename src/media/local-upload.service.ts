import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { declaredTypeMatches, sniffMedia } from '#src/media/media-types.js';
import { verifyPostPolicy, type PostPolicyCredentials } from '#src/media/post-policy.js';
import { isSafeKey, PROBE_BYTES, Storage } from '#src/media/storage.js';
import { LOCAL_UPLOAD_BUCKET, localUploadCredentials } from '#src/media/upload-signer.js';

export interface ReceivedFile {
  buffer: Buffer;
  size: number;
  /** The file name the client gave, for S3's `${filename}` in a key. */
  originalname?: string;
}

/**
 * The app's stand-in for S3's POST Object when storage is local: it takes exactly the form `/aws/store/token`
 * describes, checks it as S3 would (signature, expiry, every policy condition), and in addition checks that the
 * file is an image or video whose bytes agree with its declared Content-Type — which an S3 policy cannot express.
 */
@Injectable()
export class LocalUploadService {
  private readonly credentials: PostPolicyCredentials;

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.credentials = localUploadCredentials(config.auth.jwtSecret);
  }

  /**
   * Stores the file under the form's key and answers the key. FORBIDDEN: the policy refuses the form (bad or
   * expired signature, a key outside the folder, a size outside the range, a field it does not name);
   * INVALID_PARAMS: no file, a repeated field or an unusable key; UNSUPPORTED_MEDIA: not an accepted image or video,
   * or not what its Content-Type says; CONFLICT: that key already holds a file.
   */
  async receive(body: Record<string, unknown>, file: ReceivedFile | undefined): Promise<string> {
    if (!file) throw new DomainError('INVALID_PARAMS', 'the form has no file');
    const form: Record<string, string> = {};
    for (const [name, value] of Object.entries(body)) {
      if (typeof value !== 'string')
        throw new DomainError('INVALID_PARAMS', `field ${name} is not one text value`);
      form[name] = value;
    }
    const fieldNamed = (wanted: string) =>
      Object.entries(form).find(([name]) => name.toLowerCase() === wanted)?.[1];
    const rawKey = fieldNamed('key');
    if (rawKey === undefined) throw new DomainError('INVALID_PARAMS', 'the form has no key');
    // S3 puts the file's own name where a key says ${filename}; the policy then judges the expanded key.
    const key = rawKey.replace('${filename}', (file.originalname ?? '').replace(/^.*[\\/]/, ''));
    for (const [name] of Object.entries(form)) if (name.toLowerCase() === 'key') form[name] = key;

    const verdict = verifyPostPolicy(this.credentials, {
      form,
      bucket: LOCAL_UPLOAD_BUCKET,
      fileSize: file.size,
      now: this.clock.now(),
    });
    if (!verdict.ok) throw new DomainError('FORBIDDEN', verdict.reason);
    if (!isSafeKey(key) || !key.startsWith('u/')) {
      throw new DomainError('INVALID_PARAMS', 'keys are letters, digits, ".", "_", "-" and "/"');
    }
    const declared = fieldNamed('content-type');
    const sniffed = sniffMedia(file.buffer.subarray(0, PROBE_BYTES));
    if (!declared || !sniffed || !declaredTypeMatches(declared, sniffed)) {
      throw new DomainError(
        'UNSUPPORTED_MEDIA',
        'only images and videos whose bytes match their Content-Type',
      );
    }
    try {
      await this.storage.put(key, file.buffer, sniffed.contentType);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new DomainError('CONFLICT', 'that key already holds a file');
      }
      throw error;
    }
    return key;
  }
}
