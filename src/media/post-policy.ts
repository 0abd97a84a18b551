import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * S3's browser-upload protocol (POST Object with a Signature Version 4 policy), for the app's own upload route when
 * storage is local: the same form, signed the same way, checked by the rules S3 applies. So a client has one code
 * path whatever the storage. Reference: AWS "Browser-based uploads using POST (AWS Signature Version 4)".
 */

export interface PostPolicyCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export type PolicyCondition =
  Record<string, string> | ['eq' | 'starts-with', string, string] | ['content-length-range', number, number];

export interface PostPolicyDocument {
  expiration: string;
  conditions: PolicyCondition[];
}

/** The form fields a client copies into its upload, next to `key`, `Content-Type` and `file`. */
export type UploadFields = Record<string, string>;

export const ALGORITHM = 'AWS4-HMAC-SHA256';

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** SigV4's derived key: the secret never signs directly, and a key is good for one day, region and service. */
function signingKey(secret: string, day: string, region: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
}

/** `20261123T080000Z`, as X-Amz-Date writes it. */
function amzDate(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * The fields of a presigned POST, as `@aws-sdk/s3-presigned-post` builds them: the bucket, the algorithm, the
 * credential scope, the date, the base64 policy and its signature.
 */
export function signPostPolicy(
  credentials: PostPolicyCredentials,
  input: { bucket: string; conditions: PolicyCondition[]; now: Date; expiresAt: Date },
): UploadFields {
  const date = amzDate(input.now);
  const credential = `${credentials.accessKeyId}/${date.slice(0, 8)}/${credentials.region}/s3/aws4_request`;
  const fields: UploadFields = {
    bucket: input.bucket,
    'X-Amz-Algorithm': ALGORITHM,
    'X-Amz-Credential': credential,
    'X-Amz-Date': date,
  };
  const policy: PostPolicyDocument = {
    expiration: input.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    conditions: [...input.conditions, ...Object.entries(fields).map(([k, v]) => ({ [k]: v }))],
  };
  const encoded = Buffer.from(JSON.stringify(policy), 'utf8').toString('base64');
  const signature = hmac(
    signingKey(credentials.secretAccessKey, date.slice(0, 8), credentials.region),
    encoded,
  ).toString('hex');
  return { ...fields, Policy: encoded, 'X-Amz-Signature': signature };
}

export type PolicyVerdict = { ok: true; policy: PostPolicyDocument } | { ok: false; reason: string };

/** Fields a policy need not name (S3's rule); everything else in the form must satisfy some condition. */
function exempt(name: string): boolean {
  return ['policy', 'x-amz-signature', 'file'].includes(name) || name.startsWith('x-ignore-');
}

function decodePolicy(encoded: string): PostPolicyDocument | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object') return undefined;
    const { expiration, conditions } = parsed as Partial<PostPolicyDocument>;
    if (typeof expiration !== 'string' || !Array.isArray(conditions)) return undefined;
    return { expiration, conditions };
  } catch {
    return undefined;
  }
}

/**
 * Checks an upload form the way S3 does: the signature over the policy (constant time), the credential scope, the
 * expiry, every condition, and that no field escapes the conditions. `form` holds the text fields (names as sent);
 * `bucket` is the bucket the form was posted to; `fileSize` the size of the file part.
 */
export function verifyPostPolicy(
  credentials: PostPolicyCredentials,
  input: { form: Record<string, string>; bucket: string; fileSize: number; now: Date },
): PolicyVerdict {
  const form = new Map(Object.entries(input.form).map(([k, v]) => [k.toLowerCase(), v]));
  const encoded = form.get('policy');
  const signature = form.get('x-amz-signature');
  const credential = form.get('x-amz-credential');
  const date = form.get('x-amz-date');
  if (!encoded || !signature || !credential || !date) return { ok: false, reason: 'missing policy fields' };
  if (form.get('x-amz-algorithm') !== ALGORITHM) return { ok: false, reason: 'unsupported algorithm' };

  const scope = credential.split('/');
  if (
    scope.length !== 5 ||
    scope[0] !== credentials.accessKeyId ||
    scope[2] !== credentials.region ||
    scope[3] !== 's3' ||
    scope[4] !== 'aws4_request' ||
    !/^\d{8}$/.test(scope[1]) ||
    !date.startsWith(scope[1])
  ) {
    return { ok: false, reason: 'bad credential scope' };
  }
  const expected = hmac(signingKey(credentials.secretAccessKey, scope[1], credentials.region), encoded);
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature does not match' };
  }

  const policy = decodePolicy(encoded);
  if (!policy) return { ok: false, reason: 'malformed policy' };
  const expires = Date.parse(policy.expiration);
  if (!Number.isFinite(expires) || expires <= input.now.getTime()) {
    return { ok: false, reason: 'policy expired' };
  }

  const covered = new Set<string>();
  const valueOf = (name: string) => (name === 'bucket' ? input.bucket : form.get(name));
  for (const condition of policy.conditions) {
    if (Array.isArray(condition)) {
      const [op, a, b] = condition;
      if (op === 'content-length-range') {
        if (typeof a !== 'number' || typeof b !== 'number') return { ok: false, reason: 'malformed policy' };
        if (input.fileSize < a || input.fileSize > b) {
          return { ok: false, reason: 'file size outside the policy' };
        }
        continue;
      }
      if ((op !== 'eq' && op !== 'starts-with') || typeof a !== 'string' || !a.startsWith('$')) {
        return { ok: false, reason: 'malformed policy' };
      }
      const name = a.slice(1).toLowerCase();
      const value = valueOf(name);
      covered.add(name);
      if (value === undefined) return { ok: false, reason: `missing field ${name}` };
      if (op === 'eq' ? value !== b : !value.startsWith(String(b))) {
        return { ok: false, reason: `field ${name} breaks the policy` };
      }
      continue;
    }
    if (!condition || typeof condition !== 'object') return { ok: false, reason: 'malformed policy' };
    for (const [rawName, wanted] of Object.entries(condition)) {
      const name = rawName.toLowerCase();
      covered.add(name);
      if (valueOf(name) !== wanted) return { ok: false, reason: `field ${name} breaks the policy` };
    }
  }
  for (const name of form.keys()) {
    if (!exempt(name) && !covered.has(name))
      return { ok: false, reason: `field ${name} is not in the policy` };
  }
  return { ok: true, policy };
}
