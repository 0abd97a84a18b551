import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { SnsProviderName } from '#src/sns/sns-provider.js';
import { SnsProviders } from '#src/sns/sns-providers.js';
import {
  FakeDouban,
  type FakeOAuthProvider,
  FakeQq,
  FakeWechat,
  FakeWeibo,
} from '#test/helpers/fake-sns-oauth.js';
import { domainOutcome } from '#test/sns/domain-outcome.js';
import { snsTestConfig } from '#test/sns/sns-test-kit.js';

const CALLBACK = 'https://account.moretv.test/sns/login/callback';

interface Case {
  name: SnsProviderName;
  start: () => Promise<FakeOAuthProvider>;
  /** Whether the provider compares redirect_uri at the token call (WeChat does not take one). */
  checksRedirectUri: boolean;
}

const CASES: Case[] = [
  { name: 'qq', start: () => FakeQq.start(), checksRedirectUri: true },
  { name: 'wb', start: () => FakeWeibo.start(), checksRedirectUri: true },
  { name: 'db', start: () => FakeDouban.start(), checksRedirectUri: true },
  { name: 'wx', start: () => FakeWechat.start(), checksRedirectUri: false },
];

describe.each(CASES)('SNS provider $name against its fake', ({ name, start, checksRedirectUri }) => {
  let fake: FakeOAuthProvider;
  let sut: SnsProviders;
  const redirectUri = `${CALLBACK}/${name}`;
  let people = 0;

  beforeAll(async () => {
    fake = await start();
    sut = SnsProviders.fromConfig(snsTestConfig(fake.env()));
  });
  afterAll(async () => {
    await fake.close();
  });

  /** A new person approves at the provider; returns the code the browser brings back. */
  const approve = async (state = `state-${name}`) => {
    fake.person = {
      id: `${5_000_000_000 + ++people}`,
      nickname: `人${people}`,
      avatar: `https://img.example/${name}/${people}.png`,
    };
    return fake.approve(sut.get(name).authorizeUrl(state, redirectUri));
  };

  it('should send the browser to the provider with the state and our callback, and come back with a code', async () => {
    const approval = await approve('the-state');
    expect(approval.state).toBe('the-state');
    expect(approval.redirectUri).toBe(redirectUri);
  });

  it('should exchange the code for the person’s id, nickname and avatar', async () => {
    const { code } = await approve();
    const identity = await sut.get(name).exchangeCode(code, redirectUri);
    expect(identity).toEqual({
      provider: name,
      subject: fake.person.id,
      formerSubjects: [],
      nickname: fake.person.nickname,
      avatarUrl: expect.stringContaining(fake.person.avatar),
    });
  });

  it('should refuse a replayed code as a bad code (INVALID_PARAMS), the provider refusing the second use', async () => {
    const { code } = await approve();
    await sut.get(name).exchangeCode(code, redirectUri);
    expect(await domainOutcome(sut.get(name).exchangeCode(code, redirectUri))).toEqual({
      code: 'INVALID_PARAMS',
      detail: { provider: name, reason: 'code', providerCode: expect.any(String) },
    });
  });

  it('should refuse a code the provider never issued as a bad code', async () => {
    expect(await domainOutcome(sut.get(name).exchangeCode('made-up-code', redirectUri))).toMatchObject({
      code: 'INVALID_PARAMS',
      detail: { reason: 'code' },
    });
  });

  it('should report a refused client secret as an upstream failure, naming neither code nor secret', async () => {
    const wrong = SnsProviders.fromConfig(
      snsTestConfig({ ...fake.env(), [`SNS_${name.toUpperCase()}_CLIENT_SECRET`]: 'not-the-secret' }),
    );
    const { code } = await approve();
    const error = await wrong
      .get(name)
      .exchangeCode(code, redirectUri)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('UPSTREAM_FAILED');
    const told = JSON.stringify({
      message: (error as DomainError).message,
      detail: (error as DomainError).detail,
    });
    expect(told).not.toContain(code);
    expect(told).not.toContain('not-the-secret');
    expect(told).not.toContain(fake.clientSecret);
  });

  if (checksRedirectUri) {
    it('should report a redirect_uri the provider did not see at the authorize page as an upstream failure', async () => {
      const { code } = await approve();
      expect(await domainOutcome(sut.get(name).exchangeCode(code, `${redirectUri}/other`))).toMatchObject({
        code: 'UPSTREAM_FAILED',
      });
    });
  }

  it('should report a provider that is down, or unreachable, as an upstream failure', async () => {
    const { code } = await approve();
    fake.down = true;
    try {
      expect(await domainOutcome(sut.get(name).exchangeCode(code, redirectUri))).toMatchObject({
        code: 'UPSTREAM_FAILED',
      });
    } finally {
      fake.down = false;
    }
    const closed = SnsProviders.fromConfig(
      snsTestConfig(
        Object.fromEntries(
          Object.entries(fake.env()).map(([k, v]) => [k, v.startsWith('http') ? 'http://127.0.0.1:9' : v]),
        ),
      ),
    );
    expect(await domainOutcome(closed.get(name).exchangeCode(code, redirectUri))).toMatchObject({
      code: 'UPSTREAM_FAILED',
      detail: { reason: 'unreachable' },
    });
  });
});

describe('SNS provider quirks', () => {
  it('QQ: should ask /oauth2.0/me for the openid and pass the app id as oauth_consumer_key', async () => {
    const qq = await FakeQq.start();
    try {
      const sut = SnsProviders.fromConfig(snsTestConfig(qq.env())).get('qq');
      const { code } = await qq.approve(sut.authorizeUrl('s', `${CALLBACK}/qq`));
      await sut.exchangeCode(code, `${CALLBACK}/qq`);
      const paths = qq.requests.map((r) => r.path);
      expect(paths).toEqual([
        '/oauth2.0/authorize',
        '/oauth2.0/token',
        '/oauth2.0/me',
        '/user/get_user_info',
      ]);
      expect(qq.requests[3].params).toMatchObject({ oauth_consumer_key: qq.clientId, openid: qq.person.id });
    } finally {
      await qq.close();
    }
  });

  it('Weibo: should post the token request as a form and read the uid from its answer', async () => {
    const wb = await FakeWeibo.start();
    try {
      const sut = SnsProviders.fromConfig(snsTestConfig(wb.env())).get('wb');
      const { code } = await wb.approve(sut.authorizeUrl('s', `${CALLBACK}/wb`));
      await sut.exchangeCode(code, `${CALLBACK}/wb`);
      const token = wb.requests.find((r) => r.path === '/oauth2/access_token')!;
      expect(token.method).toBe('POST');
      expect(token.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(wb.requests.find((r) => r.path === '/2/users/show.json')!.params.uid).toBe(wb.person.id);
    } finally {
      await wb.close();
    }
  });

  it('Douban: should fetch the profile from the API host with a Bearer token', async () => {
    const db = await FakeDouban.start();
    try {
      const sut = SnsProviders.fromConfig(snsTestConfig(db.env())).get('db');
      const { code } = await db.approve(sut.authorizeUrl('s', `${CALLBACK}/db`));
      await sut.exchangeCode(code, `${CALLBACK}/db`);
      const me = db.requests.find((r) => r.path === '/v2/user/~me')!;
      expect(me.headers.authorization).toMatch(/^Bearer [0-9a-f]{32}$/);
      expect(me.params).toEqual({});
    } finally {
      await db.close();
    }
  });

  describe('WeChat', () => {
    let wx: FakeWechat;
    beforeAll(async () => {
      wx = await FakeWechat.start();
    });
    afterAll(async () => {
      await wx.close();
    });

    it('should end the QR URL with #wechat_redirect and name the app appid/secret at the token call', async () => {
      const sut = SnsProviders.fromConfig(snsTestConfig(wx.env())).get('wx');
      const url = sut.authorizeUrl('s', `${CALLBACK}/wx`);
      expect(url.endsWith('#wechat_redirect')).toBe(true);
      const { code } = await wx.approve(url);
      await sut.exchangeCode(code, `${CALLBACK}/wx`);
      const token = wx.requests.find((r) => r.path === '/sns/oauth2/access_token')!;
      expect(Object.keys(token.params).sort()).toEqual(['appid', 'code', 'grant_type', 'secret']);
    });

    it('should key the person by unionid when WeChat gives one, keeping the openid as a former subject', async () => {
      const sut = SnsProviders.fromConfig(snsTestConfig(wx.env())).get('wx');
      wx.person = {
        id: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
        nickname: '微信用户',
        avatar: 'https://wx.example/a',
        unionid: 'o6_bmasdasdsad6_2sgVt7hMZOPfL',
      };
      const { code } = await wx.approve(sut.authorizeUrl('s', `${CALLBACK}/wx`));
      expect(await sut.exchangeCode(code, `${CALLBACK}/wx`)).toEqual({
        provider: 'wx',
        subject: 'o6_bmasdasdsad6_2sgVt7hMZOPfL',
        formerSubjects: ['o6_bmjrPTlm6_2sgVt7hMZOPfL2M'],
        nickname: '微信用户',
        avatarUrl: 'https://wx.example/a',
      });
    });
  });

  it('should refuse a type that is unknown or not configured', () => {
    const sut = SnsProviders.fromConfig(snsTestConfig({ SNS_QQ_CLIENT_ID: '1', SNS_QQ_CLIENT_SECRET: 'x' }));
    expect(sut.enabled).toEqual(['qq']);
    for (const type of ['wb', 'fb', 'QQ', '', undefined, ['qq']]) {
      expect(() => sut.get(type)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
    }
  });
});
