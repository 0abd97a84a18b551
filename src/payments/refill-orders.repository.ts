import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { isUniqueViolation } from '#src/common/database/pg-errors.js';
import { RefillOrderEntity, type RefillProviderName } from '#src/payments/refill-order.entity.js';

export type MarkPaidResult = 'paid' | 'already-paid' | 'conflict';

@Injectable()
export class RefillOrdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(em?: EntityManager) {
    return (em ?? this.dataSource.manager).getRepository(RefillOrderEntity);
  }

  async create(order: {
    outTradeNo: string;
    userId: string;
    provider: RefillProviderName;
    amountFen: number;
    coins: number;
    now: Date;
  }): Promise<RefillOrderEntity> {
    return this.repo().save(
      this.repo().create({
        outTradeNo: order.outTradeNo,
        userId: order.userId,
        provider: order.provider,
        amountFen: order.amountFen,
        coins: order.coins,
        status: 'created',
        tradeNo: null,
        createdAt: order.now,
        paidAt: null,
        closedAt: null,
      }),
    );
  }

  findById(id: string, em?: EntityManager): Promise<RefillOrderEntity | null> {
    if (!isBigintId(id)) return Promise.resolve(null);
    return this.repo(em).findOneBy({ id });
  }

  findByOutTradeNo(outTradeNo: string): Promise<RefillOrderEntity | null> {
    return this.repo().findOneBy({ outTradeNo });
  }

  /**
   * The one transition that credits: any unpaid order to paid, guarded so that of concurrent notifications one
   * wins and the others find it paid. `conflict`: paid already under another trade, or the trade already paid
   * another order (the unique index), both impossible for a genuine provider.
   */
  async markPaid(em: EntityManager, id: string, tradeNo: string, now: Date): Promise<MarkPaidResult> {
    try {
      const [rows] = await em.query<[unknown[], number]>(
        `UPDATE refill_orders SET status = 'paid', trade_no = $2, paid_at = $3, closed_at = NULL
          WHERE id = $1 AND status <> 'paid'
          RETURNING id`,
        [id, tradeNo, now],
      );
      if (rows.length === 1) return 'paid';
    } catch (error) {
      if (isUniqueViolation(error, 'refill_orders_trade_key')) return 'conflict';
      throw error;
    }
    const current = await this.findById(id, em);
    return current?.status === 'paid' && current.tradeNo === tradeNo ? 'already-paid' : 'conflict';
  }

  /** An unpaid order the provider closed (timed out); a paid one stays paid. */
  async closeUnpaid(id: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE refill_orders SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = 'created'`,
      [id, now],
    );
  }
}
