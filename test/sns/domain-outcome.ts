import { DomainError } from '#src/common/errors/domain-error.js';

/** A promise's DomainError code and detail, or 'ok': assertions on both in one line. Anything else is rethrown. */
export async function domainOutcome(
  promise: Promise<unknown>,
): Promise<'ok' | { code: string; detail?: Record<string, unknown> }> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError)
      return { code: error.code, ...(error.detail ? { detail: error.detail } : {}) };
    throw error;
  }
}
