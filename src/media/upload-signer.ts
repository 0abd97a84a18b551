import { hkdfSync } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import {
  signPostPolicy,
  type PolicyCondition,
  type PostPolicyCredentials,
  type UploadFields,
} from '#src/media/post-policy.js';

export interface UploadForm {
  /** Where the form is posted. */
  url: string;
  /** Copied into the form as they are (the key is not among them: the client picks it under its prefix). */
  fields: UploadFields;
}

export interface UploadLimits {
  keyPrefix: string;
  maxBytes: number;
  now: Date;
  expiresAt: Date;
}

/**
 * What an upload policy allows, whichever store signs it: keys under the caller's folder, 1 byte to maxBytes, any
 * declared type (S3 policies cannot say "image/* or video/*"; the type is checked against the bytes when a client
 * uses the file, and by the local route when it receives it), until expiry.
 */
function conditions(limits: UploadLimits): PolicyCondition[] {
  return [
    ['content-length-range', 1, limits.maxBytes],
    ['starts-with', '$Content-Type', ''],
  ];
}

/** Signs upload forms for the configured store. */
export abstract class UploadSigner {
  abstract sign(limits: UploadLimits): Promise<UploadForm>;
}

/** A presigned POST from the AWS SDK, for any S3-compatible endpoint. */
export class S3UploadSigner extends UploadSigner {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {
    super();
  }

  async sign(limits: UploadLimits): Promise<UploadForm> {
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      // Ending in ${filename} makes the SDK sign `starts-with $key <prefix>` instead of one exact key.
      Key: `${limits.keyPrefix}\${filename}`,
      Conditions: conditions(limits),
      Expires: Math.max(1, Math.round((limits.expiresAt.getTime() - limits.now.getTime()) / 1000)),
    });
    const { key: _key, ...rest } = fields;
    return { url, fields: rest };
  }
}

export const LOCAL_UPLOAD_BUCKET = 'media';
export const LOCAL_UPLOAD_REGION = 'local';
export const LOCAL_UPLOAD_ACCESS_KEY = 'concord-local';

/** The local route's key pair: the secret is derived from the server secret, so every instance signs alike. */
export function localUploadCredentials(serverSecret: string): PostPolicyCredentials {
  return {
    accessKeyId: LOCAL_UPLOAD_ACCESS_KEY,
    secretAccessKey: Buffer.from(hkdfSync('sha256', serverSecret, 'concord', 'local-uploads', 32)).toString(
      'base64url',
    ),
    region: LOCAL_UPLOAD_REGION,
  };
}

/** The same form for the app's own upload route (`POST /media/upload`) when files stay on local disk. */
export class LocalUploadSigner extends UploadSigner {
  constructor(
    private readonly credentials: PostPolicyCredentials,
    private readonly uploadUrl: string,
  ) {
    super();
  }

  sign(limits: UploadLimits): Promise<UploadForm> {
    const fields = signPostPolicy(this.credentials, {
      bucket: LOCAL_UPLOAD_BUCKET,
      conditions: [...conditions(limits), ['starts-with', '$key', limits.keyPrefix]],
      now: limits.now,
      expiresAt: limits.expiresAt,
    });
    return Promise.resolve({ url: this.uploadUrl, fields });
  }
}
