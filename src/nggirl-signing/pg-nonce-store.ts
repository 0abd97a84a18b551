import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '#src/common/time/clock.js';
import { BatchWhileBusy } from '#src/database/batch-while-busy.js';
import { NonceStore } from '#src/nggirl-signing/nonce-store.js';

/**
 * Claims of many requests in one statement: values are (app ids, nonces, expiries, now). A pair not yet recorded
 * is inserted; a pair whose row expired but was not swept yet is taken over; a live one is left alone. The rows
 * returned are the claims that won. Callers never send one pair twice in a statement (ON CONFLICT DO UPDATE cannot
 * touch a row twice).
 */
export const CLAIM_NONCES = `INSERT INTO request_nonces AS n (app_id, nonce, expires_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
         ON CONFLICT (app_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at
           WHERE n.expires_at <= $4::timestamptz
         RETURNING app_id, nonce`;

/** How often expired rows are deleted. Any instance may do it; a late sweep only keeps a few rows longer. */
export const NONCE_SWEEP_INTERVAL_MS = 60_000;

interface Claim {
  appId: string;
  nonce: string;
  expiresAt: Date;
}

/**
 * Nonces in an UNLOGGED table (no WAL: a crash empties it, which forgets at most one window of nonces). One
 * statement per request, shared by the requests that arrive while others are in flight.
 */
@Injectable()
export class PgNonceStore extends NonceStore implements OnModuleInit, OnApplicationShutdown {
  readonly kind = 'postgres';
  private sweeper?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    super();
  }

  // Keyed by each caller's own object: two requests with the same nonce are two claims, and only one may win.
  private readonly claims = new BatchWhileBusy<Claim, boolean>((batch) => this.claimMany(batch), {
    maxInFlight: 2,
    maxBatch: 64,
  });

  async claim(appId: string, nonce: string, expiresAt: Date): Promise<boolean> {
    return (await this.claims.load({ appId, nonce, expiresAt })) === true;
  }

  private async claimMany(batch: Claim[]): Promise<Map<Claim, boolean>> {
    const answers = new Map<Claim, boolean>();
    const first = new Map<string, Claim>();
    for (const claim of batch) {
      const key = `${claim.appId}\n${claim.nonce}`;
      // The same pair twice in one batch: the later one lost already.
      if (first.has(key)) answers.set(claim, false);
      else first.set(key, claim);
    }
    const sent = [...first.values()];
    const rows = await this.dataSource.query<Array<{ app_id: string; nonce: string }>>(CLAIM_NONCES, [
      sent.map((c) => c.appId),
      sent.map((c) => c.nonce),
      sent.map((c) => c.expiresAt),
      this.clock.now(),
    ]);
    const won = new Set(rows.map((row) => `${row.app_id}\n${row.nonce}`));
    for (const [key, claim] of first) answers.set(claim, won.has(key));
    return answers;
  }

  /** Deletes the rows whose window has passed; answers how many. */
  async sweep(): Promise<number> {
    const result = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM request_nonces WHERE expires_at <= $1`,
      [this.clock.now()],
    );
    return result[1];
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => {
      // A failed sweep (the database restarting) is retried at the next tick; the rows only wait longer.
      this.sweep().catch(() => undefined);
    }, NONCE_SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }
}
