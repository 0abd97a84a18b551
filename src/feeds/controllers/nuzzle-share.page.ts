import type { FeedView } from '#src/feeds/feeds.service.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every text and address that reaches the page goes through this: nicknames and words are typed by people. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const SITE = 'Nuzzle';
const DESCRIPTION_LENGTH = 200;

function truncate(text: string, length: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > length ? `${chars.slice(0, length - 1).join('')}…` : chars.join('');
}

function meta(attribute: 'property' | 'name', key: string, value: string | number): string {
  return `<meta ${attribute}="${escapeHtml(key)}" content="${escapeHtml(String(value))}">`;
}

function videoTypeOf(url: string): string {
  const path = url.split('?')[0].toLowerCase();
  if (path.endsWith('.webm')) return 'video/webm';
  if (path.endsWith('.mov')) return 'video/quicktime';
  return 'video/mp4';
}

function page(head: string[], title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
${head.join('\n')}
<style>
body{margin:0;font:16px/1.5 -apple-system,"PingFang SC","Helvetica Neue",Arial,sans-serif;background:#111;color:#eee}
main{max-width:640px;margin:0 auto;padding:16px}
img,video{display:block;width:100%;height:auto;border-radius:8px;background:#222}
.author{display:flex;align-items:center;gap:8px;margin:12px 0}
.author img{width:36px;height:36px;border-radius:50%}
.words{white-space:pre-wrap;word-break:break-word}
.note{color:#aaa;font-size:14px}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** A shared picture or video: Open Graph and Twitter card tags for link previews, and a small page for people. */
export function feedSharePage(feed: FeedView, pageUrl: string): string {
  const kind = feed.type === 'video' ? '视频' : '照片';
  const title = `${feed.author.nickname} 在 ${SITE} 的${kind}`;
  const description = truncate(feed.words, DESCRIPTION_LENGTH) || `${SITE} 上的${kind}`;
  const head = [
    meta('property', 'og:site_name', SITE),
    meta('property', 'og:type', feed.type === 'video' ? 'video.other' : 'article'),
    meta('property', 'og:title', title),
    meta('property', 'og:description', description),
    meta('property', 'og:url', pageUrl),
    meta('property', 'og:image', feed.photoUrl),
    meta('property', 'og:image:width', feed.width),
    meta('property', 'og:image:height', feed.height),
    meta('name', 'twitter:card', 'summary_large_image'),
    meta('name', 'twitter:title', title),
    meta('name', 'twitter:description', description),
    meta('name', 'twitter:image', feed.photoUrl),
  ];
  // A paid video has no address here: the page is what anyone signed out sees.
  const playable = feed.type === 'video' && feed.videoUrl !== '';
  if (playable) {
    head.push(
      meta('property', 'og:video', feed.videoUrl),
      meta('property', 'og:video:type', videoTypeOf(feed.videoUrl)),
      meta('property', 'og:video:width', feed.width),
      meta('property', 'og:video:height', feed.height),
    );
  }
  const media = playable
    ? `<video controls playsinline preload="none" poster="${escapeHtml(feed.photoUrl)}" src="${escapeHtml(feed.videoUrl)}"></video>`
    : `<img src="${escapeHtml(feed.photoUrl)}" alt="${escapeHtml(description)}" width="${feed.width}" height="${feed.height}">`;
  const paidNote =
    feed.type === 'video' && !playable
      ? `<p class="note">付费视频（${feed.price} 金币），请在 ${SITE} App 中观看。</p>`
      : '';
  const avatar = feed.author.avatarUrl ? `<img src="${escapeHtml(feed.author.avatarUrl)}" alt="">` : '';
  const body = `${media}
${paidNote}
<div class="author">${avatar}<strong>${escapeHtml(feed.author.nickname)}</strong></div>
<p class="words">${escapeHtml(feed.words)}</p>
<p class="note"><time datetime="${feed.publishedAt.toISOString()}">${feed.publishedAt.toISOString().slice(0, 10)}</time></p>`;
  return page(head, title, body);
}

/** Sharing the app itself. */
export function appSharePage(pageUrl: string): string {
  const title = `${SITE} — 明星的独家照片和视频`;
  const description = `下载 ${SITE}，关注你喜欢的明星，看首发和独家内容。`;
  const head = [
    meta('property', 'og:site_name', SITE),
    meta('property', 'og:type', 'website'),
    meta('property', 'og:title', title),
    meta('property', 'og:description', description),
    meta('property', 'og:url', pageUrl),
    meta('name', 'twitter:card', 'summary'),
    meta('name', 'twitter:title', title),
    meta('name', 'twitter:description', description),
  ];
  return page(head, title, `<h1>${escapeHtml(SITE)}</h1>\n<p>${escapeHtml(description)}</p>`);
}

/** A feed that was deleted, hidden, or never existed. */
export function goneSharePage(): string {
  const title = `内容不存在 — ${SITE}`;
  return page(
    [meta('name', 'robots', 'noindex'), meta('property', 'og:title', title)],
    title,
    `<h1>内容不存在</h1>\n<p>该内容已被删除或不存在。This post is no longer available.</p>`,
  );
}
