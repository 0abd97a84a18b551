/** Everything time-based reads this, so tests can move time (code expiry, lockouts, session sliding). */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
