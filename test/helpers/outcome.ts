import { DomainError } from '#src/common/errors/domain-error.js';

/** Runs a service call and names its outcome: 'ok', or the DomainError's code (anything else is rethrown). */
export async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}
