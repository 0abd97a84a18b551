import type { LocalizedText } from '#src/dialects/dialect.js';

/**
 * Failures of the transport a dialect's clients speak, not of the domain: they happen before a service is called,
 * and no service may throw them. Kept apart from DomainError so the domain's closed union stays about the domain;
 * each dialect still maps every one of these to a documented code (`transportErrors`).
 */
export const TRANSPORT_FAILURE_CODES = [
  /** A signed request whose signature, timestamp, nonce or app is wrong (nggirl). */
  'BAD_SIGNATURE',
  /** A shared path whose operation marker is missing, unknown or ambiguous (mrpyq's `register=1`, `live=1`…). */
  'UNKNOWN_OPERATION',
  /** A browser request from an origin that is not allowed, or without the form's CSRF token (moretv). */
  'ORIGIN_REFUSED',
] as const;

export type TransportFailureCode = (typeof TRANSPORT_FAILURE_CODES)[number];

export class TransportFailure extends Error {
  constructor(
    readonly code: TransportFailureCode,
    /**
     * What the client may be told about the cause, appended to the dialect's message (nggirl says which check of the
     * signature failed). Never a secret, never the expected value.
     */
    readonly reason?: LocalizedText,
    /** For logs only. */
    readonly detail?: Record<string, unknown>,
  ) {
    super(reason ? `${code}: ${reason.en}` : code);
    this.name = 'TransportFailure';
  }
}
