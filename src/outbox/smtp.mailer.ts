import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '#src/config/app-config.js';
import { Mailer, type MailMessage } from '#src/outbox/mailer.js';

export class SmtpMailer extends Mailer {
  readonly local = false;
  private readonly transport: Transporter;

  constructor(private readonly config: AppConfig['mail']) {
    super();
    const smtp = config.smtp;
    this.transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ignoreTLS: smtp.ignoreTls,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.config.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
  }
}
