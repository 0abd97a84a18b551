import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A person at the provider. `id` is QQ's openid, Weibo's uid, Douban's user id or WeChat's openid. */
export interface FakeSnsPerson {
  id: string;
  nickname: string;
  avatar: string;
  /** WeChat (and QQ on request): the id across an Open Platform account's apps. */
  unionid?: string;
}

export interface ProviderRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
}

interface Answer {
  status: number;
  type?: string;
  body: string;
  location?: string;
}

interface IssuedCode {
  person: FakeSnsPerson;
  redirectUri: string;
  used: boolean;
}

/** What a browser brings back to the callback after approving at the provider. */
export interface Approval {
  code: string;
  state: string;
  /** The callback URL the provider redirected to, without its query. */
  redirectUri: string;
}

/**
 * The common part of the four OAuth fakes: an HTTP server on 127.0.0.1, codes that can be redeemed once (and are
 * refused the provider's way after that), tokens, and `approve`, which plays the browser at the authorize page.
 * Each provider's quirks are written here again on purpose, from the providers' documents: the fakes must not
 * trust the adapters' code.
 */
export abstract class FakeOAuthProvider {
  /** Who approves at the authorize page next. */
  person: FakeSnsPerson = { id: 'person-1', nickname: '小明', avatar: 'https://img.example/1.png' };
  /** When set, every request answers HTTP 502 with an HTML page, as a provider's gateway does when it is down. */
  down = false;
  readonly requests: ProviderRequest[] = [];
  protected readonly codes = new Map<string, IssuedCode>();
  protected readonly tokens = new Map<string, FakeSnsPerson>();
  private server!: Server;

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  protected static async listen<T extends FakeOAuthProvider>(fake: T): Promise<T> {
    fake.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const params = Object.fromEntries(url.searchParams.entries());
        if (req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
          Object.assign(
            params,
            Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))),
          );
        }
        const request = { method: req.method ?? 'GET', path: url.pathname, params, headers: req.headers };
        fake.requests.push(request);
        const answer: Answer = fake.down
          ? { status: 502, type: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' }
          : fake.route(request, url);
        res.writeHead(answer.status, {
          'content-type': answer.type ?? 'application/json;charset=UTF-8',
          ...(answer.location ? { location: answer.location } : {}),
        });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  abstract env(): Record<string, string>;

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Opens the authorize URL as a browser would, approves as `person`, and reads the redirect back. */
  async approve(authorizeUrl: string): Promise<Approval> {
    const response = await fetch(authorizeUrl, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status !== 302 || !location) {
      throw new Error(`the provider did not redirect back: ${response.status} ${await response.text()}`);
    }
    const back = new URL(location);
    const code = back.searchParams.get('code');
    const state = back.searchParams.get('state');
    if (!code || state === null) throw new Error(`no code or state in ${location}`);
    return { code, state, redirectUri: `${back.origin}${back.pathname}` };
  }

  /** The person declines: the provider still sends the browser back, without a code. */
  decline(authorizeUrl: string): { state: string } {
    const params = new URL(authorizeUrl).searchParams;
    return { state: params.get('state') ?? '' };
  }

  protected abstract route(request: ProviderRequest, url: URL): Answer;

  /** The authorize page: checks what every provider checks, then redirects back with a fresh code and the state. */
  protected authorize(params: Record<string, string>, clientIdParam: string): Answer {
    if (params[clientIdParam] !== this.clientId) {
      return { status: 200, type: 'text/html', body: '<html>unknown app</html>' };
    }
    if (params.response_type !== 'code' || !params.redirect_uri || !params.state) {
      return { status: 200, type: 'text/html', body: '<html>bad request</html>' };
    }
    const code = randomBytes(12).toString('hex');
    this.codes.set(code, { person: this.person, redirectUri: params.redirect_uri, used: false });
    const back = new URL(params.redirect_uri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', params.state);
    return { status: 302, body: '', location: back.toString() };
  }

  /** 'unknown' | 'used' | 'redirect' (another redirect_uri than at the authorize page) or the code's grant. */
  protected redeem(
    code: string | undefined,
    redirectUri: string | null,
  ): IssuedCode | 'unknown' | 'used' | 'redirect' {
    const issued = code ? this.codes.get(code) : undefined;
    if (!issued) return 'unknown';
    if (issued.used) return 'used';
    if (redirectUri !== null && redirectUri !== issued.redirectUri) return 'redirect';
    issued.used = true;
    return issued;
  }

  protected newToken(person: FakeSnsPerson): string {
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, person);
    return token;
  }
}

const json = (status: number, body: unknown, type?: string): Answer => ({
  status,
  type,
  body: JSON.stringify(body),
});

/**
 * graph.qq.com: token answered form-encoded (text/html) on success and `callback( {...} );` on failure, with HTTP
 * 200 either way (100019 code error, 100020 code reused, 100009 bad secret); `/oauth2.0/me` answers JSONP with
 * client_id and openid; `/user/get_user_info` wants oauth_consumer_key and answers JSON as text/html, `ret` 0.
 */
export class FakeQq extends FakeOAuthProvider {
  static start(clientId = '101234567', clientSecret = 'qq-app-key'): Promise<FakeQq> {
    return FakeOAuthProvider.listen(new FakeQq(clientId, clientSecret));
  }

  env(): Record<string, string> {
    return {
      SNS_QQ_CLIENT_ID: this.clientId,
      SNS_QQ_CLIENT_SECRET: this.clientSecret,
      SNS_QQ_BASE_URL: this.url,
    };
  }

  private jsonp(body: unknown): Answer {
    return { status: 200, type: 'text/html', body: `callback( ${JSON.stringify(body)} );\n` };
  }

  protected route({ method, path, params }: ProviderRequest): Answer {
    if (method === 'GET' && path === '/oauth2.0/authorize') return this.authorize(params, 'client_id');
    if (method === 'GET' && path === '/oauth2.0/token') {
      if (params.grant_type !== 'authorization_code')
        return this.jsonp({ error: 100004, error_description: 'param grant_type is wrong' });
      if (params.client_id !== this.clientId || params.client_secret !== this.clientSecret) {
        return this.jsonp({ error: 100009, error_description: 'client secret is illegal' });
      }
      const grant = this.redeem(params.code, params.redirect_uri ?? '');
      if (grant === 'used') return this.jsonp({ error: 100020, error_description: 'code is reused error' });
      if (grant === 'unknown')
        return this.jsonp({ error: 100019, error_description: 'code to access token error' });
      if (grant === 'redirect')
        return this.jsonp({ error: 100010, error_description: 'redirect uri is illegal' });
      const token = this.newToken(grant.person);
      return {
        status: 200,
        type: 'text/html',
        body: `access_token=${token}&expires_in=7776000&refresh_token=${randomBytes(16).toString('hex')}`,
      };
    }
    if (method === 'GET' && path === '/oauth2.0/me') {
      const person = this.tokens.get(params.access_token ?? '');
      if (!person) return this.jsonp({ error: 100016, error_description: 'access token check failed' });
      return this.jsonp({ client_id: this.clientId, openid: person.id });
    }
    if (method === 'GET' && path === '/user/get_user_info') {
      const person = this.tokens.get(params.access_token ?? '');
      if (!person || params.openid !== person.id || params.oauth_consumer_key !== this.clientId) {
        return json(200, { ret: 1002, msg: '请先登录' }, 'text/html');
      }
      return json(
        200,
        {
          ret: 0,
          msg: '',
          is_lost: 0,
          nickname: person.nickname,
          gender: '男',
          figureurl: `${person.avatar}?s=30`,
          figureurl_qq_1: `${person.avatar}?s=40`,
          figureurl_qq_2: `${person.avatar}?s=100`,
        },
        'text/html',
      );
    }
    return json(404, { ret: -1, msg: 'not found' });
  }
}

/**
 * api.weibo.com: the token is a POST (form) answering `uid` as a string; errors are JSON `{error, error_code}` with
 * HTTP 400 (21325 invalid_grant for an unknown or used code, 21324 invalid_client); `2/users/show.json` answers the
 * id as a number and as `idstr`.
 */
export class FakeWeibo extends FakeOAuthProvider {
  static start(clientId = '3456789012', clientSecret = 'weibo-app-secret'): Promise<FakeWeibo> {
    return FakeOAuthProvider.listen(new FakeWeibo(clientId, clientSecret));
  }

  env(): Record<string, string> {
    return {
      SNS_WB_CLIENT_ID: this.clientId,
      SNS_WB_CLIENT_SECRET: this.clientSecret,
      SNS_WB_BASE_URL: this.url,
    };
  }

  private error(status: number, error: string, code: number, request: string): Answer {
    return json(status, { error, error_code: code, request, error_uri: request, error_description: error });
  }

  protected route({ method, path, params }: ProviderRequest): Answer {
    if (method === 'GET' && path === '/oauth2/authorize') return this.authorize(params, 'client_id');
    if (path === '/oauth2/access_token') {
      if (method !== 'POST')
        return this.error(400, 'HTTP METHOD is not suported for this request!', 10021, path);
      if (params.client_id !== this.clientId || params.client_secret !== this.clientSecret) {
        return this.error(400, 'invalid_client', 21324, path);
      }
      if (params.grant_type !== 'authorization_code')
        return this.error(400, 'unsupported_grant_type', 21328, path);
      const grant = this.redeem(params.code, params.redirect_uri ?? '');
      if (grant === 'redirect') return this.error(400, 'redirect_uri_mismatch', 21322, path);
      if (typeof grant === 'string') return this.error(400, 'invalid_grant', 21325, path);
      return json(200, {
        access_token: this.newToken(grant.person),
        expires_in: 157679999,
        remind_in: '157679999',
        uid: grant.person.id,
        isRealName: 'true',
      });
    }
    if (method === 'GET' && path === '/2/users/show.json') {
      const person = this.tokens.get(params.access_token ?? '');
      if (!person) return this.error(403, 'invalid_access_token', 21332, path);
      if (params.uid !== person.id) return this.error(400, 'User does not exists!', 20003, path);
      return json(200, {
        id: Number(person.id),
        idstr: person.id,
        screen_name: person.nickname,
        name: person.nickname,
        profile_image_url: `${person.avatar}?s=50`,
        avatar_large: `${person.avatar}?s=180`,
      });
    }
    return this.error(404, 'not found', 10000, path);
  }
}

/**
 * www.douban.com/service/auth2 + api.douban.com: the token (form POST) names the person `douban_user_id`; errors
 * are `{msg, code, request}` (118 invalid_authorization_code, 116 client_secret_mismatch, 117 redirect_uri_mismatch);
 * the profile is on the API host and wants `Authorization: Bearer`.
 */
export class FakeDouban extends FakeOAuthProvider {
  static start(
    clientId = '0b5405e19c58e4cc21fc11a4d50aae64',
    clientSecret = 'douban-secret',
  ): Promise<FakeDouban> {
    return FakeOAuthProvider.listen(new FakeDouban(clientId, clientSecret));
  }

  env(): Record<string, string> {
    return {
      SNS_DB_CLIENT_ID: this.clientId,
      SNS_DB_CLIENT_SECRET: this.clientSecret,
      SNS_DB_AUTH_URL: this.url,
      SNS_DB_API_URL: this.url,
    };
  }

  private error(status: number, msg: string, code: number, request: string): Answer {
    return json(status, { msg, code, request });
  }

  protected route({ method, path, params, headers }: ProviderRequest): Answer {
    if (method === 'GET' && path === '/service/auth2/auth') return this.authorize(params, 'client_id');
    if (path === '/service/auth2/token') {
      const request = `${method} /service/auth2/token`;
      if (method !== 'POST') return this.error(400, 'invalid_request_method', 101, request);
      if (params.client_id !== this.clientId) return this.error(400, 'invalid_apikey', 104, request);
      if (params.client_secret !== this.clientSecret)
        return this.error(400, 'client_secret_mismatch', 116, request);
      if (params.grant_type !== 'authorization_code')
        return this.error(400, 'unsupported_grant_type', 114, request);
      const grant = this.redeem(params.code, params.redirect_uri ?? '');
      if (grant === 'redirect') return this.error(400, 'redirect_uri_mismatch', 117, request);
      if (typeof grant === 'string') return this.error(400, 'invalid_authorization_code', 118, request);
      return json(200, {
        access_token: this.newToken(grant.person),
        expires_in: 3920,
        refresh_token: randomBytes(16).toString('hex'),
        douban_user_id: grant.person.id,
      });
    }
    if (method === 'GET' && path === '/v2/user/~me') {
      const token = /^Bearer (\S+)$/.exec(headers.authorization ?? '')?.[1];
      const person = token ? this.tokens.get(token) : undefined;
      if (!person) return this.error(403, 'invalid_access_token', 103, 'GET /v2/user/~me');
      return json(200, {
        id: person.id,
        uid: `user${person.id}`,
        name: person.nickname,
        avatar: `${person.avatar}?s=small`,
        large_avatar: `${person.avatar}?s=large`,
        alt: `https://www.douban.com/people/${person.id}/`,
      });
    }
    return this.error(404, 'invalid_request_uri', 107, `${method} ${path}`);
  }
}

/**
 * open.weixin.qq.com + api.weixin.qq.com: the QR page checks its parameters are in WeChat's order; the token call is
 * a GET with `appid` and `secret`; every answer is HTTP 200 JSON labelled text/plain, errors `{errcode, errmsg}`
 * (40029 invalid code, 40163 code been used, 40125 invalid appsecret); `unionid` is answered when the person has
 * one (set `person.unionid`).
 */
export class FakeWechat extends FakeOAuthProvider {
  static start(clientId = 'wx1234567890abcdef', clientSecret = 'wechat-app-secret'): Promise<FakeWechat> {
    return FakeOAuthProvider.listen(new FakeWechat(clientId, clientSecret));
  }

  env(): Record<string, string> {
    return {
      SNS_WX_CLIENT_ID: this.clientId,
      SNS_WX_CLIENT_SECRET: this.clientSecret,
      SNS_WX_AUTH_URL: this.url,
      SNS_WX_API_URL: this.url,
    };
  }

  private answer(body: unknown): Answer {
    return json(200, body, 'text/plain');
  }

  protected route({ method, path, params }: ProviderRequest, url: URL): Answer {
    if (method === 'GET' && path === '/connect/qrconnect') {
      const order = [...url.searchParams.keys()].join(',');
      if (order !== 'appid,redirect_uri,response_type,scope,state' || params.scope !== 'snsapi_login') {
        return { status: 200, type: 'text/html', body: '<html>参数错误</html>' };
      }
      return this.authorize(params, 'appid');
    }
    if (method === 'GET' && path === '/sns/oauth2/access_token') {
      if (params.appid !== this.clientId) return this.answer({ errcode: 40013, errmsg: 'invalid appid' });
      if (params.secret !== this.clientSecret)
        return this.answer({ errcode: 40125, errmsg: 'invalid appsecret' });
      if (params.grant_type !== 'authorization_code')
        return this.answer({ errcode: 40002, errmsg: 'invalid grant_type' });
      // WeChat's token call carries no redirect_uri.
      const grant = this.redeem(params.code, null);
      if (grant === 'used') return this.answer({ errcode: 40163, errmsg: 'code been used' });
      if (typeof grant === 'string') return this.answer({ errcode: 40029, errmsg: 'invalid code' });
      return this.answer({
        access_token: this.newToken(grant.person),
        expires_in: 7200,
        refresh_token: randomBytes(16).toString('hex'),
        openid: grant.person.id,
        scope: 'snsapi_login',
        ...(grant.person.unionid ? { unionid: grant.person.unionid } : {}),
      });
    }
    if (method === 'GET' && path === '/sns/userinfo') {
      const person = this.tokens.get(params.access_token ?? '');
      if (!person)
        return this.answer({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid' });
      if (params.openid !== person.id) return this.answer({ errcode: 40003, errmsg: 'invalid openid' });
      return this.answer({
        openid: person.id,
        nickname: person.nickname,
        sex: 1,
        province: '',
        city: '',
        country: 'CN',
        headimgurl: person.avatar,
        privilege: [],
        ...(person.unionid ? { unionid: person.unionid } : {}),
      });
    }
    return this.answer({ errcode: 40066, errmsg: 'invalid url' });
  }
}
