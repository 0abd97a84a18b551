import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message as the fake server received and parsed it. */
export interface ReceivedMail {
  /** The header recipients, addresses only, comma-separated. */
  to: string;
  /** The SMTP envelope recipients (RCPT TO). */
  envelopeTo: string[];
  from: string;
  subject: string;
  /** The plain-text part, decoded, as the sender wrote it. */
  text: string;
}

interface Waiter {
  resolve: (mail: ReceivedMail) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects
    .flatMap((o) => o.value)
    .map((a) => a.address ?? '')
    .join(', ');
}

/**
 * A real SMTP server on 127.0.0.1 (random port, no TLS, no auth) that parses what it receives. Apps reach it
 * through the production SMTP adapter: `createTestApp({ env: { ...smtp.env } })`.
 *
 * Messages queue up in arrival order; `nextMessage()` takes the oldest one not yet taken, waiting for it if
 * needed. A message is queued before the server answers 250, so once the app's delivery round is over
 * (`t.flushOutbox()`) whatever it delivered is already here.
 */
export class FakeSmtpServer {
  /** Every accepted message, in arrival order (taken or not). */
  readonly received: ReceivedMail[] = [];
  /** How many messages the server refused while `rejecting` was on. */
  rejectedCount = 0;
  /** When on, every message is refused with a transient `451` after its data was read. */
  rejecting = false;

  private readonly queue: ReceivedMail[] = [];
  private readonly waiters: Waiter[] = [];

  private readonly server: SMTPServer;
  private listeningPort = 0;

  private constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 1_000,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            if (this.rejecting) {
              this.rejectedCount += 1;
              callback(
                Object.assign(new Error('Mailbox temporarily unavailable (fake)'), { responseCode: 451 }),
              );
              return;
            }
            this.accept({
              to: addresses(parsed.to),
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              from: addresses(parsed.from),
              subject: parsed.subject ?? '',
              // MIME text ends with a line break the sender did not write.
              text: (parsed.text ?? '').replace(/\r?\n$/, ''),
            });
            callback();
          })
          .catch((error: unknown) => callback(error as Error));
      },
    });
  }

  static async start(): Promise<FakeSmtpServer> {
    const fake = new FakeSmtpServer();
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      const listening = fake.server.listen(0, '127.0.0.1', () => {
        fake.listeningPort = (listening.address() as AddressInfo).port;
        resolve();
      });
    });
    return fake;
  }

  get port(): number {
    return this.listeningPort;
  }

  /** The environment that points an app's production SMTP adapter here. */
  get env(): Record<string, string> {
    return {
      MAIL_TRANSPORT: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(this.port),
      SMTP_IGNORE_TLS: 'true',
    };
  }

  /** Messages received but not yet taken by `nextMessage()`. */
  get pending(): readonly ReceivedMail[] {
    return this.queue;
  }

  /** Takes the oldest message not yet taken, waiting up to `timeoutMs` for one to arrive. */
  nextMessage(timeoutMs = 5_000): Promise<ReceivedMail> {
    const ready = this.queue.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise<ReceivedMail>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new Error(`no mail reached the fake SMTP server within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('fake SMTP server closed'));
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(mail: ReceivedMail): void {
    this.received.push(mail);
    const waiter = this.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(mail);
    } else {
      this.queue.push(mail);
    }
  }
}
