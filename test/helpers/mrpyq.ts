import sharp from 'sharp';
import type { TestApp } from '#test/helpers/test-app.js';

/** mrpyq's envelope. */
export interface MrpyqReply {
  result: string;
  message: unknown;
  flag?: string;
}

/** Settings every mrpyq suite needs: its helpers register many users from one address within an hour. */
export const MRPYQ_ENV: Record<string, string> = {
  VERIFICATION_MAX_PER_IP_PER_HOUR: '100000',
  VERIFICATION_CHECKS_PER_IP_PER_HOUR: '100000',
  ANONYMOUS_UPLOADS_PER_IP_PER_HOUR: '100000',
  VERIFICATION_ECHO_CODE: 'false',
};

let counter = 13_500_000_000 + Math.floor(Math.random() * 100_000) * 1000;

/** A mainland number no other test of this process used. */
export function newPhone(): string {
  return String(++counter);
}

/**
 * POSTs a form, as mrpyq's client does, and answers the envelope. `ip` is sent as X-Forwarded-For (it counts where
 * the app trusts loopback proxies: TRUSTED_PROXIES=loopback).
 */
export async function mrpyqPost(
  t: TestApp,
  path: string,
  form: Record<string, string>,
  ip?: string,
): Promise<MrpyqReply> {
  const req = t.http.post(path).type('form');
  if (ip) req.set('X-Forwarded-For', ip);
  const res = await req.send(form);
  return res.body as MrpyqReply;
}

/** The last SMS code sent to a mainland number, read from the outbox (the answer never carries it). */
export async function lastSmsCode(t: TestApp, phone: string, digits = 4): Promise<string> {
  const rows = await t.db.query<Array<{ body: string }>>(
    `SELECT body FROM outbox_messages WHERE recipient = $1 AND channel = 'sms' ORDER BY id DESC LIMIT 1`,
    [`+86${phone}`],
  );
  const code = new RegExp(`(?<!\\d)\\d{${digits}}(?!\\d)`).exec(rows[0]?.body ?? '')?.[0];
  if (!code) throw new Error(`no SMS code was sent to ${phone}`);
  return code;
}

/** Send code, check it: answers the ticket after a successful check. */
export async function verifyMrpyqPhone(t: TestApp, phone: string, ip?: string): Promise<string> {
  const sent = await mrpyqPost(t, '/register', { token: phone }, ip);
  if (sent.result !== '0000') throw new Error(`send code failed: ${JSON.stringify(sent)}`);
  const ticket = sent.message as string;
  const code = await lastSmsCode(t, phone);
  const checked = await mrpyqPost(t, '/register', { code_v: ticket, code }, ip);
  if (checked.result !== '0000') throw new Error(`code check failed: ${JSON.stringify(checked)}`);
  return ticket;
}

export interface MrpyqTestUser {
  /** The id the database gave the account. */
  id: string;
  /** The mrpyq user id: the 11-digit phone. */
  phone: string;
  password: string;
  nickname: string;
  token: string;
}

/** A mrpyq account through the whole documented flow (code, check, step 2, /log), in one line. */
export async function registerMrpyqUser(
  t: TestApp,
  overrides: Partial<{
    phone: string;
    password: string;
    nickname: string;
    gender: '0' | '1';
    ip: string;
  }> = {},
): Promise<MrpyqTestUser> {
  const phone = overrides.phone ?? newPhone();
  const password = overrides.password ?? 'secret123';
  const nickname = overrides.nickname ?? `主播${phone.slice(-4)}`;
  await verifyMrpyqPhone(t, phone, overrides.ip);
  const registered = await mrpyqPost(
    t,
    '/register',
    {
      register: '1',
      userId: phone,
      password,
      nickname,
      ...(overrides.gender ? { gender: overrides.gender } : {}),
    },
    overrides.ip,
  );
  if (registered.result !== '0000') throw new Error(`register failed: ${JSON.stringify(registered)}`);
  const token = await loginMrpyq(t, phone, password, overrides.ip);
  const rows = await t.db.query<Array<{ id: string }>>(`SELECT id FROM users WHERE phone = $1`, [
    `+86${phone}`,
  ]);
  return { id: rows[0].id, phone, password, nickname, token };
}

export async function loginMrpyq(t: TestApp, phone: string, password: string, ip?: string): Promise<string> {
  const res = await mrpyqPost(t, '/log', { userId: phone, password, expire_in: '604800' }, ip);
  if (res.result !== '0000') throw new Error(`login failed: ${JSON.stringify(res)}`);
  return res.message as string;
}

/** Two users made friends through the API (add, then accept from the messages). */
export async function befriend(t: TestApp, a: MrpyqTestUser, b: MrpyqTestUser): Promise<void> {
  const added = await mrpyqPost(t, '/friend', { token: a.token, add: '1', userId: b.phone });
  if (added.result !== '0000') throw new Error(`add failed: ${JSON.stringify(added)}`);
  const list = await mrpyqPost(t, '/list', { token: b.token, messagelist: '1' });
  const message = (
    list.message as Array<{ flag: number; userId: string; verifyId: string; objectId: string }>
  ).find((m) => m.flag === 0 && m.userId === a.phone);
  if (!message) throw new Error(`no pending request from ${a.phone}: ${JSON.stringify(list)}`);
  const accepted = await mrpyqPost(t, '/friend', {
    token: b.token,
    dealMessage: '1',
    userId: a.phone,
    verifyId: message.verifyId,
    objectId: message.objectId,
    behaviour: 'accept',
  });
  if (accepted.result !== '0000') throw new Error(`accept failed: ${JSON.stringify(accepted)}`);
}

/** A small real PNG, different each call. */
let shade = 0;
export function png(): Promise<Buffer> {
  shade = (shade + 7) % 255;
  return sharp({ create: { width: 16, height: 16, channels: 3, background: { r: shade, g: 90, b: 200 } } })
    .png()
    .toBuffer();
}
