import { DomainError } from '#src/common/errors/domain-error.js';

/**
 * What the provider adapters share: one bounded HTTP call, and errors that name the provider and its error code but
 * never a URL (the providers take codes and tokens in query strings), a code, a token or a secret.
 */
export interface ProviderAnswer {
  status: number;
  text: string;
}

export async function callProvider(
  provider: string,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<ProviderAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw upstreamFailed(provider, 'unreachable', cause);
  }
  const text = await response.text().catch(() => '');
  return { status: response.status, text };
}

export function upstreamFailed(
  provider: string,
  reason: string,
  providerCode?: string | number,
): DomainError {
  return new DomainError('UPSTREAM_FAILED', `${provider} sign-in failed: ${reason}`, {
    provider,
    reason,
    ...(providerCode === undefined ? {} : { providerCode: String(providerCode) }),
  });
}

/** The provider refused the authorization code: unknown, expired or already used. */
export function codeRefused(provider: string, providerCode: string | number): DomainError {
  return new DomainError('INVALID_PARAMS', `${provider} refused the authorization code`, {
    provider,
    reason: 'code',
    providerCode: String(providerCode),
  });
}

/** A JSON object, whatever Content-Type the provider labelled it with (QQ and WeChat say text/html or text/plain). */
export function parseJsonObject(provider: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw upstreamFailed(provider, 'malformed answer');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw upstreamFailed(provider, 'malformed answer');
  }
  return value as Record<string, unknown>;
}

/** A non-empty string or number field as a string (providers send ids as either), else undefined. */
export function idField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

export function textField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value : '';
}

export function queryString(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}
