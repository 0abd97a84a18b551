import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type FeedType = 'pic' | 'video';
export type FeedTag = 'exclusive' | 'premiere';
export const FEED_TAGS: readonly FeedTag[] = ['exclusive', 'premiere'];
export const REPORT_TYPES = [
  'adOrPornographic',
  'violenceOrIllegal',
  'fraud',
  'copyright',
  'threats',
  'other',
] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

const bigintNumber = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? 0 : Number(value)),
};

/**
 * A post: a picture, or a video with its cover picture. Files are storage keys. A paid video's file is private
 * (moved out of public reach when posted) and read only through signed addresses; `price` is whole coins.
 */
@Entity({ name: 'feeds' })
export class FeedEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'author_id', type: 'bigint' })
  authorId: string;

  @Column({ type: 'text' })
  type: FeedType;

  @Column({ name: 'photo_key', type: 'text' })
  photoKey: string;

  @Column({ name: 'video_key', type: 'text', nullable: true })
  videoKey: string | null;

  @Column({ type: 'integer' })
  width: number;

  @Column({ type: 'integer' })
  height: number;

  /** Seconds. */
  @Column({ type: 'integer', default: 0 })
  duration: number;

  @Column({ type: 'text', default: '' })
  words: string;

  @Column({ type: 'text', nullable: true })
  tag: FeedTag | null;

  @Column({ type: 'boolean' })
  free: boolean;

  /** Whole coins; 0 when free. At most 1,000,000, so a JS number holds it exactly. */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  price: number;

  @Column({ type: 'boolean', default: false })
  mute: boolean;

  @Column({ name: 'shooting_time', type: 'timestamptz', nullable: true })
  shootingTime: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  /** Set by an operator (a report upheld): gone from every list, like a deleted feed. */
  @Column({ name: 'hidden_at', type: 'timestamptz', nullable: true })
  hiddenAt: Date | null;
}
