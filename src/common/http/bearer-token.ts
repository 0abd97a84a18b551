/** The token of `Authorization: Bearer <token>`, the scheme compared case-insensitively (RFC 9110); else undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = typeof header === 'string' ? /^Bearer[ ]+(\S+)$/i.exec(header) : null;
  return match?.[1];
}
