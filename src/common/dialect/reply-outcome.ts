/**
 * A success whose code or message depends on the outcome (xiaoma's "verified" versus "sent to review", moretv's
 * errcode 1 "changed" versus 0 "nothing changed"). Controllers return it instead of plain data; the interceptor
 * unwraps it. The code must be one the dialect documents for success.
 */
export class ReplyOutcome<T> {
  constructor(
    readonly data: T,
    readonly status: { code?: string | number; message?: string },
  ) {}
}
