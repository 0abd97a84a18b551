import type { LocalizedText } from '#src/dialects/dialect.js';

/**
 * The pages' words. Errors use the document's wording (api-docs/moretv.md) where it has one; English is ours.
 */
export const T = {
  // Titles and headings
  registerTitle: { zh: '注册', en: 'Create an account' },
  loginTitle: { zh: '登录', en: 'Sign in' },
  forgotTitle: { zh: '找回密码', en: 'Forgot your password' },
  resetTitle: { zh: '重置密码', en: 'Choose a new password' },
  resetInvalidTitle: { zh: '链接已失效', en: 'This link has expired' },
  fillTitle: { zh: '完善资料', en: 'Complete your profile' },
  accountTitle: { zh: '账号设置', en: 'Account settings' },
  continueTitle: { zh: '正在跳转', en: 'Redirecting' },

  // Fields
  email: { zh: '邮箱', en: 'Email' },
  nickname: { zh: '昵称', en: 'Nickname' },
  password: { zh: '密码', en: 'Password' },
  newPassword: { zh: '新密码', en: 'New password' },
  confirmPassword: { zh: '确认新密码', en: 'Confirm the new password' },
  oldPassword: { zh: '原密码', en: 'Current password' },
  captcha: { zh: '验证码', en: 'Captcha' },
  captchaImage: { zh: '验证码图片', en: 'Captcha image' },
  captchaHint: {
    zh: '请输入图片中的字符（不区分大小写）。看不清？刷新页面换一张。',
    en: 'Type the characters in the picture (any case). Cannot read it? Reload the page for another.',
  },
  autoLogin: { zh: '下次自动登录', en: 'Keep me signed in' },
  newEmail: { zh: '新邮箱', en: 'New email' },
  emailCode: { zh: '邮箱验证码', en: 'Code from the email' },
  gender: { zh: '性别', en: 'Gender' },
  genderUnknown: { zh: '保密', en: 'Not telling' },
  genderMale: { zh: '男', en: 'Male' },
  genderFemale: { zh: '女', en: 'Female' },
  signature: { zh: '个性签名', en: 'Signature' },
  birthday: { zh: '生日', en: 'Birthday' },
  avatarFile: {
    zh: '选择头像图片（JPEG、PNG、GIF 或 WebP）',
    en: 'Choose a picture (JPEG, PNG, GIF or WebP)',
  },
  passwordHint: { zh: '6–64 个字符', en: '6–64 characters' },
  optionalEmailHint: {
    zh: '选填：填写邮箱和密码后，也可以用邮箱登录。',
    en: 'Optional: with an email and a password you can also sign in by email.',
  },

  // Buttons and links
  registerButton: { zh: '注册', en: 'Create account' },
  loginButton: { zh: '登录', en: 'Sign in' },
  forgotButton: { zh: '发送重置邮件', en: 'Send the reset mail' },
  resetButton: { zh: '设置新密码', en: 'Set the password' },
  fillButton: { zh: '完成', en: 'Done' },
  toRegister: { zh: '没有账号？注册', en: 'No account? Create one' },
  toLogin: { zh: '已有账号？登录', en: 'Have an account? Sign in' },
  toForgot: { zh: '忘记密码？', en: 'Forgot your password?' },
  backToLogin: { zh: '返回登录', en: 'Back to sign-in' },
  snsHeading: { zh: '使用其他账号登录', en: 'Sign in with' },
  saveProfile: { zh: '保存资料', en: 'Save profile' },
  uploadAvatar: { zh: '上传头像', en: 'Upload picture' },
  sendCode: { zh: '发送验证码', en: 'Send a code' },
  changeEmail: { zh: '修改邮箱', en: 'Change email' },
  changePassword: { zh: '修改密码', en: 'Change password' },
  logout: { zh: '退出登录', en: 'Sign out' },
  bind: { zh: '绑定', en: 'Connect' },
  unbind: { zh: '解除绑定', en: 'Disconnect' },
  continue: { zh: '继续', en: 'Continue' },

  // Sections of the account page
  avatarSection: { zh: '头像', en: 'Profile picture' },
  profileSection: { zh: '个人资料', en: 'Profile' },
  emailSection: { zh: '邮箱', en: 'Email' },
  passwordSection: { zh: '密码', en: 'Password' },
  snsSection: { zh: '第三方账号', en: 'Connected accounts' },
  currentEmail: { zh: '当前邮箱', en: 'Current email' },
  noEmail: { zh: '未绑定邮箱', en: 'No email yet' },
  bound: { zh: '已绑定', en: 'Connected' },
  notBound: { zh: '未绑定', en: 'Not connected' },

  // Explanations
  forgotIntro: {
    zh: '输入注册时使用的邮箱，我们会发送一封重置密码的邮件。',
    en: 'Enter the email you registered with; we will mail you a link to reset your password.',
  },
  forgotSent: {
    zh: '如果该邮箱已注册，重置密码的邮件已发送，请查收。',
    en: 'If this email is registered, a reset link is on its way. Check your inbox.',
  },
  resetIntro: { zh: '请设置新密码（6–64 个字符）。', en: 'Choose a new password (6–64 characters).' },
  resetInvalid: {
    zh: '这个重置链接已使用或已过期，请重新申请。',
    en: 'This reset link was used or has expired. Ask for a new one.',
  },
  fillIntro: {
    zh: '首次使用该账号登录，请完善资料。',
    en: 'This is your first sign-in with this account: complete your profile.',
  },
  continueText: { zh: '即将返回，若未自动跳转请点击：', en: 'Taking you back. If nothing happens, follow:' },

  // Errors, in the document's words
  emailOrPasswordEmpty: { zh: 'email或password为空', en: 'Email or password is empty' },
  wrongCredentials: { zh: 'email或密码错误', en: 'Wrong email or password' },
  accountLocked: { zh: '密码错误次数过多,请稍后再试', en: 'Too many wrong passwords; try again later' },
  accountDisabled: { zh: '账号已被冻结', en: 'This account is disabled' },
  tooFrequent: { zh: '操作太频繁,请稍后再试', en: 'Too many attempts; try again later' },
  emailMalformed: { zh: 'Email格式有误', en: 'This is not an email address' },
  emailNotAllowed: { zh: 'Email不允许注册', en: 'This email cannot be used' },
  emailTaken: { zh: '该Email已经被注册', en: 'This email is already registered' },
  nicknameInvalid: { zh: '昵称不可用', en: 'This nickname cannot be used' },
  passwordLength: { zh: '密码长度需为6–64个字符', en: 'The password must be 6–64 characters' },
  passwordsDiffer: { zh: '两次输入的密码不一致', en: 'The two passwords differ' },
  captchaMismatch: { zh: '验证码不匹配', en: 'The captcha does not match' },
  captchaExpired: { zh: '验证码已失效', en: 'The captcha has expired: type the new one' },
  codeMismatch: { zh: '验证码不匹配', en: 'The code does not match' },
  passwordChangeFailed: { zh: '修改密码失败', en: 'The password was not changed' },
  oldPasswordWrong: {
    zh: '修改密码失败：原密码错误',
    en: 'The password was not changed: wrong current password',
  },
  newPasswordsDiffer: {
    zh: '修改密码失败：两次输入的新密码不一致',
    en: 'The password was not changed: the two new passwords differ',
  },
  newPasswordLength: {
    zh: '修改密码失败：密码长度需为6–64个字符',
    en: 'The password was not changed: it must be 6–64 characters',
  },
  profileFailed: { zh: '修改失败', en: 'Nothing was saved' },
  fileTooLarge: { zh: '文件过大', en: 'The file is too large' },
  badFormat: { zh: '格式不匹配', en: 'Not a picture we accept' },
  sendTooFrequent: { zh: '发送太频繁,请稍后再试', en: 'A code was sent a moment ago; try again later' },
} satisfies Record<string, LocalizedText>;

/**
 * What the account page says after a change (`/userInfo?notice=…`, after a redirect): a fixed key, so nothing from
 * the URL reaches the page but the choice of a text.
 */
export const NOTICES = {
  'password-changed': { kind: 'ok', text: { zh: '成功更改密码', en: 'Your password was changed' } },
  'email-changed': { kind: 'ok', text: { zh: '更新成功', en: 'Your email was changed' } },
  'profile-updated': { kind: 'ok', text: { zh: '已成功修改用户信息', en: 'Your profile was saved' } },
  'avatar-uploaded': { kind: 'ok', text: { zh: '上传成功', en: 'Your picture was uploaded' } },
  unchanged: { kind: 'ok', text: { zh: '没有做任何修改', en: 'Nothing changed' } },
  registered: { kind: 'ok', text: { zh: '注册成功', en: 'Your account is ready' } },
  'password-reset': {
    kind: 'ok',
    text: { zh: '密码已重置，请使用新密码登录', en: 'Your password is set: sign in with it' },
  },
  'signed-out': { kind: 'ok', text: { zh: '已退出登录', en: 'You are signed out' } },
  bound: { kind: 'ok', text: { zh: '绑定成功', en: 'The account is connected' } },
  unbound: { kind: 'ok', text: { zh: '已解除绑定', en: 'The account is disconnected' } },
  'unbind-last': {
    kind: 'bad',
    text: {
      zh: '无法解除绑定：这是您唯一的登录方式，请先设置邮箱和密码或绑定其他账号',
      en: 'Cannot disconnect: it is your only way to sign in. Set an email and password or connect another account first',
    },
  },
  'bind-taken': {
    kind: 'bad',
    text: {
      zh: '绑定失败：该第三方账号已绑定其他账号',
      en: 'Not connected: that account is connected to another one here',
    },
  },
  'bind-exists': {
    kind: 'bad',
    text: {
      zh: '绑定失败：已绑定同类账号，请先解除绑定',
      en: 'Not connected: an account of this kind is connected already; disconnect it first',
    },
  },
} satisfies Record<string, { kind: 'ok' | 'bad'; text: LocalizedText }>;

export type NoticeKey = keyof typeof NOTICES;

export function noticeOf(key: unknown): (typeof NOTICES)[NoticeKey] | undefined {
  return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? NOTICES[key as NoticeKey] : undefined;
}

/** The document's SNS types, as people know them. */
export const PROVIDER_NAMES: Record<string, LocalizedText> = {
  qq: { zh: 'QQ', en: 'QQ' },
  wb: { zh: '新浪微博', en: 'Weibo' },
  db: { zh: '豆瓣', en: 'Douban' },
  wx: { zh: '微信', en: 'WeChat' },
};
