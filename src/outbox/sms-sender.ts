export interface SmsMessage {
  to: string;
  text: string;
  /** Provider template parameters (Aliyun's TemplateParam), when the provider sends by template. */
  params?: Record<string, string>;
}

/** Where SMS goes; chosen from SMS_PROVIDER. */
export abstract class SmsSender {
  abstract readonly local: boolean;
  abstract send(message: SmsMessage): Promise<void>;
}

/** Development default: the SMS stays in the outbox table, readable at GET /dev/outbox. */
export class LocalSmsSender extends SmsSender {
  readonly local = true;
  send(): Promise<void> {
    return Promise.resolve();
  }
}
