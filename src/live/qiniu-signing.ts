import { createHash, createHmac } from 'node:crypto';

/** HMAC-SHA1 in URL-safe base64, padding kept: the primitive of every Qiniu signature. */
export function hmacSha1UrlSafe(secret: string, data: string): string {
  return createHmac('sha1', secret).update(data).digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** URL-safe base64 (padding kept), as Pili v2 encodes a stream key in a path. */
export function urlSafeBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

export interface QiniuRequest {
  method: string;
  /** The whole URL: the path, the query and the host (with a port other than the default) are signed. */
  url: string;
  contentType: string;
  body?: string;
  /** Headers sent besides Content-Type; only `X-Qiniu-*` ones are signed. */
  headers?: Record<string, string>;
}

/** `x-qiniu-foo` → `X-Qiniu-Foo`, as Go's textproto canonicalises header names before Qiniu signs them. */
function canonicalHeaderName(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((part) => (part ? part[0].toUpperCase() + part.slice(1) : part))
    .join('-');
}

/**
 * The text a "Qiniu" management token signs (Qiniu's SignRequestV2, used by Pili v2):
 *
 *     <METHOD> <path>[?<query>]\nHost: <host>\nContent-Type: <type>\n[<X-Qiniu-*: value>\n, sorted]\n<body>
 *
 * The body counts only for JSON and form bodies. Concord always sends a Content-Type, so the SDKs that write the line
 * only when the header is present (pili-sdk-go v1) and those that default it (go-sdk v7, nodejs-sdk) agree.
 */
export function qiniuSigningString(request: QiniuRequest): string {
  const url = new URL(request.url);
  let text = `${request.method.toUpperCase()} ${url.pathname}${url.search}\nHost: ${url.host}\n`;
  text += `Content-Type: ${request.contentType}\n`;
  const qiniuHeaders = Object.entries(request.headers ?? {})
    .map(([name, value]) => [canonicalHeaderName(name), value] as const)
    .filter(([name]) => name.startsWith('X-Qiniu-') && name.length > 'X-Qiniu-'.length)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, value] of qiniuHeaders) text += `${name}: ${value}\n`;
  text += '\n';
  const signsBody =
    request.contentType === 'application/json' || request.contentType === 'application/x-www-form-urlencoded';
  if (request.body && signsBody) text += request.body;
  return text;
}

/** The `Authorization` header of a Pili v2 request: `Qiniu <AccessKey>:<urlsafe-base64(HMAC-SHA1(SecretKey, …))>`. */
export function qiniuAuthorization(accessKey: string, secretKey: string, request: QiniuRequest): string {
  return `Qiniu ${accessKey}:${hmacSha1UrlSafe(secretKey, qiniuSigningString(request))}`;
}

export interface PiliPublishUrlInput {
  domain: string;
  hub: string;
  streamKey: string;
  /** Unix seconds after which Pili refuses to start publishing with this URL. */
  expireAt: number;
  accessKey: string;
  secretKey: string;
}

/**
 * An RTMP publish URL under Pili's `expiry_sk` scheme (限时鉴权SK):
 * `rtmp://<domain>/<hub>/<key>?e=<expiry>&token=<AccessKey>:<urlsafe-base64(HMAC-SHA1(SecretKey, "/<hub>/<key>?e=<expiry>"))>`.
 */
export function piliPublishUrl(input: PiliPublishUrlInput): string {
  const signed = `/${input.hub}/${input.streamKey}?e=${input.expireAt}`;
  const token = `${input.accessKey}:${hmacSha1UrlSafe(input.secretKey, signed)}`;
  return `rtmp://${input.domain}${signed}&token=${token}`;
}

/**
 * Qiniu's timestamp anti-leech signature (时间戳防盗链, "tsExpireMD5" with the rule `$(key)$(path)$(_t)`): the URL
 * gains `sign=<md5-hex(key + path + t)>&t=<expiry in hex seconds>`, and the CDN refuses it after the expiry.
 */
export function signPlayUrl(url: string, key: string, expireAt: number): string {
  const parsed = new URL(url);
  const t = expireAt.toString(16);
  const sign = createHash('md5').update(`${key}${parsed.pathname}${t}`).digest('hex');
  return `${url}${parsed.search ? '&' : '?'}sign=${sign}&t=${t}`;
}
