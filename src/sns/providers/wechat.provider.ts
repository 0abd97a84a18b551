import { SnsProvider, type SnsIdentity } from '#src/sns/sns-provider.js';
import {
  callProvider,
  codeRefused,
  idField,
  parseJsonObject,
  queryString,
  textField,
  upstreamFailed,
} from '#src/sns/providers/sns-http.js';

export interface WechatClientConfig {
  /** The website application's AppID (`appid`). */
  clientId: string;
  /** Its AppSecret (`secret`). */
  clientSecret: string;
  /** https://open.weixin.qq.com: the QR sign-in page. */
  authUrl: string;
  /** https://api.weixin.qq.com: token and userinfo. */
  apiUrl: string;
}

/** WeChat's errcodes for a code that cannot be exchanged: 40029 invalid code, 40163 code been used. */
const REFUSED_CODE_ERRORS = new Set(['40029', '40163']);

/**
 * WeChat website sign-in (Open Platform, `snsapi_login`): the authorize URL must carry its parameters in WeChat's
 * order and end in `#wechat_redirect`; the token call is a GET naming the app `appid` and `secret` (not client_id
 * and client_secret) and answers `openid` (per app) and, for apps of an Open Platform account, `unionid` (per
 * person across the account's apps); `sns/userinfo` wants the openid again. Every answer is JSON (labelled
 * text/plain) with HTTP 200, errors included: `{errcode, errmsg}`.
 */
export class WechatProvider extends SnsProvider {
  readonly name = 'wx';

  constructor(
    private readonly config: WechatClientConfig,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  authorizeUrl(state: string, redirectUri: string): string {
    return `${this.config.authUrl}/connect/qrconnect?${queryString({
      appid: this.config.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'snsapi_login',
      state,
    })}#wechat_redirect`;
  }

  // WeChat's token call takes no redirect_uri: a code is bound to the app's registered callback domain.
  async exchangeCode(code: string, _redirectUri: string): Promise<SnsIdentity> {
    const token = await this.get('sns/oauth2/access_token', {
      appid: this.config.clientId,
      secret: this.config.clientSecret,
      code,
      grant_type: 'authorization_code',
    });
    const tokenError = idField(token, 'errcode');
    if (tokenError && tokenError !== '0') {
      if (REFUSED_CODE_ERRORS.has(tokenError)) throw codeRefused('wx', tokenError);
      throw upstreamFailed('wx', 'token refused', tokenError);
    }
    const accessToken = idField(token, 'access_token');
    const openid = idField(token, 'openid');
    if (!accessToken || !openid) throw upstreamFailed('wx', 'malformed answer');

    const user = await this.get('sns/userinfo', { access_token: accessToken, openid });
    const userError = idField(user, 'errcode');
    if (userError && userError !== '0') throw upstreamFailed('wx', 'userinfo refused', userError);
    if (idField(user, 'openid') !== openid) throw upstreamFailed('wx', 'userinfo of another openid');
    const unionid = idField(token, 'unionid') ?? idField(user, 'unionid');
    return {
      provider: 'wx',
      subject: unionid ?? openid,
      formerSubjects: unionid ? [openid] : [],
      nickname: textField(user, 'nickname'),
      avatarUrl: textField(user, 'headimgurl'),
    };
  }

  private async get(path: string, params: Record<string, string>): Promise<Record<string, unknown>> {
    const { status, text } = await callProvider(
      'wx',
      `${this.config.apiUrl}/${path}?${queryString(params)}`,
      { method: 'GET' },
      this.timeoutMs,
    );
    if (status !== 200) throw upstreamFailed('wx', 'refused', `http ${status}`);
    return parseJsonObject('wx', text);
  }
}
