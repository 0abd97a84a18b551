export type CodePurpose = 'register' | 'reset' | 'bind' | 'change';
export type CodeChannel = 'sms' | 'mail';

/** The open (unconsumed) code of a recipient and purpose, as a check needs it. */
export interface OpenVerificationCode {
  id: string;
  channel: CodeChannel;
  /** HMAC of the code under the server's code key: the digits themselves are never stored. */
  codeHmac: Buffer;
  attempts: number;
  expiresAt: Date;
}

export interface NewVerificationCode {
  channel: CodeChannel;
  recipient: string;
  purpose: CodePurpose;
  codeHmac: Buffer;
  createdAt: Date;
  expiresAt: Date;
}

/** What was sent to a recipient lately: its latest code of one purpose, and its codes of every purpose. */
export interface RecipientActivity {
  lastSentAt: Date | null;
  sentInLastHour: number;
  sentInLastDay: number;
}
