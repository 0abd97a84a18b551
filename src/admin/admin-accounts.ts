import { hash } from '@node-rs/argon2';
import type pg from 'pg';
import { md5Hex } from '#src/auth/password-digest.js';
import { ARGON2ID } from '#src/auth/password-hasher.js';
import { toE164 } from '#src/users/phone.js';

/** Operators' passwords are longer than the apps' 6: they open every account's identity papers. */
export const ADMIN_PASSWORD_MIN = 12;
export const ADMIN_PASSWORD_MAX = 128;

export class AdminAccountError extends Error {}

type Queryable = Pick<pg.Client, 'query'>;

function emailOf(input: string): string {
  const email = input.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
    throw new AdminAccountError(`not an email address: ${input}`);
  }
  return email;
}

/** An account is named by its email or its phone (E.164, or a mainland number as the apps send it). */
function accountKey(input: string): { column: 'email' | 'phone'; value: string } {
  if (input.includes('@')) return { column: 'email', value: emailOf(input) };
  const phone = toE164(input.trim());
  if (!phone) throw new AdminAccountError(`neither an email address nor a phone number: ${input}`);
  return { column: 'phone', value: phone };
}

export function checkAdminPassword(password: string): void {
  const length = [...password].length;
  if (length < ADMIN_PASSWORD_MIN || length > ADMIN_PASSWORD_MAX) {
    throw new AdminAccountError(
      `the password must be ${ADMIN_PASSWORD_MIN}–${ADMIN_PASSWORD_MAX} characters (it had ${length})`,
    );
  }
}

async function audit(
  db: Queryable,
  entry: { actor: string; action: string; userId: string; detail?: Record<string, unknown> },
): Promise<void> {
  await db.query(`INSERT INTO audit_log (actor, action, subject_user_id, detail) VALUES ($1, $2, $3, $4)`, [
    entry.actor,
    entry.action,
    entry.userId,
    JSON.stringify(entry.detail ?? {}),
  ]);
}

/**
 * A new account with the admin role, its password hashed as every account's is (argon2id over the md5 digest the
 * apps send), in one transaction with its audit entry. An address that already has an account is refused: its
 * owner's password is not ours to replace (`grantAdmin` promotes it instead).
 */
export async function createAdmin(
  db: Queryable,
  input: { email: string; password: string; nickname?: string; actor: string },
): Promise<{ id: string; email: string }> {
  const email = emailOf(input.email);
  checkAdminPassword(input.password);
  const passwordHash = await hash(md5Hex(input.password), ARGON2ID);
  await db.query('BEGIN');
  try {
    const taken = await db.query(`SELECT 1 FROM users WHERE email = $1 AND status <> 'closed'`, [email]);
    if (taken.rowCount) {
      throw new AdminAccountError(
        `${email} already has an account: use grant-admin to give it the admin role`,
      );
    }
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO users (email, nickname, role, reg_done) VALUES ($1, $2, 'admin', true) RETURNING id`,
      [email, (input.nickname ?? '').trim() || email.split('@')[0]],
    );
    const id = rows[0].id;
    await db.query(
      `INSERT INTO user_credentials (user_id, password_hash, updated_at) VALUES ($1, $2, now())`,
      [id, passwordHash],
    );
    await audit(db, { actor: input.actor, action: 'admin.created', userId: id, detail: { email } });
    await db.query('COMMIT');
    return { id, email };
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

/**
 * Gives or takes the admin role of an existing open account. Taking it also ends the account's operator sessions at
 * once (its app sessions stay: it is still a user).
 */
export async function setAdminRole(
  db: Queryable,
  input: { account: string; admin: boolean; actor: string },
): Promise<{ id: string; changed: boolean }> {
  const key = accountKey(input.account);
  const role = input.admin ? 'admin' : 'user';
  await db.query('BEGIN');
  try {
    const { rows } = await db.query<{ id: string; role: string }>(
      `SELECT id, role FROM users WHERE ${key.column} = $1 AND status <> 'closed' FOR UPDATE`,
      [key.value],
    );
    if (!rows[0]) throw new AdminAccountError(`no open account has ${key.column} ${key.value}`);
    const { id } = rows[0];
    const changed = rows[0].role !== role;
    if (changed) {
      await db.query(`UPDATE users SET role = $2, updated_at = now() WHERE id = $1`, [id, role]);
      if (!input.admin) {
        await db.query(
          `UPDATE sessions SET revoked_at = now(), revoke_reason = 'admin_revoked'
            WHERE user_id = $1 AND dialect = 'admin' AND revoked_at IS NULL`,
          [id],
        );
      }
      await audit(db, {
        actor: input.actor,
        action: input.admin ? 'admin.granted' : 'admin.revoked',
        userId: id,
        detail: { [key.column]: key.value },
      });
    }
    await db.query('COMMIT');
    return { id, changed };
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
