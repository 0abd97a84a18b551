export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Where mail goes. The adapter is chosen from MAIL_TRANSPORT; services only ever write to the outbox table. */
export abstract class Mailer {
  /** `local` adapters keep mail in the outbox for /dev/outbox instead of delivering it. */
  abstract readonly local: boolean;
  abstract send(message: MailMessage): Promise<void>;
}
