import { Clock } from '#src/common/time/clock.js';

/** A clock tests move by hand: code expiry, lockouts, session sliding. */
export class FakeClock extends Clock {
  private current: number;

  constructor(start: Date | number = Date.now()) {
    super();
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
