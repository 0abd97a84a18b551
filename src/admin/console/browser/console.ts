/**
 * The review console's script, served as /admin/console.js (an ES module; the page's CSP allows no inline script).
 * A client of the JSON API at /admin like any other: the token lives in sessionStorage, every 401 ends the session,
 * and everything the API returns reaches the page through textContent and DOM calls, never as markup — nicknames
 * and notes are typed by people.
 *
 * Compiled for the browser on its own (./tsconfig.json: DOM, no Node, no imports at run time) into
 * dist/src/admin/console/browser/console.js, which the console's controller serves as it is.
 */

// ---- What the API answers (src/admin/dto/admin.dto.ts) ----------------------------------------------------------

interface AdminProfile {
  id: string;
  email: string | null;
  nickname: string;
}

interface AdminSignedIn {
  token: string;
  admin: AdminProfile;
}

interface PendingCounts {
  real_name: number;
  qualification: number;
  id_card: number;
}

interface ReviewItem {
  id: string;
  kind: string;
  status: string;
  superseded: boolean;
  user: { id: string; phone: string | null; email: string | null; nickname: string; status: string };
  realName: string | null;
  idNumber: string | null;
  picture: string | null;
  pictureBack: string | null;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: { id: string; email: string | null } | null;
  note: string | null;
}

interface ReviewPage {
  items: ReviewItem[];
  nextCursor: string | null;
}

interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  subjectUserId: string | null;
  reviewId: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
}

interface AuditPage {
  items: AuditEntry[];
  nextBefore: string | null;
}

// src/admin/dto/admin-feed-reports.dto.ts

interface FeedReportCounts {
  feeds: number;
  reports: number;
}

interface ReportedFeed {
  id: string;
  type: string;
  words: string;
  photoUrl: string;
  /** Empty for a picture. */
  videoUrl: string;
  free: boolean;
  price: number;
  createdAt: string;
  author: { id: string; nickname: string; status: string };
}

interface FeedReport {
  id: string;
  reporter: { id: string; nickname: string };
  reportType: string;
  reason: string;
  createdAt: string;
}

interface ReportedFeedItem {
  feed: ReportedFeed;
  openReports: number;
  reportTypes: Record<string, number>;
  latest: FeedReport[];
  firstReportedAt: string;
}

interface FeedReportPage {
  items: ReportedFeedItem[];
  nextCursor: string | null;
}

interface FeedDecisionResult {
  feedId: string;
  hidden: boolean;
  reportsClosed: number;
}

// src/stars/dto/admin-star.dto.ts

interface StarredUser {
  id: string;
  email: string | null;
  nickname: string;
  type: string;
}

type Tone = 'error' | 'ok' | 'warn';
type Verdict = 'approve' | 'reject';
/** The last part of the route: POST /admin/feeds/{id}/hide or /admin/feeds/{id}/dismiss-reports. */
type FeedVerdict = 'hide' | 'dismiss-reports';
type View = 'queue' | 'reports' | 'stars' | 'audit';

// ---- Words ----------------------------------------------------------------------------------------------------

const TOKEN_KEY = 'concord.admin.token';
const QUEUE_PAGE_SIZE = 20;
const AUDIT_PAGE_SIZE = 50;
const REPORTS_PAGE_SIZE = 20;
const VIEWS: readonly View[] = ['queue', 'reports', 'stars', 'audit'];

const KIND_LABELS: Partial<Record<string, string>> = {
  real_name: '实名认证 Real name',
  qualification: '资质认证 Qualification',
  id_card: '身份证 ID card',
};
const STATUS_LABELS: Partial<Record<string, string>> = {
  review: '待审核 Pending',
  verified: '已通过 Approved',
  rejected: '已驳回 Rejected',
};
const USER_STATUS_LABELS: Partial<Record<string, string>> = {
  banned: '已封禁 Banned',
  closed: '已注销 Closed',
};
const ACTION_LABELS: Partial<Record<string, string>> = {
  'admin.created': '创建管理员 Admin created',
  'admin.granted': '授予管理员 Admin granted',
  'admin.revoked': '撤销管理员 Admin revoked',
  'admin.signed_in': '管理员登录 Signed in',
  'review.approved': '通过 Approved',
  'review.rejected': '驳回 Rejected',
  'user.starred': '设为明星 Made a star',
  'user.unstarred': '取消明星 Unstarred',
  'feed.hidden': '隐藏内容 Feed hidden',
  'feed.reports_dismissed': '驳回举报 Reports dismissed',
};
const DETAIL_LABELS: Partial<Record<string, string>> = {
  kind: '类型 Kind',
  note: '备注 Note',
  feedId: '内容 Feed',
  reports: '举报数 Reports',
};
const REPORT_TYPE_LABELS: Partial<Record<string, string>> = {
  adOrPornographic: '广告或色情 Ads or porn',
  violenceOrIllegal: '暴力或违法 Violence or illegal',
  fraud: '诈骗 Fraud',
  copyright: '侵权 Copyright',
  threats: '威胁 Threats',
  other: '其他 Other',
};

const SIGN_IN_ERRORS: Partial<Record<string, string>> = {
  BAD_CREDENTIALS: '邮箱或密码错误。 Wrong email or password.',
  FORBIDDEN: '该账号不是管理员。 This account is not an administrator.',
  ACCOUNT_DISABLED: '该账号已被停用。 This account is disabled.',
  ACCOUNT_LOCKED:
    '失败次数过多，账号已暂时锁定，请稍后再试。 Too many failed attempts: the account is locked for a while.',
  RATE_LIMITED: '尝试过于频繁，请稍后再试。 Too many attempts; try again later.',
  INVALID_PARAMS: '请填写有效的邮箱和密码。 Enter a valid email address and a password.',
};
const NETWORK_ERROR =
  '无法连接服务器，请检查网络后重试。 The server cannot be reached; check the connection and retry.';
const SESSION_EXPIRED = '登录已失效，请重新登录。 Your session has ended; please sign in again.';
const NO_LONGER_ADMIN = '该账号已不再是管理员。 This account is no longer an administrator.';

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message || code);
  }
}

/** Thrown once a 401 (or a lost admin role) has taken the reviewer back to the sign-in form. */
class SessionEnded extends Error {}

/** Bumped to drop the answers of requests still in flight when the list they were for is gone. */
const state = {
  queue: { generation: 0, nextCursor: null as string | null },
  /** Blob URLs of the certificate images on the page. */
  pictures: [] as string[],
  audit: { generation: 0, nextBefore: null as string | null },
  reports: { generation: 0, nextCursor: null as string | null },
};

// ---- The page -------------------------------------------------------------------------------------------------

/** An element of the page by id, checked to be of the kind the code expects (a plain element if not said). */
function byId(id: string): HTMLElement;
function byId<T extends HTMLElement>(id: string, kind: abstract new () => T): T;
function byId(id: string, kind: abstract new () => HTMLElement = HTMLElement): HTMLElement {
  const node = document.getElementById(id);
  if (!(node instanceof kind)) throw new Error('the page has no ' + kind.name + ' #' + id);
  return node;
}

type Child = Node | string | null | undefined;
type Props<K extends keyof HTMLElementTagNameMap> = Partial<Omit<HTMLElementTagNameMap[K], 'dataset'>> & {
  dataset?: Record<string, string>;
};

/** createElement with properties and children; strings become text nodes, never markup. */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props<K>,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {}) as Array<[string, unknown]>) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'role' || key.startsWith('aria-')) node.setAttribute(key, String(value));
    else (node as unknown as Record<string, unknown>)[key] = value;
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function say(node: HTMLElement, tone: Tone, text: string): void {
  node.className = node.dataset.base ? node.dataset.base + ' ' + tone : tone;
  node.setAttribute('role', tone === 'error' ? 'alert' : 'status');
  node.textContent = text;
  node.hidden = false;
}

function quiet(node: HTMLElement): void {
  node.hidden = true;
  node.textContent = '';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A time in the reviewer's own zone; the exact instant is in the title. */
function time(iso: string | null, withSeconds?: boolean): HTMLTimeElement | string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let text =
    date.getFullYear() +
    '-' +
    pad(date.getMonth() + 1) +
    '-' +
    pad(date.getDate()) +
    ' ' +
    pad(date.getHours()) +
    ':' +
    pad(date.getMinutes());
  if (withSeconds) text += ':' + pad(date.getSeconds());
  return el('time', { dateTime: iso, title: iso }, text);
}

/** Only http(s) URLs become links or image sources. */
function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string' || !value) return null;
  try {
    const url = new URL(value, location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'NETWORK') return NETWORK_ERROR;
    return '出错了 Something went wrong: ' + error.code + (error.message ? ' (' + error.message + ')' : '');
  }
  return '出错了 Something went wrong: ' + String(error);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

// ---- The API -------------------------------------------------------------------------------------------------

/** The API's answer, trusted to have the shape its route documents (the server is this script's own). */
async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (error) {
    throw new ApiError(0, 'NETWORK', String(error));
  }
  const data: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.ok) return data as T;
  const failure = isObject(data) && isObject(data.error) ? data.error : {};
  throw new ApiError(
    response.status,
    typeof failure.code === 'string' ? failure.code : 'HTTP_' + response.status,
    typeof failure.message === 'string' ? failure.message : '',
  );
}

/** A call on the session: a 401 (the session is gone) or a 403 (the role is gone) ends it here too. */
async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  try {
    return await request<T>(method, path, body);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      endSession(error.status === 401 ? SESSION_EXPIRED : NO_LONGER_ADMIN, 'error');
      throw new SessionEnded();
    }
    throw error;
  }
}

// ---- Signing in and out --------------------------------------------------------------------------------------

function showSignIn(message?: string, tone?: Tone): void {
  byId('console').hidden = true;
  byId('signin').hidden = false;
  quiet(byId('signin-error'));
  quiet(byId('signin-notice'));
  if (message && tone) say(byId(tone === 'error' ? 'signin-error' : 'signin-notice'), tone, message);
  byId('password', HTMLInputElement).value = '';
  (byId('email', HTMLInputElement).value ? byId('password') : byId('email')).focus();
}

function showConsole(admin: AdminProfile): void {
  byId('admin-email').textContent = admin.email || admin.nickname || '#' + admin.id;
  byId('signin').hidden = true;
  byId('console').hidden = false;
  showView('queue');
  void loadCounts();
  void loadQueue(false);
}

function endSession(message: string, tone: Tone): void {
  sessionStorage.removeItem(TOKEN_KEY);
  releasePictures();
  state.queue.generation += 1;
  state.audit.generation += 1;
  state.reports.generation += 1;
  byId('reports').replaceChildren();
  byId('star-user', HTMLInputElement).value = '';
  quiet(byId('star-message'));
  byId('queue').replaceChildren();
  byId('audit-rows').replaceChildren();
  byId('admin-email').textContent = '';
  showSignIn(message, tone);
}

async function signIn(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  quiet(byId('signin-error'));
  quiet(byId('signin-notice'));
  const submit = byId('signin-submit', HTMLButtonElement);
  submit.disabled = true;
  try {
    const signedIn = await request<AdminSignedIn>('POST', '/admin/session', {
      email: byId('email', HTMLInputElement).value.trim(),
      password: byId('password', HTMLInputElement).value,
    });
    sessionStorage.setItem(TOKEN_KEY, signedIn.token);
    byId('password', HTMLInputElement).value = '';
    showConsole(signedIn.admin);
  } catch (error) {
    const code = error instanceof ApiError ? error.code : '';
    say(
      byId('signin-error'),
      'error',
      code === 'NETWORK' ? NETWORK_ERROR : SIGN_IN_ERRORS[code] || describeError(error),
    );
    byId('password', HTMLInputElement).select();
  } finally {
    submit.disabled = false;
  }
}

async function signOut(): Promise<void> {
  const button = byId('signout', HTMLButtonElement);
  button.disabled = true;
  try {
    await request('DELETE', '/admin/session');
  } catch {
    // Already gone (expired, revoked) or unreachable: this browser forgets it either way.
  } finally {
    button.disabled = false;
  }
  endSession('已退出登录。 You are signed out.', 'ok');
}

// ---- Header --------------------------------------------------------------------------------------------------

function setCount(id: string, value: number | null): void {
  const node = byId(id);
  node.textContent = typeof value === 'number' ? String(value) : '?';
  node.classList.toggle('some', typeof value === 'number' && value > 0);
}

async function loadCounts(): Promise<void> {
  try {
    // One after the other: a session that ended is noticed once.
    const counts = await call<PendingCounts>('GET', '/admin/reviews/pending-count');
    const reports = await call<FeedReportCounts>('GET', '/admin/feed-reports/pending-count');
    setCount('count-real-name', counts.real_name);
    setCount('count-qualification', counts.qualification);
    setCount('count-id-card', counts.id_card);
    setCount('count-feed-reports', reports.feeds);
  } catch (error) {
    if (error instanceof SessionEnded) return;
    setCount('count-real-name', null);
    setCount('count-qualification', null);
    setCount('count-id-card', null);
    setCount('count-feed-reports', null);
  }
}

function showView(name: View): void {
  for (const view of VIEWS) {
    byId(view + '-view').hidden = view !== name;
    byId('tab-' + view).setAttribute('aria-pressed', String(view === name));
  }
}

// ---- The queue -----------------------------------------------------------------------------------------------

function badge(text: string, variant: string): HTMLSpanElement {
  return el('span', { className: 'badge ' + variant }, text);
}

/** A definition list; empty values show a dash. */
function facts(rows: Array<[label: string, value: Child, className?: string]>): HTMLDListElement {
  const list = el('dl', { className: 'facts' });
  for (const [label, value, className] of rows) {
    const empty = value === null || value === undefined || value === '';
    list.append(
      el('dt', {}, label),
      el('dd', { className: empty ? 'none' : className || '' }, empty ? '—' : value),
    );
  }
  return list;
}

/**
 * Certificates and ID photos are private: the image is fetched with the session's token and shown from a blob URL (a plain
 * img src cannot carry the token). The blob URLs are released when the list is reset or the session ends.
 */
function renderPicture(url: string, alt: string): HTMLElement {
  const figure = el('figure', { className: 'thumb' });
  const href = httpUrl(url);
  if (!href) {
    figure.append(el('div', { className: 'broken' }, '没有图片 / No image'));
    return figure;
  }
  const slot = el('div', { className: 'broken' }, '图片加载中… / Loading the image…');
  figure.append(slot, el('figcaption', {}, '点击图片查看原图 / Click the image for full size'));
  void loadPicture(href).then(
    (blobUrl) => {
      const image = el('img', { src: blobUrl, alt, decoding: 'async' });
      slot.replaceWith(
        el(
          'a',
          {
            href: blobUrl,
            target: '_blank',
            rel: 'noopener',
            title: '在新标签页打开原图 / Open full size in a new tab',
          },
          image,
        ),
      );
    },
    (error) => {
      if (!(error instanceof SessionEnded)) slot.textContent = '图片无法加载 / The image did not load';
    },
  );
  return figure;
}

async function loadPicture(href: string): Promise<string> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const response = await fetch(href, {
    headers: token ? { Authorization: 'Bearer ' + token } : {},
    cache: 'no-store',
    credentials: 'omit',
  });
  if (response.status === 401 || response.status === 403) {
    endSession(response.status === 401 ? SESSION_EXPIRED : NO_LONGER_ADMIN, 'error');
    throw new SessionEnded();
  }
  if (!response.ok) throw new Error('HTTP ' + response.status);
  const blobUrl = URL.createObjectURL(await response.blob());
  state.pictures.push(blobUrl);
  return blobUrl;
}

function releasePictures(): void {
  for (const blobUrl of state.pictures.splice(0)) URL.revokeObjectURL(blobUrl);
}

/** The card a decision button sits in. */
function cardOf(button: HTMLElement): HTMLElement {
  const card = button.closest<HTMLElement>('.card');
  if (!card) throw new Error('a decision button outside its card');
  return card;
}

function renderActions(item: ReviewItem): HTMLDivElement {
  const noteId = 'note-' + item.id;
  const approve = el('button', { type: 'button', className: 'approve' }, '通过 / Approve');
  const reject = el('button', { type: 'button', className: 'reject' }, '驳回 / Reject');
  approve.addEventListener('click', () => void decide(cardOf(approve), item, 'approve'));
  reject.addEventListener('click', () => void decide(cardOf(reject), item, 'reject'));
  return el(
    'div',
    { className: 'actions' },
    el('label', { htmlFor: noteId }, '备注（驳回时必填）/ Note (required to reject)'),
    el('input', {
      id: noteId,
      className: 'note',
      type: 'text',
      maxLength: 500,
      autocomplete: 'off',
      placeholder: '通过可不填 / Optional to approve',
    }),
    approve,
    reject,
  );
}

function renderCard(item: ReviewItem): HTMLLIElement {
  const card = el('li', { className: 'card', dataset: { id: item.id, status: item.status } });

  const head = el(
    'div',
    { className: 'card-head' },
    badge(KIND_LABELS[item.kind] || item.kind, 'badge-kind'),
    badge(STATUS_LABELS[item.status] || item.status, 'badge-' + item.status),
  );
  if (item.superseded) {
    const superseded = badge('已被新提交取代 Superseded', 'badge-superseded');
    superseded.title =
      '该用户之后又提交了同类申请，处理这一条不会改变用户看到的状态。' +
      'A newer claim of the same kind exists: deciding this one changes nothing the user sees.';
    head.append(superseded);
  }
  if (item.user.status !== 'active') {
    head.append(badge(USER_STATUS_LABELS[item.user.status] || item.user.status, 'badge-user'));
  }
  head.append(el('span', { className: 'card-id' }, '#' + item.id));
  card.append(head);

  const idCard = item.kind === 'id_card';
  if (item.picture) {
    card.append(
      renderPicture(item.picture, idCard ? '身份证正面 / ID card, front' : '资质证书 / Certificate'),
    );
  }
  if (item.pictureBack) card.append(renderPicture(item.pictureBack, '身份证反面 / ID card, back'));
  if (item.realName || item.idNumber) {
    card.append(
      el(
        'div',
        { className: 'claim' },
        facts([
          ['姓名 Name', item.realName],
          ['证件号 ID number', item.idNumber, 'mono'],
        ]),
      ),
    );
  }

  card.append(
    facts([
      ['昵称 Nickname', item.user.nickname, 'nickname'],
      ['手机 Phone', item.user.phone, 'mono'],
      ['邮箱 Email', item.user.email],
      ['用户 User', '#' + item.user.id, 'mono'],
      ['提交 Submitted', time(item.createdAt)],
    ]),
  );

  if (item.status === 'review') {
    card.append(renderActions(item));
  } else {
    const decider = item.decidedBy ? item.decidedBy.email || '#' + item.decidedBy.id : null;
    card.append(
      el(
        'div',
        { className: 'decision' },
        facts([
          ['处理人 Decided by', decider],
          ['处理时间 Decided at', time(item.decidedAt)],
          [item.status === 'rejected' ? '原因 Reason' : '备注 Note', item.note, 'decision-note'],
        ]),
      ),
    );
  }
  card.append(el('p', { className: 'card-message', dataset: { base: 'card-message' }, hidden: true }));
  return card;
}

/** One element inside a card, by selector. */
function inCard<T extends HTMLElement>(card: HTMLElement, selector: string): T {
  const node = card.querySelector<T>(selector);
  if (!node) throw new Error('a card without ' + selector);
  return node;
}

function replaceCard(card: HTMLElement, item: ReviewItem, tone: Tone, message: string): void {
  const fresh = renderCard(item);
  card.replaceWith(fresh);
  say(inCard(fresh, '.card-message'), tone, message);
}

async function decide(card: HTMLElement, item: ReviewItem, verdict: Verdict): Promise<void> {
  const input = inCard<HTMLInputElement>(card, 'input.note');
  const message = inCard(card, '.card-message');
  const note = input.value.trim();
  if (verdict === 'reject' && !note) {
    input.setAttribute('aria-invalid', 'true');
    say(message, 'error', '驳回必须填写原因。 A reason is required to reject.');
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  const controls = card.querySelectorAll<HTMLButtonElement | HTMLInputElement>(
    '.actions button, .actions input',
  );
  for (const control of controls) control.disabled = true;
  const path = '/admin/reviews/' + encodeURIComponent(item.id) + '/' + verdict;
  try {
    const decided = await call<ReviewItem>('POST', path, note ? { note } : {});
    replaceCard(card, decided, 'ok', verdict === 'approve' ? '已通过。 Approved.' : '已驳回。 Rejected.');
  } catch (error) {
    if (error instanceof SessionEnded) return;
    if (error instanceof ApiError && error.code === 'CONFLICT') {
      await refreshCard(
        card,
        item.id,
        '已被其他人处理，以下是当前结果。 Already decided by someone else; this is where it stands now.',
      );
    } else if (error instanceof ApiError && error.code === 'NOT_FOUND') {
      say(message, 'error', '该申请已不存在。 This claim no longer exists.');
    } else {
      for (const control of controls) control.disabled = false;
      say(message, 'error', describeError(error));
      return;
    }
  }
  void loadCounts();
}

async function refreshCard(card: HTMLElement, id: string, notice: string): Promise<void> {
  try {
    replaceCard(
      card,
      await call<ReviewItem>('GET', '/admin/reviews/' + encodeURIComponent(id)),
      'warn',
      notice,
    );
  } catch (error) {
    if (error instanceof SessionEnded) return;
    say(inCard(card, '.card-message'), 'warn', notice + ' ' + describeError(error));
  }
}

async function loadQueue(more: boolean): Promise<void> {
  const queue = state.queue;
  const list = byId('queue');
  const moreButton = byId('queue-more', HTMLButtonElement);
  const generation = more ? queue.generation : (queue.generation += 1);
  const params = new URLSearchParams({ limit: String(QUEUE_PAGE_SIZE) });
  const status = byId('filter-status', HTMLSelectElement).value;
  const kind = byId('filter-kind', HTMLSelectElement).value;
  if (status) params.set('status', status);
  if (kind) params.set('kind', kind);
  if (more) {
    params.set('cursor', String(queue.nextCursor));
  } else {
    list.replaceChildren();
    releasePictures();
    queue.nextCursor = null;
    byId('queue-empty').hidden = true;
    moreButton.hidden = true;
  }
  quiet(byId('queue-error'));
  moreButton.disabled = true;
  list.setAttribute('aria-busy', 'true');
  try {
    const page = await call<ReviewPage>('GET', '/admin/reviews?' + params.toString());
    if (generation !== queue.generation) return;
    for (const item of page.items) list.append(renderCard(item));
    queue.nextCursor = page.nextCursor;
    moreButton.hidden = !page.nextCursor;
    byId('queue-empty').hidden = list.childElementCount > 0;
  } catch (error) {
    if (error instanceof SessionEnded || generation !== queue.generation) return;
    say(byId('queue-error'), 'error', describeError(error));
  } finally {
    if (generation === queue.generation) {
      moreButton.disabled = false;
      list.removeAttribute('aria-busy');
    }
  }
}

// ---- Reported feeds (nuzzle /feed/report) --------------------------------------------------------------------

/** Feeds are public: their files are shown straight from their (http(s) only) addresses. */
function renderFeedMedia(feed: ReportedFeed): HTMLElement {
  const figure = el('figure', { className: 'thumb' });
  const video = httpUrl(feed.videoUrl);
  const photo = httpUrl(feed.photoUrl);
  if (video) {
    figure.append(el('video', { src: video, poster: photo || '', controls: true, preload: 'none' }));
  } else if (photo) {
    figure.append(
      el(
        'a',
        { href: photo, target: '_blank', rel: 'noopener' },
        el('img', { src: photo, alt: '举报内容 / Reported picture', decoding: 'async' }),
      ),
    );
  } else {
    figure.append(el('div', { className: 'broken' }, '没有图片 / No image'));
  }
  return figure;
}

function reportTypeLabel(type: string): string {
  return REPORT_TYPE_LABELS[type] || type;
}

function renderReportCard(item: ReportedFeedItem): HTMLLIElement {
  const feed = item.feed;
  const card = el('li', { className: 'card', dataset: { id: feed.id, kind: 'feed' } });
  const head = el(
    'div',
    { className: 'card-head' },
    badge(feed.type === 'video' ? '视频 Video' : '图片 Picture', 'badge-kind'),
    badge(String(item.openReports) + ' 条举报 reports', 'badge-review'),
  );
  if (!feed.free) head.append(badge(String(feed.price) + ' 金币 coins', 'badge-superseded'));
  if (feed.author.status !== 'active') {
    head.append(badge(USER_STATUS_LABELS[feed.author.status] || feed.author.status, 'badge-user'));
  }
  head.append(el('span', { className: 'card-id' }, '#' + feed.id));
  card.append(head, renderFeedMedia(feed));
  const types = Object.entries(item.reportTypes)
    .map(([type, count]) => reportTypeLabel(type) + ' × ' + String(count))
    .join('，');
  card.append(
    facts([
      ['作者 Author', feed.author.nickname, 'nickname'],
      ['用户 User', '#' + feed.author.id, 'mono'],
      ['文字 Words', feed.words],
      ['举报类型 Types', types],
      ['首次举报 First report', time(item.firstReportedAt)],
    ]),
  );
  const reasons = el('ul', { className: 'reasons' });
  for (const report of item.latest) {
    reasons.append(
      el(
        'li',
        {},
        reportTypeLabel(report.reportType) +
          ' — ' +
          report.reporter.nickname +
          ' #' +
          report.reporter.id +
          (report.reason ? '：' + report.reason : ''),
      ),
    );
  }
  if (reasons.childElementCount > 0) card.append(reasons);

  const noteId = 'report-note-' + feed.id;
  const hide = el('button', { type: 'button', className: 'reject' }, '隐藏内容 / Hide');
  const dismiss = el('button', { type: 'button', className: 'approve' }, '驳回举报 / Dismiss');
  hide.addEventListener('click', () => void decideReport(card, feed.id, 'hide'));
  dismiss.addEventListener('click', () => void decideReport(card, feed.id, 'dismiss-reports'));
  card.append(
    el(
      'div',
      { className: 'actions' },
      el('label', { htmlFor: noteId }, '备注（可选）/ Note (optional)'),
      el('input', { id: noteId, className: 'note', type: 'text', maxLength: 500, autocomplete: 'off' }),
      hide,
      dismiss,
    ),
    el('p', { className: 'card-message', dataset: { base: 'card-message' }, hidden: true }),
  );
  return card;
}

async function decideReport(card: HTMLElement, feedId: string, verdict: FeedVerdict): Promise<void> {
  const message = inCard(card, '.card-message');
  const note = inCard<HTMLInputElement>(card, 'input.note').value.trim();
  const controls = card.querySelectorAll<HTMLButtonElement | HTMLInputElement>(
    '.actions button, .actions input',
  );
  for (const control of controls) control.disabled = true;
  const path = '/admin/feeds/' + encodeURIComponent(feedId) + '/' + verdict;
  try {
    const decided = await call<FeedDecisionResult>('POST', path, note ? { note } : {});
    card.dataset.status = decided.hidden ? 'rejected' : 'verified';
    say(
      message,
      'ok',
      decided.hidden ? '已隐藏。 Hidden from every list.' : '已驳回举报。 Reports dismissed.',
    );
  } catch (error) {
    if (error instanceof SessionEnded) return;
    if (error instanceof ApiError && (error.code === 'CONFLICT' || error.code === 'NOT_FOUND')) {
      say(message, 'warn', '已被处理或内容已删除。 Already decided, or the feed is gone.');
    } else {
      for (const control of controls) control.disabled = false;
      say(message, 'error', describeError(error));
      return;
    }
  }
  void loadCounts();
}

async function loadReports(more: boolean): Promise<void> {
  const reports = state.reports;
  const list = byId('reports');
  const moreButton = byId('reports-more', HTMLButtonElement);
  const generation = more ? reports.generation : (reports.generation += 1);
  const params = new URLSearchParams({ limit: String(REPORTS_PAGE_SIZE) });
  if (more) {
    params.set('cursor', String(reports.nextCursor));
  } else {
    list.replaceChildren();
    reports.nextCursor = null;
    byId('reports-empty').hidden = true;
    moreButton.hidden = true;
  }
  quiet(byId('reports-error'));
  moreButton.disabled = true;
  try {
    const page = await call<FeedReportPage>('GET', '/admin/feed-reports?' + params.toString());
    if (generation !== reports.generation) return;
    for (const item of page.items) list.append(renderReportCard(item));
    reports.nextCursor = page.nextCursor;
    moreButton.hidden = !page.nextCursor;
    byId('reports-empty').hidden = list.childElementCount > 0;
  } catch (error) {
    if (error instanceof SessionEnded || generation !== reports.generation) return;
    say(byId('reports-error'), 'error', describeError(error));
  } finally {
    if (generation === reports.generation) moreButton.disabled = false;
  }
}

// ---- Stars ---------------------------------------------------------------------------------------------------

async function setStar(star: boolean): Promise<void> {
  const input = byId('star-user', HTMLInputElement);
  const message = byId('star-message');
  const id = input.value.trim();
  if (!/^[1-9][0-9]{0,18}$/.test(id)) {
    say(message, 'error', '请输入用户 ID（数字）。 Enter a user id (digits).');
    input.focus();
    return;
  }
  const buttons = [byId('star-make', HTMLButtonElement), byId('star-unmake', HTMLButtonElement)];
  for (const button of buttons) button.disabled = true;
  try {
    const user = await call<StarredUser>(star ? 'POST' : 'DELETE', '/admin/users/' + id + '/star');
    say(
      message,
      'ok',
      (user.nickname || '#' + user.id) +
        (user.type === 'star' ? ' 现在是明星。 is now a star.' : ' 不再是明星。 is no longer a star.'),
    );
  } catch (error) {
    if (error instanceof SessionEnded) return;
    say(
      message,
      'error',
      error instanceof ApiError && error.code === 'NOT_FOUND'
        ? '没有这个用户。 No such user.'
        : describeError(error),
    );
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

// ---- The audit log -------------------------------------------------------------------------------------------

function detailLines(detail: Record<string, unknown> | null): HTMLDivElement[] {
  return Object.entries(detail || {}).map(([key, value]) => {
    let text: string;
    const kindLabel = key === 'kind' ? KIND_LABELS[String(value)] : undefined;
    if (kindLabel) text = kindLabel;
    else if (typeof value === 'string') text = value;
    else text = JSON.stringify(value);
    return el('div', {}, el('span', {}, (DETAIL_LABELS[key] || key) + ': '), text);
  });
}

function renderAuditRow(entry: AuditEntry): HTMLTableRowElement {
  return el(
    'tr',
    { dataset: { id: entry.id, action: entry.action } },
    el('td', { className: 'time' }, time(entry.at, true)),
    el('td', {}, entry.actor),
    el('td', { title: entry.action }, ACTION_LABELS[entry.action] || entry.action),
    el('td', { className: 'mono' }, entry.subjectUserId ? '#' + entry.subjectUserId : '—'),
    el('td', { className: 'mono' }, entry.reviewId ? '#' + entry.reviewId : '—'),
    el('td', { className: 'detail' }, ...detailLines(entry.detail)),
    el('td', { className: 'mono' }, entry.ip || '—'),
  );
}

async function loadAudit(more: boolean): Promise<void> {
  const audit = state.audit;
  const rows = byId('audit-rows');
  const moreButton = byId('audit-more', HTMLButtonElement);
  const generation = more ? audit.generation : (audit.generation += 1);
  const params = new URLSearchParams({ limit: String(AUDIT_PAGE_SIZE) });
  if (more) {
    params.set('before', String(audit.nextBefore));
  } else {
    rows.replaceChildren();
    audit.nextBefore = null;
    byId('audit-empty').hidden = true;
    moreButton.hidden = true;
  }
  quiet(byId('audit-error'));
  moreButton.disabled = true;
  try {
    const page = await call<AuditPage>('GET', '/admin/audit-log?' + params.toString());
    if (generation !== audit.generation) return;
    for (const entry of page.items) rows.append(renderAuditRow(entry));
    audit.nextBefore = page.nextBefore;
    moreButton.hidden = !page.nextBefore;
    byId('audit-empty').hidden = rows.childElementCount > 0;
  } catch (error) {
    if (error instanceof SessionEnded || generation !== audit.generation) return;
    say(byId('audit-error'), 'error', describeError(error));
  } finally {
    if (generation === audit.generation) moreButton.disabled = false;
  }
}

// ---- Start ---------------------------------------------------------------------------------------------------

byId('signin-form', HTMLFormElement).addEventListener('submit', (event) => void signIn(event));
byId('signout').addEventListener('click', () => void signOut());
byId('tab-queue').addEventListener('click', () => {
  showView('queue');
  void loadCounts();
});
byId('tab-reports').addEventListener('click', () => {
  showView('reports');
  void loadCounts();
  void loadReports(false);
});
byId('tab-stars').addEventListener('click', () => {
  showView('stars');
  byId('star-user').focus();
});
byId('reports-refresh').addEventListener('click', () => {
  void loadCounts();
  void loadReports(false);
});
byId('reports-more').addEventListener('click', () => void loadReports(true));
byId('star-form', HTMLFormElement).addEventListener('submit', (event) => {
  event.preventDefault();
  void setStar(true);
});
byId('star-unmake').addEventListener('click', () => void setStar(false));
byId('tab-audit').addEventListener('click', () => {
  showView('audit');
  void loadAudit(false);
});
byId('filter-status').addEventListener('change', () => void loadQueue(false));
byId('filter-kind').addEventListener('change', () => void loadQueue(false));
byId('queue-refresh').addEventListener('click', () => {
  void loadCounts();
  void loadQueue(false);
});
byId('queue-more').addEventListener('click', () => void loadQueue(true));
byId('audit-more').addEventListener('click', () => void loadAudit(true));

async function start(): Promise<void> {
  if (!sessionStorage.getItem(TOKEN_KEY)) {
    showSignIn();
    return;
  }
  try {
    showConsole(await call<AdminProfile>('GET', '/admin/session'));
  } catch (error) {
    if (error instanceof SessionEnded) return;
    showSignIn(describeError(error), 'error');
  }
}

void start();
