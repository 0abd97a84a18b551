/** The review console's style sheet, served as /admin/console.css (the page's CSP allows no inline style). */
export const CONSOLE_STYLE = `
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { background: #f4f5f7; }
body {
  margin: 0; color: #1d2129;
  font: 15px/1.5 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif;
}
h1 { font-size: 22px; margin: 0 0 8px; }
button, input, select { font: inherit; }
button { cursor: pointer; }
button:disabled { cursor: default; opacity: .55; }
:focus-visible { outline: 2px solid #165dff; outline-offset: 2px; }

.error, .ok, .warn { padding: 10px 12px; border-radius: 8px; margin: 0 0 16px; }
.error { background: #ffece8; color: #cb2634; }
.ok { background: #e8ffea; color: #1a7f37; }
.warn { background: #fff7e8; color: #a35a00; }

/* Sign-in */
.signin {
  max-width: 380px; margin: 12vh auto; background: #fff; border-radius: 12px; padding: 32px;
  box-shadow: 0 2px 12px rgba(0, 0, 0, .08);
}
.signin p { color: #4e5969; margin: 0 0 20px; }
.signin label { display: block; font-size: 14px; margin: 14px 0 6px; }
.signin input { width: 100%; padding: 10px 12px; border: 1px solid #c9cdd4; border-radius: 8px; font-size: 16px; }
.signin button {
  margin-top: 22px; width: 100%; padding: 11px; border: 0; border-radius: 8px;
  background: #165dff; color: #fff; font-size: 16px;
}

/* Header */
.topbar {
  position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px;
  padding: 10px 24px; background: #fff; border-bottom: 1px solid #e5e6eb;
}
.brand { font-weight: 600; font-size: 17px; }
.brand small { color: #86909c; font-weight: 400; font-size: 13px; margin-left: 6px; }
.tabs { display: flex; gap: 4px; }
.tab { border: 0; background: none; padding: 6px 12px; border-radius: 6px; color: #4e5969; }
.tab[aria-pressed="true"] { background: #e8f3ff; color: #165dff; font-weight: 600; }
.pending { color: #4e5969; font-size: 14px; }
.pending b { display: inline-block; min-width: 1.6em; padding: 0 6px; margin: 0 2px; border-radius: 10px;
  background: #f2f3f5; color: #1d2129; text-align: center; }
.pending b.some { background: #ff7d00; color: #fff; }
.who { margin-left: auto; display: flex; align-items: center; gap: 12px; font-size: 14px; color: #4e5969; }
.link { border: 0; background: none; color: #165dff; padding: 4px 0; }

/* Content */
.content { max-width: 1180px; margin: 0 auto; padding: 20px 24px 48px; }
.filters { display: flex; flex-wrap: wrap; align-items: end; gap: 12px; margin-bottom: 16px; }
.filters label { display: flex; flex-direction: column; gap: 4px; font-size: 13px; color: #4e5969; }
.filters select { min-width: 170px; padding: 7px 10px; border: 1px solid #c9cdd4; border-radius: 8px; background: #fff; }
.secondary { padding: 7px 14px; border: 1px solid #c9cdd4; border-radius: 8px; background: #fff; color: #1d2129; }
.empty { color: #86909c; text-align: center; padding: 40px 0; }
.more { display: block; margin: 20px auto 0; padding: 9px 28px; border: 1px solid #165dff; border-radius: 8px;
  background: #fff; color: #165dff; }

/* Review cards */
.cards { list-style: none; margin: 0; padding: 0; display: grid; gap: 16px;
  grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); }
.card { display: flex; flex-direction: column; gap: 12px; background: #fff; border-radius: 12px; padding: 16px;
  box-shadow: 0 1px 6px rgba(0, 0, 0, .06); border-top: 3px solid #ff7d00; }
.card[data-status="verified"] { border-top-color: #00b42a; }
.card[data-status="rejected"] { border-top-color: #f53f3f; }
.card-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.card-id { margin-left: auto; color: #86909c; font-size: 13px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; line-height: 20px;
  background: #f2f3f5; color: #4e5969; white-space: nowrap; }
.badge-review { background: #fff7e8; color: #d25f00; }
.badge-verified { background: #e8ffea; color: #1a7f37; }
.badge-rejected { background: #ffece8; color: #cb2634; }
.badge-superseded { background: #f5e8ff; color: #722ed1; }
.badge-user { background: #ffece8; color: #cb2634; }
.thumb { margin: 0; }
.thumb a { display: block; border-radius: 8px; background: #f2f3f5; }
.thumb img { display: block; width: 100%; height: 200px; object-fit: contain; border-radius: 8px; }
.thumb figcaption { font-size: 12px; color: #86909c; margin-top: 4px; }
.thumb .broken { padding: 80px 0; text-align: center; color: #cb2634; font-size: 13px; }
.claim { background: #f7f8fa; border-radius: 8px; padding: 10px 12px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; font-size: 14px; }
.facts dt { color: #86909c; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.claim .facts dd { font-size: 16px; font-weight: 600; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.none { color: #c9cdd4; }
.decision { border-top: 1px dashed #e5e6eb; padding-top: 10px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: auto; border-top: 1px solid #f2f3f5; padding-top: 12px; }
.actions label { flex-basis: 100%; font-size: 13px; color: #4e5969; }
.actions input { flex: 1 1 100%; padding: 8px 10px; border: 1px solid #c9cdd4; border-radius: 8px; }
.actions input[aria-invalid="true"] { border-color: #f53f3f; background: #fff8f7; }
.actions button { flex: 1; padding: 8px; border-radius: 8px; border: 1px solid transparent; }
.approve { background: #00b42a; color: #fff; }
.reject { background: #fff; color: #cb2634; border-color: #f53f3f !important; }
.card-message { margin: 0; font-size: 14px; }

/* Reported feeds and stars */
.card[data-kind="feed"] { border-top-color: #f53f3f; }
.thumb video { display: block; width: 100%; max-height: 260px; border-radius: 8px; background: #000; }
.reasons { margin: 0; padding-left: 18px; font-size: 14px; }
.reasons li { overflow-wrap: anywhere; }
.star-form { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; max-width: 560px; background: #fff;
  border-radius: 12px; padding: 16px; box-shadow: 0 1px 6px rgba(0, 0, 0, .06); }
.star-form label { flex-basis: 100%; font-size: 13px; color: #4e5969; }
.star-form input { flex: 1 1 160px; padding: 8px 10px; border: 1px solid #c9cdd4; border-radius: 8px; }
.star-form button { padding: 8px 14px; border-radius: 8px; border: 1px solid transparent; }

/* Audit log */
.table-wrap { overflow-x: auto; background: #fff; border-radius: 12px; box-shadow: 0 1px 6px rgba(0, 0, 0, .06); }
.audit { width: 100%; border-collapse: collapse; font-size: 14px; }
.audit th, .audit td { padding: 9px 12px; text-align: left; vertical-align: top; border-bottom: 1px solid #f2f3f5; }
.audit th { background: #f7f8fa; color: #4e5969; font-weight: 600; white-space: nowrap; }
.audit td.time { white-space: nowrap; }
.audit .detail div { overflow-wrap: anywhere; }
.audit .detail span { color: #86909c; }

@media (max-width: 640px) {
  .topbar { position: static; padding: 10px 14px; }
  .content { padding: 14px 12px 40px; }
  .who { margin-left: 0; }
  .cards { grid-template-columns: 1fr; }
  .signin { margin: 6vh 12px; padding: 24px; }
}
`;
