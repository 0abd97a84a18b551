/** The reset-link page: server-rendered, no script, no external resources. */

const STYLE = `
  body{font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;margin:0;color:#1d2129}
  main{max-width:380px;margin:12vh auto;background:#fff;border-radius:12px;padding:32px;box-shadow:0 2px 12px rgba(0,0,0,.08)}
  h1{font-size:22px;margin:0 0 8px} p{color:#4e5969;margin:0 0 20px}
  label{display:block;font-size:14px;margin:14px 0 6px}
  input{box-sizing:border-box;width:100%;padding:10px 12px;border:1px solid #c9cdd4;border-radius:8px;font-size:16px}
  button{margin-top:22px;width:100%;padding:11px;border:0;border-radius:8px;background:#165dff;color:#fff;font-size:16px;cursor:pointer}
  .error{background:#ffece8;color:#cb2634;padding:10px 12px;border-radius:8px;margin-bottom:16px}
  .ok{background:#e8ffea;color:#1a7f37;padding:10px 12px;border-radius:8px}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${content}</main></body></html>`;
}

export function resetFormPage(token: string, error?: string): string {
  return page(
    '重置密码 / Reset password',
    `<h1>重置密码 / Reset password</h1>
<p>请输入新密码（6–64 个字符）。<br>Choose a new password (6–64 characters).</p>
${error ? `<div class="error" role="alert">${escapeHtml(error)}</div>` : ''}
<form method="post" action="reset-password">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label for="password">新密码 / New password</label>
<input id="password" name="password" type="password" minlength="6" maxlength="64" autocomplete="new-password" required>
<label for="confirm">确认新密码 / Confirm</label>
<input id="confirm" name="confirm" type="password" minlength="6" maxlength="64" autocomplete="new-password" required>
<button type="submit">设置新密码 / Set password</button>
</form>`,
  );
}

export function resetDonePage(): string {
  return page(
    '密码已重置 / Password changed',
    `<h1>密码已重置 / Password changed</h1>
<div class="ok" role="status">新密码已生效，请回到应用重新登录。所有设备上的登录已退出。<br>
Your new password is set. Sign in again in the app; every device was signed out.</div>`,
  );
}

export function resetInvalidPage(): string {
  return page(
    '链接已失效 / Link expired',
    `<h1>链接已失效 / Link expired</h1>
<p>这个重置链接已使用或已过期，请在应用中重新申请。<br>This reset link was used or has expired. Ask for a new one in the app.</p>`,
  );
}
