import { Mailer } from '#src/outbox/mailer.js';

/** Development default: the mail stays in the outbox table, readable at GET /dev/outbox. */
export class LocalMailer extends Mailer {
  readonly local = true;
  send(): Promise<void> {
    return Promise.resolve();
  }
}
