import { describe, expect, it } from '@jest/globals';
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import {
  signPostPolicy,
  verifyPostPolicy,
  type PolicyCondition,
  type PostPolicyCredentials,
} from '#src/media/post-policy.js';

const credentials: PostPolicyCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
};

/** A presigned POST as the AWS SDK makes it for S3: the reference our local signer and verifier must agree with. */
async function sdkForm(): Promise<Record<string, string>> {
  const client = new S3Client({
    region: credentials.region,
    endpoint: 'http://127.0.0.1:9',
    forcePathStyle: true,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
  });
  const { fields } = await createPresignedPost(client, {
    Bucket: 'uploads',
    Key: 'u/7/${filename}',
    Conditions: [
      ['content-length-range', 1, 1000],
      ['starts-with', '$Content-Type', ''],
    ],
    Expires: 900,
  });
  return { ...fields, key: 'u/7/cat.jpg', 'Content-Type': 'image/jpeg' };
}

describe(verifyPostPolicy.name, () => {
  const now = () => new Date();

  it('should accept a form the AWS SDK signed, as S3 would', async () => {
    const form = await sdkForm();
    expect(
      verifyPostPolicy(credentials, { form, bucket: 'uploads', fileSize: 500, now: now() }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('should refuse what S3 refuses: another folder, a size out of range, another bucket, a forged signature', async () => {
    const form = await sdkForm();
    const check = (change: Record<string, string>, fileSize = 500, bucket = 'uploads') =>
      verifyPostPolicy(credentials, { form: { ...form, ...change }, bucket, fileSize, now: now() });
    expect(check({ key: 'u/8/cat.jpg' })).toEqual({ ok: false, reason: 'field key breaks the policy' });
    expect(check({}, 1001)).toEqual({ ok: false, reason: 'file size outside the policy' });
    expect(check({}, 0)).toEqual({ ok: false, reason: 'file size outside the policy' });
    expect(check({}, 500, 'other')).toEqual({ ok: false, reason: 'field bucket breaks the policy' });
    expect(check({ 'X-Amz-Signature': '0'.repeat(64) })).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
    expect(check({ 'x-amz-meta-extra': 'x' })).toEqual({
      ok: false,
      reason: 'field x-amz-meta-extra is not in the policy',
    });
    expect(check({ 'x-ignore-anything': 'x' })).toMatchObject({ ok: true });
    const { 'Content-Type': _dropped, ...withoutType } = form;
    expect(
      verifyPostPolicy(credentials, { form: withoutType, bucket: 'uploads', fileSize: 5, now: now() }),
    ).toEqual({
      ok: false,
      reason: 'missing field content-type',
    });
  });

  it('should refuse a form after its expiration and under other credentials', async () => {
    const form = await sdkForm();
    const later = new Date(Date.now() + 901_000);
    expect(verifyPostPolicy(credentials, { form, bucket: 'uploads', fileSize: 5, now: later })).toEqual({
      ok: false,
      reason: 'policy expired',
    });
    expect(
      verifyPostPolicy(
        { ...credentials, secretAccessKey: 'another' },
        { form, bucket: 'uploads', fileSize: 5, now: now() },
      ),
    ).toEqual({ ok: false, reason: 'signature does not match' });
    expect(
      verifyPostPolicy(
        { ...credentials, accessKeyId: 'OTHER' },
        { form, bucket: 'uploads', fileSize: 5, now: now() },
      ),
    ).toEqual({ ok: false, reason: 'bad credential scope' });
  });
});

describe(signPostPolicy.name, () => {
  it('should sign the fields the AWS SDK signs, by the same algorithm', async () => {
    const sdk = await sdkForm();
    const at = new Date(
      `${sdk['X-Amz-Date'].replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z')}`,
    );
    const ours = signPostPolicy(credentials, {
      bucket: 'uploads',
      conditions: (
        JSON.parse(Buffer.from(sdk.Policy, 'base64').toString('utf8')) as { conditions: PolicyCondition[] }
      ).conditions.filter(
        (c) =>
          Array.isArray(c) ||
          !['bucket', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date'].some((k) => k in (c as object)),
      ),
      now: at,
      expiresAt: new Date(at.getTime() + 900_000),
    });
    const { key: _key, 'Content-Type': _type, ...sdkFields } = sdk;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(sdkFields).sort());
    expect(ours['X-Amz-Credential']).toBe(sdkFields['X-Amz-Credential']);
    // Same policy document (up to the order of its conditions), so the same key derivation gives a valid signature.
    const verdict = verifyPostPolicy(credentials, {
      form: { ...ours, key: 'u/7/cat.jpg', 'Content-Type': 'image/jpeg' },
      bucket: 'uploads',
      fileSize: 10,
      now: at,
    });
    expect(verdict).toMatchObject({ ok: true });
  });
});
