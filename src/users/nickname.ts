import { DomainError } from '#src/common/errors/domain-error.js';

const MAX_NICKNAME_LENGTH = 30;

/**
 * A nickname is 1–30 characters (code points) after trimming, with no control or invisible formatting
 * characters (but the emoji zero-width joiner) and not only punctuation/whitespace. Returns the trimmed nickname.
 */
export function validNickname(raw: string): string {
  const nickname = raw.normalize('NFC').trim();
  const length = [...nickname].length;
  if (length === 0 || length > MAX_NICKNAME_LENGTH) throw new DomainError('NICKNAME_INVALID');
  // Invisible formatting characters are refused, except the zero-width joiner that emoji sequences (👩‍💻) need.
  if (/(?!\u200d)[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u.test(nickname))
    throw new DomainError('NICKNAME_INVALID');
  if (!/[\p{L}\p{N}\p{So}]/u.test(nickname)) throw new DomainError('NICKNAME_INVALID');
  return nickname;
}

/** Words a nickname may not be, once case, width, spaces and punctuation are set aside (impersonating staff). */
const RESERVED_EXACT = new Set([
  'admin',
  'administrator',
  'root',
  'system',
  'support',
  'moderator',
  'official',
  'staff',
]);
/** Words a nickname may not contain at all. */
const RESERVED_PARTS = ['nuzzle', '官方', '管理员', '客服', '系统消息'];

/** Whether a (valid) nickname impersonates the service or its staff. */
export function isReservedNickname(nickname: string): boolean {
  const squashed = nickname
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
  return RESERVED_EXACT.has(squashed) || RESERVED_PARTS.some((part) => squashed.includes(part));
}
