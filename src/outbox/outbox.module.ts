import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '#src/config/app-config.js';
import { Clock } from '#src/common/time/clock.js';
import { AliyunSmsSender } from '#src/outbox/aliyun-sms.sender.js';
import { DevOutboxController } from '#src/outbox/controllers/dev-outbox.controller.js';
import { LocalMailer } from '#src/outbox/local.mailer.js';
import { Mailer } from '#src/outbox/mailer.js';
import { OutboxMessagesRepository } from '#src/outbox/outbox-messages.repository.js';
import { OutboxService } from '#src/outbox/outbox.service.js';
import { LocalSmsSender, SmsSender } from '#src/outbox/sms-sender.js';
import { SmtpMailer } from '#src/outbox/smtp.mailer.js';

/** Providers are chosen here from typed config at module build time, so tests swap them by config. */
@Module({})
export class OutboxModule {
  static forRoot(config: AppConfig, clock: Clock): DynamicModule {
    const mailer: Mailer = config.mail.transport === 'smtp' ? new SmtpMailer(config.mail) : new LocalMailer();
    const sms: SmsSender =
      config.sms.provider === 'aliyun' ? new AliyunSmsSender(config.sms.aliyun, clock) : new LocalSmsSender();
    const devOutbox = !config.isProduction && (mailer.local || sms.local);
    return {
      module: OutboxModule,
      global: true,
      controllers: devOutbox ? [DevOutboxController] : [],
      providers: [
        { provide: Mailer, useValue: mailer },
        { provide: SmsSender, useValue: sms },
        OutboxMessagesRepository,
        OutboxService,
      ],
      exports: [OutboxService],
    };
  }
}
