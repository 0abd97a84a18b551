import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerNuzzleUser, type NuzzleTestUser } from '#test/helpers/nuzzle.js';
import { postFeed } from '#test/helpers/nuzzle-content.js';
import { createTestApp, type TestApp } from '#test/helpers/test-app.js';

const MARKUP_NICKNAME = '<script>alert(1)</script>';
const MARKUP_WORDS = '"><script>alert("words")</script><img src=x onerror=alert(2)> & \'quotes\'';

/** The value of one meta tag, unescaped the way a browser would. */
function metaOf(html: string, key: string): string | undefined {
  const match = new RegExp(
    `<meta (?:property|name)="${key.replace(/[:.]/g, '\\$&')}" content="([^"]*)">`,
  ).exec(html);
  return match?.[1]
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('nuzzle /feed/share', () => {
  let t: TestApp;
  let author: NuzzleTestUser;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        DATA_DIR: `/tmp/concord-share-${process.pid}-${Date.now()}`,
        PUBLIC_BASE_URL: 'https://api.example.com',
      },
    });
    author = await registerNuzzleUser(t, { nickname: 'Jimmy' });
  });
  afterAll(async () => {
    await t.close();
  });

  const share = (query: Record<string, string>, method: 'GET' | 'POST' = 'GET') =>
    method === 'GET'
      ? t.http.get('/feed/share').query(query)
      : t.http.post('/feed/share').type('form').send(query);

  it.each(['GET', 'POST'] as const)(
    'should render a picture’s page with Open Graph and Twitter tags on %s',
    async (method) => {
      const feed = await postFeed(t, author, { words: 'hello world' });

      const res = await share({ type: 'pic', id: feed.id }, method);

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['cache-control']).toBe('public, max-age=60');
      const html = res.text;
      expect(metaOf(html, 'og:type')).toBe('article');
      expect(metaOf(html, 'og:title')).toBe('Jimmy 在 Nuzzle 的照片');
      expect(metaOf(html, 'og:description')).toBe('hello world');
      expect(metaOf(html, 'og:image')).toBe(feed.photoUrl);
      expect(metaOf(html, 'og:image:width')).toBe('320');
      expect(metaOf(html, 'og:image:height')).toBe('240');
      expect(metaOf(html, 'og:url')).toBe(`https://api.example.com/feed/share?type=pic&id=${feed.id}`);
      expect(metaOf(html, 'og:site_name')).toBe('Nuzzle');
      expect(metaOf(html, 'twitter:card')).toBe('summary_large_image');
      expect(metaOf(html, 'twitter:title')).toBe('Jimmy 在 Nuzzle 的照片');
      expect(metaOf(html, 'twitter:image')).toBe(feed.photoUrl);
      expect(metaOf(html, 'og:video')).toBeUndefined();
    },
  );

  it('should put a free video’s address in og:video', async () => {
    const feed = await postFeed(t, author, { type: 'video' });

    const html = (await share({ type: 'video', id: feed.id })).text;

    expect(metaOf(html, 'og:type')).toBe('video.other');
    expect(metaOf(html, 'og:video')).toBe(feed.videoUrl);
    expect(metaOf(html, 'og:video:type')).toBe('video/mp4');
    expect(metaOf(html, 'og:image')).toBe(feed.photoUrl);
    expect(html).toContain(`<video controls`);
  });

  it('should show a paid video’s cover and price, and no address of the video', async () => {
    const feed = await postFeed(t, author, { type: 'video', free: false, price: 12 });

    const html = (await share({ type: 'video', id: feed.id })).text;

    expect(metaOf(html, 'og:video')).toBeUndefined();
    expect(html).not.toContain(new URL(feed.videoUrl!).pathname.split('/').pop());
    expect(html).not.toContain('<video');
    expect(html).toContain('付费视频（12 金币）');
    expect(metaOf(html, 'og:image')).toBe(feed.photoUrl);
  });

  it('should render the app’s page without an id', async () => {
    const res = await share({ type: 'app' });

    expect(res.status).toBe(200);
    expect(metaOf(res.text, 'og:type')).toBe('website');
    expect(metaOf(res.text, 'og:title')).toContain('Nuzzle');
    expect(metaOf(res.text, 'twitter:card')).toBe('summary');
    expect(metaOf(res.text, 'og:url')).toBe('https://api.example.com/feed/share?type=app');
  });

  it('should escape markup in the nickname and the words everywhere on the page', async () => {
    const sly = await registerNuzzleUser(t, { nickname: MARKUP_NICKNAME });
    const feed = await postFeed(t, sly, { words: MARKUP_WORDS });

    const html = (await share({ type: 'pic', id: feed.id })).text;

    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(&quot;words&quot;)&lt;/script&gt;');
    expect(html).toContain('&amp; &#39;quotes&#39;');
    expect(metaOf(html, 'og:title')).toBe(`${MARKUP_NICKNAME} 在 Nuzzle 的照片`);
    expect(metaOf(html, 'og:description')).toBe(MARKUP_WORDS);
    expect(metaOf(html, 'twitter:description')).toBe(MARKUP_WORDS);
    // Every tag on the page is one of the page's own.
    const tags = new Set([...html.matchAll(/<([a-z]+)[\s>]/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(
      ['body', 'div', 'head', 'html', 'img', 'main', 'meta', 'p', 'strong', 'style', 'time', 'title'].sort(),
    );
  });

  it.each([
    ['a deleted feed', 'deleted'],
    ['a hidden feed', 'hidden'],
    ['an unknown id', 'unknown'],
    ['an id of letters', 'letters'],
    ['the wrong type', 'type'],
    ['no id', 'none'],
  ])('should answer the 404 page for %s', async (_label, how) => {
    const feed = await postFeed(t, author);
    const query: Record<string, string> = { type: 'pic', id: feed.id };
    if (how === 'deleted') await t.db.query(`UPDATE feeds SET deleted_at = now() WHERE id = $1`, [feed.id]);
    if (how === 'hidden') await t.db.query(`UPDATE feeds SET hidden_at = now() WHERE id = $1`, [feed.id]);
    if (how === 'unknown') query.id = '987654321';
    if (how === 'letters') query.id = '5775edc14568298ccd4fcca5';
    if (how === 'type') query.type = 'video';
    if (how === 'none') delete query.id;

    const res = await share(query);

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('内容不存在');
    expect(metaOf(res.text, 'robots')).toBe('noindex');
  });

  it('should answer PARAM_ERROR in the envelope for a missing or unknown type', async () => {
    expect((await share({ id: '1' })).body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
    expect((await share({ type: 'gif', id: '1' })).body).toEqual({ ret: 500, errcode: 'PARAM_ERROR' });
  });
});
