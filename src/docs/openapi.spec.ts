import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { generateOpenApiDocuments, serializeOpenApi } from '#src/docs/openapi-snapshot.js';

describe('committed OpenAPI documents', () => {
  it('should match what the code generates (run `npm run openapi` and commit openapi/ when this fails)', async () => {
    const documents = await generateOpenApiDocuments();
    expect(Object.keys(documents).sort()).toEqual([
      'moretv',
      'mrpyq',
      'nggirl',
      'nuzzle',
      'platform',
      'xiaoma',
    ]);
    for (const [name, document] of Object.entries(documents)) {
      const committed = await readFile(join('openapi', `${name}.json`), 'utf8').catch(() => '(missing)');
      expect({ name, spec: serializeOpenApi(document) }).toEqual({ name, spec: committed });
    }
  });

  it('should document the envelope and every documented error code of each nuzzle passport route', async () => {
    const { nuzzle } = await generateOpenApiDocuments();
    const login = (nuzzle.paths['/passport/email/login'] as Record<string, Record<string, unknown>>).post;
    expect(login['x-error-codes']).toEqual([
      { code: 'PARAM_ERROR', domainCode: 'INVALID_PARAMS', message: '参数错误' },
      { code: 'PASSWD_NOT_MATCH', domainCode: 'BAD_CREDENTIALS', message: '密码不匹配' },
      { code: 'USER_IS_CANCELED', domainCode: 'ACCOUNT_DISABLED', message: '用户被封禁' },
      { code: 'NOT_ALLOWED', domainCode: 'ACCOUNT_LOCKED', message: '不允许的操作' },
      { code: 'NOT_ALLOWED', domainCode: 'RATE_LIMITED', message: '不允许的操作' },
    ]);
    const profile = nuzzle.paths['/user/profile'] as Record<
      string,
      { parameters?: Array<{ name: string; in: string }> }
    >;
    expect(Object.keys(profile).sort()).toEqual(['get', 'post']);
    expect(profile.get.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['query:userId', 'query:tz', 'query:pf', 'query:locale']),
    );
    expect(Object.keys(nuzzle.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['NuzzleAccount', 'NuzzleUser', 'NuzzleEmailRegisterDto']),
    );
  });

  it('should document nuzzle’s content routes with their methods and codes', async () => {
    const { nuzzle, platform } = await generateOpenApiDocuments();
    const paths = nuzzle.paths as Record<string, Record<string, Record<string, unknown>>>;
    for (const path of [
      '/feed/post',
      '/feed/list',
      '/feed/detail',
      '/feed/delete',
      '/feed/report',
      '/feed/share',
    ]) {
      expect({ path, methods: Object.keys(paths[path]).sort() }).toEqual({ path, methods: ['get', 'post'] });
    }
    expect(Object.keys(paths['/star/list'])).toEqual(['post']);
    expect(Object.keys(paths['/star/feed/list'])).toEqual(['post']);
    expect(paths['/feed/delete'].post['x-error-codes']).toEqual(
      expect.arrayContaining([
        { code: 'NOT_ALLOWED', domainCode: 'FORBIDDEN', message: '不允许的操作' },
        { code: 'USER_BOUGHT', domainCode: 'ALREADY_PURCHASED', message: '已有用户购买' },
      ]),
    );
    expect(paths['/user/modify/profile'].post['x-error-codes']).toEqual(
      expect.arrayContaining([
        { code: 'NICKNAME_IS_INVALID', domainCode: 'NICKNAME_INVALID', message: '昵称不合法' },
      ]),
    );
    expect(Object.keys(paths['/aws/store/token']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(nuzzle.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['NuzzleFeed', 'NuzzleStar', 'NuzzleStarTaggedFeeds', 'NuzzleFeedPostDto']),
    );
    expect(Object.keys(platform.paths)).toEqual(
      expect.arrayContaining([
        '/media/upload',
        '/media/signed/{key}',
        '/admin/feed-reports',
        '/admin/users/{id}/star',
      ]),
    );
  });
});
