import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { isSafeKey, PROBE_BYTES, Storage, type PrivateRead, type StoredObject } from '#src/media/storage.js';

/** Where `makePrivate` moves objects. The bucket's public-read policy must not cover it (docs/security.md). */
export const PRIVATE_PREFIX = 'private/';
/** Where `pin` copies published files: public, but outside every upload grant's folder. */
export const PINNED_PREFIX = 'pinned/';

function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

/**
 * Any S3-compatible store (AWS, MinIO, R2, Ceph, s3rver in tests). Public objects are read by clients straight from
 * `S3_PUBLIC_BASE_URL` (the bucket, or a CDN before it); private ones only through the app.
 */
export class S3Storage extends Storage {
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
    /** Ends with a slash. */
    private readonly base: string,
  ) {
    super();
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    if (!isSafeKey(key)) throw new Error(`refusing storage key ${JSON.stringify(key)}`);
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }),
    );
  }

  publicUrl(key: string): string {
    return `${this.base}${key}`;
  }

  keyOf(url: string): string | undefined {
    if (!url.startsWith(this.base)) return undefined;
    const key = url.slice(this.base.length);
    return isSafeKey(key) && !key.startsWith(PRIVATE_PREFIX) ? key : undefined;
  }

  async makePrivate(key: string): Promise<boolean> {
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: `${PRIVATE_PREFIX}${key}`,
          CopySource: `${this.bucket}/${key}`,
        }),
      );
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    return true;
  }

  /**
   * A new upload grant could overwrite the client's key, swapping a published picture: published files are copied
   * where no grant reaches.
   */
  override pinnedKeyOf(key: string): string {
    return key.startsWith(PINNED_PREFIX) ? key : `${PINNED_PREFIX}${key}`;
  }

  override async pin(key: string): Promise<string> {
    const pinned = this.pinnedKeyOf(key);
    if (pinned === key) return key;
    await this.client.send(
      new CopyObjectCommand({ Bucket: this.bucket, Key: pinned, CopySource: `${this.bucket}/${key}` }),
    );
    return pinned;
  }

  async readPrivate(key: string): Promise<{ bytes: Buffer; contentType: string } | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: `${PRIVATE_PREFIX}${key}` }),
      );
      const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
      return { bytes, contentType: object.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  override async probe(key: string): Promise<StoredObject | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const size = head.ContentLength ?? 0;
      if (size === 0) return { size, contentType: head.ContentType, head: Buffer.alloc(0) };
      const start = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${PROBE_BYTES - 1}` }),
      );
      const bytes = Buffer.from((await start.Body?.transformToByteArray()) ?? []).subarray(0, PROBE_BYTES);
      return { size, contentType: head.ContentType, head: bytes };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Streamed through the app, so the object never gets an address of its own that could leak. */
  override async delete(key: string): Promise<void> {
    if (!isSafeKey(key)) throw new Error(`refusing storage key ${JSON.stringify(key)}`);
    // S3 answers a delete of a missing key with success.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  override async openPrivate(key: string, range?: string): Promise<PrivateRead | undefined> {
    const wanted = range && /^bytes=\d*-\d*$/.test(range) ? range : undefined;
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: `${PRIVATE_PREFIX}${key}`, Range: wanted }),
      );
      const headers: Record<string, string> = {
        'Content-Type': object.ContentType ?? 'application/octet-stream',
        'Accept-Ranges': 'bytes',
      };
      if (object.ContentLength !== undefined) headers['Content-Length'] = String(object.ContentLength);
      if (object.ContentRange) headers['Content-Range'] = object.ContentRange;
      return {
        kind: 'stream',
        status: object.ContentRange ? 206 : 200,
        headers,
        body: object.Body as Readable,
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      // A range past the end: answer the whole object rather than fail a player's probe.
      if ((error as { name?: string }).name === 'InvalidRange' && wanted) return this.openPrivate(key);
      throw error;
    }
  }
}
