import { UserEntity, type UserRole, type UserStatus, type UserType } from '#src/users/user.entity.js';

/**
 * The user columns for hand-written hot-path queries that join `users u` (session check, sign-in), so they return
 * a whole user in the same round trip. Aliased with a `u_` prefix to stay clear of the joined table's columns.
 */
export const USER_COLUMNS = `u.id AS "u_id", u.email AS "u_email", u.phone AS "u_phone", u.nickname AS "u_nickname",
  u.avatar_url AS "u_avatarUrl", u.signature AS "u_signature", u.gender AS "u_gender", u.status AS "u_status",
  u.type AS "u_type", u.role AS "u_role", u.reg_done AS "u_regDone", u.facebook_id AS "u_facebookId", u.created_at AS "u_createdAt",
  u.updated_at AS "u_updatedAt"`;

export interface UserSqlColumns {
  u_id: string;
  u_email: string | null;
  u_phone: string | null;
  u_nickname: string;
  u_avatarUrl: string;
  u_signature: string;
  u_gender: number | null;
  u_status: UserStatus;
  u_type: UserType;
  u_role: UserRole;
  u_regDone: boolean;
  u_facebookId: string | null;
  u_createdAt: Date;
  u_updatedAt: Date;
}

export function userFromRow(row: UserSqlColumns): UserEntity {
  return Object.assign(new UserEntity(), {
    id: row.u_id,
    email: row.u_email,
    phone: row.u_phone,
    nickname: row.u_nickname,
    avatarUrl: row.u_avatarUrl,
    signature: row.u_signature,
    gender: row.u_gender,
    status: row.u_status,
    type: row.u_type,
    role: row.u_role,
    regDone: row.u_regDone,
    facebookId: row.u_facebookId,
    createdAt: row.u_createdAt,
    updatedAt: row.u_updatedAt,
  });
}
