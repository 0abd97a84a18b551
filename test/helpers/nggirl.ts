import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '#src/common/time/clock.js';
import type { TestApp } from '#test/helpers/test-app.js';

export const NGGIRL_PATH = '/nggirl/app/bus/phoneUser';
export const TEST_APP_ID = 'app1';
export const TEST_APP_SECRET = 'nggirl-e2e-app-secret-0123456789';
export const LEGACY_APP_ID = 'legacy';

/** What an nggirl suite configures: two apps (one in its migration period), echoed codes, budgets out of the way. */
export function nggirlEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NGGIRL_APPS: `${TEST_APP_ID}:${TEST_APP_SECRET},${LEGACY_APP_ID}:${TEST_APP_SECRET}-legacy:unsigned`,
    IM_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    VERIFICATION_ECHO_CODE: 'true',
    VERIFICATION_RESEND_COOLDOWN: '0s',
    VERIFICATION_MAX_PER_HOUR: '1000',
    VERIFICATION_MAX_PER_DAY: '1000',
    VERIFICATION_MAX_PER_IP_PER_HOUR: '100000',
    VERIFICATION_CHECKS_PER_IP_PER_HOUR: '100000',
    ...extra,
  };
}

export type Params = Record<string, unknown>;

/**
 * The string to sign, written again here from docs/dialects/nggirl.md (not imported from src): every parameter but
 * `sign`, a non-string as its JSON text, sorted by the UTF-8 bytes of name then value, `name=value` joined by `&`.
 */
export function canonical(params: Params): string {
  const bytes = (text: string) => Buffer.from(text, 'utf8');
  return Object.entries(params)
    .filter(([name, value]) => name !== 'sign' && value !== undefined)
    .map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)] as const)
    .sort(([a, av], [b, bv]) => Buffer.compare(bytes(a), bytes(b)) || Buffer.compare(bytes(av), bytes(bv)))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export interface SignOptions {
  appId?: string;
  secret?: string;
  nonce?: string;
  /** Unix seconds; by default the clock's now (or the machine's). */
  timestamp?: number | string;
  clock?: Clock;
}

/** `params` with app_id, nonce, timestamp and sign, as a client sends them. */
export function sign(params: Params, options: SignOptions = {}): Params {
  const now = options.clock ? options.clock.now().getTime() : Date.now();
  const all: Params = {
    ...params,
    app_id: options.appId ?? TEST_APP_ID,
    nonce: options.nonce ?? randomBytes(12).toString('hex'),
    timestamp: String(options.timestamp ?? Math.floor(now / 1000)),
  };
  return {
    ...all,
    sign: createHmac('sha256', options.secret ?? TEST_APP_SECRET)
      .update(canonical(all), 'utf8')
      .digest('hex'),
  };
}

/** Query-string values must be text: a non-string travels as its JSON text, as it was signed. */
function asText(params: Params): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}

export type Transport = 'query' | 'form' | 'json' | 'multipart';

/** An nggirl client signing every request: `call` signs and sends, `send` sends what it is given as it is. */
export class NggirlClient {
  constructor(
    readonly t: TestApp,
    readonly options: SignOptions = {},
  ) {}

  call(route: string, params: Params = {}, transport: Transport = 'form', signOptions: SignOptions = {}) {
    return this.send(route, sign(params, { ...this.options, ...signOptions }), transport);
  }

  /** GET with every parameter in the query string, as the document's examples are written. */
  get(route: string, params: Params = {}, signOptions: SignOptions = {}) {
    return this.send(route, sign(params, { ...this.options, ...signOptions }), 'get');
  }

  send(route: string, params: Params, transport: Transport | 'get') {
    const path = `${NGGIRL_PATH}/${route}`;
    switch (transport) {
      case 'get':
        return this.t.http.get(path).query(asText(params));
      case 'query':
        return this.t.http.post(path).query(asText(params));
      case 'form':
        return this.t.http.post(path).type('form').send(asText(params));
      case 'json':
        return this.t.http.post(path).send(params);
      case 'multipart': {
        let req = this.t.http.post(path);
        for (const [name, value] of Object.entries(asText(params))) req = req.field(name, value);
        return req;
      }
    }
  }

  /** `uploadImage`: the signed fields and the file. */
  upload(file: Buffer, params: Params, filename = 'photo.png') {
    let req = this.t.http.post(`${NGGIRL_PATH}/uploadImage`);
    for (const [name, value] of Object.entries(asText(sign(params, this.options)))) {
      req = req.field(name, value);
    }
    return req.attach('file', file, { filename, contentType: 'image/png' });
  }
}

export interface NggirlTokens {
  userId: number;
  accessToken: string;
  refreshToken: string;
  expireTime: number;
  imAccount: string;
  imPassword: string;
}

let phones = 0;

/** A fresh mainland number per call (every suite has a database of its own). */
export function newPhone(): string {
  return `137${String(process.pid % 10000).padStart(4, '0')}${String(++phones).padStart(4, '0')}`;
}

/** md5 hex, as the nggirl client sends passwords. */
export { md5Hex as md5 } from '#src/auth/password-digest.js';

/** An nggirl account through the API (getCode, then create), in one line. Needs VERIFICATION_ECHO_CODE on. */
export async function registerNggirlUser(
  client: NggirlClient,
  passwordMd5 = 'e10adc3949ba59abbe56e057f20f883e',
): Promise<{ phone: string; tokens: NggirlTokens }> {
  const phone = newPhone();
  const sent = await client.call('getCode', { phoneNum: phone });
  const code = (sent.body as { data?: { code?: string } }).data?.code;
  if (!code) throw new Error(`getCode echoed no code: ${JSON.stringify(sent.body)}`);
  const res = await client.call('create', { phoneNum: phone, password: passwordMd5, code });
  const data = (res.body as { code: number; data: NggirlTokens | null }).data;
  if (!data?.accessToken) throw new Error(`create failed: ${JSON.stringify(res.body)}`);
  return { phone, tokens: data };
}

/** A PNG of one pixel: the image uploads' smallest real input. */
export async function tinyPng(): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp({
    create: { width: 2, height: 2, channels: 3, background: { r: 200, g: 100, b: 50 } },
  })
    .png()
    .toBuffer();
}
