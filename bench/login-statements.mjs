// The SQL a login runs, as the stand-in (bench/login-stand-in.mjs) runs it beside the argon2id bound: one read of the
// account by email with its password hash, then one session INSERT. Written here rather than imported from the
// server's build, so production code exports nothing for the benchmark; kept to what the server's sign-in sends
// (src/auth/credentials.repository.ts and sessions.repository.ts): compare the two when either changes.
// Named, so each pool connection prepares them once, as the server's hot queries are.

/** The open account with this email, its whole user row and its credential, as sign-in reads it; values [email]. */
export const ACCOUNT_BY_EMAIL = {
  name: 'bench_account_by_email',
  text: `SELECT u.id AS "u_id", u.email AS "u_email", u.phone AS "u_phone", u.nickname AS "u_nickname",
                u.avatar_url AS "u_avatarUrl", u.signature AS "u_signature", u.gender AS "u_gender",
                u.status AS "u_status", u.type AS "u_type", u.role AS "u_role", u.reg_done AS "u_regDone",
                u.facebook_id AS "u_facebookId", u.created_at AS "u_createdAt", u.updated_at AS "u_updatedAt",
                c.password_hash AS "passwordHash", c.locked_at AS "lockedAt"
           FROM users u LEFT JOIN user_credentials c ON c.user_id = u.id
          WHERE u.email = $1 AND u.status <> 'closed'`,
};

/** One session row; values [user id, dialect, platform, user agent, ip, now, expiry]. */
export const INSERT_SESSION = {
  name: 'bench_insert_session',
  text: `INSERT INTO sessions (user_id, dialect, platform, user_agent, ip, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id`,
};
