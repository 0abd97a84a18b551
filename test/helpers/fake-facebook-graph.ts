import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeFacebookUser {
  id: string;
  name: string;
  email?: string;
}

interface IssuedToken {
  appId: string;
  userId: string;
  type: 'USER' | 'PAGE';
  valid: boolean;
}

export interface GraphRequest {
  path: string;
  params: Record<string, string>;
}

/**
 * A stand-in for graph.facebook.com on 127.0.0.1, written from Graph's documents: `debug_token` wants an app token
 * (`<app_id>|<app_secret>`) of a known app and answers `{data: {is_valid, app_id, type, user_id, …}}` (an invalid
 * input token is `is_valid: false` with HTTP 200); `/me` refuses an unknown token with OAuthException 190 and a
 * wrong or missing `appsecret_proof` (HMAC-SHA256 of the token with the secret of the app the token belongs to)
 * with code 100, and answers the requested fields, `picture` as `{data: {url, …}}`.
 */
export class FakeFacebookGraph {
  readonly requests: GraphRequest[] = [];
  /** When set, every request answers HTTP 500. */
  down = false;
  private readonly apps = new Map<string, string>();
  private readonly users = new Map<string, FakeFacebookUser>();
  private readonly tokens = new Map<string, IssuedToken>();
  private server!: Server;

  private constructor(
    readonly appId: string,
    readonly appSecret: string,
    readonly version: string,
  ) {
    this.apps.set(appId, appSecret);
  }

  static async start(appId = '1234567890123456', appSecret = 'fb-app-secret', version = 'v21.0') {
    const fake = new FakeFacebookGraph(appId, appSecret, version);
    fake.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const params = Object.fromEntries(url.searchParams.entries());
      fake.requests.push({ path: url.pathname, params });
      const [status, body] = fake.down
        ? [500, { error: { message: 'down', code: 2 } }]
        : fake.route(url.pathname, params);
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      FACEBOOK_APP_ID: this.appId,
      FACEBOOK_APP_SECRET: this.appSecret,
      FACEBOOK_GRAPH_URL: this.url,
      FACEBOOK_GRAPH_VERSION: this.version,
      ...overrides,
    };
  }

  /** Another app registered at Facebook (whose tokens must not sign in to ours). */
  addApp(appId: string, appSecret: string): void {
    this.apps.set(appId, appSecret);
  }

  addUser(user: FakeFacebookUser): void {
    this.users.set(user.id, user);
  }

  /** A user access token as Facebook Login hands it to an app's client. */
  issueToken(userId: string, options: Partial<Omit<IssuedToken, 'userId'>> = {}): string {
    const token = `EAA${randomBytes(24).toString('hex')}`;
    this.tokens.set(token, { appId: this.appId, type: 'USER', valid: true, ...options, userId });
    return token;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private oauthError(message: string, code = 190): [number, unknown] {
    return [400, { error: { message, type: 'OAuthException', code, fbtrace_id: 'fake' } }];
  }

  private route(path: string, params: Record<string, string>): [number, unknown] {
    const prefix = `/${this.version}/`;
    if (!path.startsWith(prefix)) return this.oauthError('Unknown path components', 2500);
    const node = path.slice(prefix.length);
    if (node === 'debug_token') return this.debugToken(params);
    if (node === 'me') return this.me(params);
    return this.oauthError('Unknown path components', 2500);
  }

  private debugToken(params: Record<string, string>): [number, unknown] {
    const [appId, secret] = (params.access_token ?? '').split('|');
    if (!appId || this.apps.get(appId) !== secret)
      return this.oauthError('Invalid OAuth access token signature.');
    const token = this.tokens.get(params.input_token ?? '');
    if (!token || !token.valid) {
      return [
        200,
        {
          data: {
            error: { code: 190, message: 'Invalid OAuth access token - Cannot parse access token' },
            is_valid: false,
            scopes: [],
          },
        },
      ];
    }
    return [
      200,
      {
        data: {
          app_id: token.appId,
          type: token.type,
          application: `App ${token.appId}`,
          data_access_expires_at: 1_900_000_000,
          expires_at: 1_900_000_000,
          is_valid: true,
          scopes: ['email', 'public_profile'],
          user_id: token.userId,
        },
      },
    ];
  }

  private me(params: Record<string, string>): [number, unknown] {
    const token = this.tokens.get(params.access_token ?? '');
    if (!token || !token.valid) return this.oauthError('Invalid OAuth access token data.');
    const secret = this.apps.get(token.appId)!;
    const proof = createHmac('sha256', secret).update(params.access_token).digest('hex');
    if (params.appsecret_proof !== proof) {
      return [
        400,
        {
          error: {
            message: 'Invalid appsecret_proof provided in the API argument',
            type: 'GraphMethodException',
            code: 100,
          },
        },
      ];
    }
    const user = this.users.get(token.userId)!;
    const fields = (params.fields ?? 'id,name').split(',');
    const all: Record<string, unknown> = {
      id: user.id,
      name: user.name,
      ...(user.email ? { email: user.email } : {}),
      picture: {
        data: {
          height: 50,
          is_silhouette: false,
          url: `https://platform-lookaside.fbsbx.example/${user.id}/picture`,
          width: 50,
        },
      },
    };
    return [200, Object.fromEntries(Object.entries(all).filter(([k]) => fields.includes(k)))];
  }
}
