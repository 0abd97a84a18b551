/**
 * The review console's only document, served at /admin. Static: it carries no data, so nothing is ever rendered
 * into it on the server; /admin/console.js signs in and fills it through the JSON API with DOM calls only.
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>审核台 / Review console</title>
<link rel="stylesheet" href="/admin/console.css">
<script type="module" src="/admin/console.js"></script>
</head>
<body>
<noscript><p class="error">此页面需要 JavaScript。This page needs JavaScript.</p></noscript>

<main id="signin" class="signin" hidden>
  <h1>审核台 / Review console</h1>
  <p>仅限管理员登录。<br>Operators only.</p>
  <div id="signin-notice" class="ok" role="status" hidden></div>
  <div id="signin-error" class="error" role="alert" hidden></div>
  <form id="signin-form">
    <label for="email">邮箱 / Email</label>
    <input id="email" name="email" type="email" maxlength="254" autocomplete="username" required>
    <label for="password">密码 / Password</label>
    <input id="password" name="password" type="password" maxlength="128" autocomplete="current-password" required>
    <button id="signin-submit" type="submit">登录 / Sign in</button>
  </form>
</main>

<div id="console" hidden>
  <header class="topbar">
    <div class="brand">审核台<small>Review console</small></div>
    <nav class="tabs" aria-label="视图 / Views">
      <button id="tab-queue" class="tab" type="button" aria-pressed="true">审核队列 / Queue</button>
      <button id="tab-reports" class="tab" type="button" aria-pressed="false">举报 / Reports</button>
      <button id="tab-stars" class="tab" type="button" aria-pressed="false">明星 / Stars</button>
      <button id="tab-audit" class="tab" type="button" aria-pressed="false">审计日志 / Audit log</button>
    </nav>
    <div id="pending" class="pending" aria-live="polite">
      待审核 Pending:
      实名 Real name <b id="count-real-name">–</b>
      资质 Qualification <b id="count-qualification">–</b>
      身份证 ID card <b id="count-id-card">–</b>
      举报 Reports <b id="count-feed-reports">–</b>
    </div>
    <div class="who">
      <span id="admin-email"></span>
      <button id="signout" class="link" type="button">退出登录 / Sign out</button>
    </div>
  </header>

  <main class="content">
    <section id="queue-view" aria-label="审核队列 / Queue">
      <div class="filters">
        <label>状态 / Status
          <select id="filter-status">
            <option value="review" selected>待审核 / Pending</option>
            <option value="verified">已通过 / Approved</option>
            <option value="rejected">已驳回 / Rejected</option>
            <option value="">全部 / All</option>
          </select>
        </label>
        <label>类型 / Kind
          <select id="filter-kind">
            <option value="" selected>全部 / All</option>
            <option value="real_name">实名认证 / Real name</option>
            <option value="qualification">资质认证 / Qualification</option>
            <option value="id_card">身份证 / ID card</option>
          </select>
        </label>
        <button id="queue-refresh" class="secondary" type="button">刷新 / Refresh</button>
      </div>
      <div id="queue-error" class="error" role="alert" hidden></div>
      <ol id="queue" class="cards"></ol>
      <p id="queue-empty" class="empty" hidden>没有符合条件的申请。No claims match.</p>
      <button id="queue-more" class="more" type="button" hidden>加载更多 / Load more</button>
    </section>

    <section id="reports-view" aria-label="举报 / Reports" hidden>
      <div class="filters">
        <button id="reports-refresh" class="secondary" type="button">刷新 / Refresh</button>
      </div>
      <div id="reports-error" class="error" role="alert" hidden></div>
      <ol id="reports" class="cards"></ol>
      <p id="reports-empty" class="empty" hidden>没有待处理的举报。No reported feeds wait.</p>
      <button id="reports-more" class="more" type="button" hidden>加载更多 / Load more</button>
    </section>

    <section id="stars-view" aria-label="明星 / Stars" hidden>
      <form id="star-form" class="star-form">
        <label for="star-user">用户 ID / User id</label>
        <input id="star-user" type="text" inputmode="numeric" pattern="[1-9][0-9]{0,18}" maxlength="19" autocomplete="off" required>
        <button id="star-make" type="submit" class="approve">设为明星 / Make star</button>
        <button id="star-unmake" type="button" class="reject">取消明星 / Unstar</button>
      </form>
      <p id="star-message" class="card-message" data-base="card-message" hidden></p>
    </section>

    <section id="audit-view" aria-label="审计日志 / Audit log" hidden>
      <div id="audit-error" class="error" role="alert" hidden></div>
      <div class="table-wrap">
        <table class="audit">
          <thead>
            <tr>
              <th scope="col">时间 Time</th>
              <th scope="col">操作人 Actor</th>
              <th scope="col">动作 Action</th>
              <th scope="col">用户 User</th>
              <th scope="col">申请 Claim</th>
              <th scope="col">详情 Detail</th>
              <th scope="col">IP</th>
            </tr>
          </thead>
          <tbody id="audit-rows"></tbody>
        </table>
      </div>
      <p id="audit-empty" class="empty" hidden>暂无记录。Nothing logged yet.</p>
      <button id="audit-more" class="more" type="button" hidden>加载更多 / Load more</button>
    </section>
  </main>
</div>
</body>
</html>
`;
