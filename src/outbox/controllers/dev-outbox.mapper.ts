import type { DevOutboxEntry } from '#src/outbox/controllers/dev-outbox.controller.js';
import type { OutboxMessageEntity } from '#src/outbox/outbox-message.entity.js';

export function toDevOutboxEntry(message: OutboxMessageEntity): DevOutboxEntry {
  return {
    channel: message.channel,
    to: message.recipient,
    subject: message.subject,
    body: message.body,
    createdAt: message.createdAt.toISOString(),
  };
}
