import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '#src/payments/bigint-number.transformer.js';

export type RefillOrderStatus = 'created' | 'paid' | 'closed';
export type RefillProviderName = 'local' | 'alipay';

/** A coin refill bought with money: created, then paid exactly once (which credits its coins), or closed unpaid. */
@Entity({ name: 'refill_orders' })
export class RefillOrderEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** The order number the provider knows (Alipay's out_trade_no). */
  @Column({ name: 'out_trade_no', type: 'text' })
  outTradeNo: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId: string;

  @Column({ type: 'text' })
  provider: RefillProviderName;

  @Column({ name: 'amount_fen', type: 'bigint', transformer: bigintNumber })
  amountFen: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  coins: number;

  @Column({ type: 'text' })
  status: RefillOrderStatus;

  /** The provider's trade id, known once paid. */
  @Column({ name: 'trade_no', type: 'text', nullable: true })
  tradeNo: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
