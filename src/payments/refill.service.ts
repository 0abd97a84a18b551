import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { DomainError } from '#src/common/errors/domain-error.js';
import { ROOT_LOGGER } from '#src/common/logging/logger.module.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';
import { CoinPostings } from '#src/payments/coin-postings.js';
import { PaymentProvider, type PaymentNotice } from '#src/payments/payment-provider.js';
import { fenToYuan, yuanToFen } from '#src/payments/payments-config.js';
import type { RefillOrderEntity } from '#src/payments/refill-order.entity.js';
import { RefillOrdersRepository } from '#src/payments/refill-orders.repository.js';

export interface RefillPackage {
  /** The price as mrpyq's `money` names it, in yuan ("10"). */
  yuan: string;
  amountFen: number;
  coins: number;
}

export interface RefillStarted {
  orderId: string;
  outTradeNo: string;
  /** paid: coins credited already (local provider); pending: the user pays in the provider's app. */
  status: 'paid' | 'pending';
  amountFen: number;
  coins: number;
  /** What the app needs to pay: Alipay's signed order string for its SDK (`payV2`); null when paid. */
  payment: { provider: 'alipay'; orderString: string } | null;
}

/** Alipay reads the body of the answer to its notification: anything but `success` makes it retry. */
export type NotifyAnswer = 'success' | 'fail';

/**
 * mrpyq refills (`refill=1`): an order for one configured package, paid through the PaymentProvider. Coins are
 * credited when the order turns paid, in the same transaction as that transition, through CoinPostings: once.
 */
@Injectable()
export class RefillService {
  private readonly log: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly provider: PaymentProvider,
    private readonly orders: RefillOrdersRepository,
    private readonly coins: CoinPostings,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'refill' });
  }

  /** False in production without a real provider: `startRefill` refuses, and a controller may say so first. */
  get available(): boolean {
    return this.provider.available;
  }

  packages(): RefillPackage[] {
    return [...this.config.payments.refill.packages].map(([amountFen, coins]) => ({
      yuan: fenToYuan(amountFen).replace(/\.00$/, ''),
      amountFen,
      coins,
    }));
  }

  /**
   * `money` is a package's price in yuan ("10", "10元", "10.00"). Throws FORBIDDEN when refill is not available,
   * INVALID_PARAMS for a price that is not a package; with the local provider, whatever CoinPostings throws (the
   * order then stays unpaid).
   */
  async startRefill(userId: string, money: string): Promise<RefillStarted> {
    if (!this.provider.available)
      throw new DomainError('FORBIDDEN', 'refill is not available on this server');
    const provider = this.provider.name;
    if (provider === 'none') throw new DomainError('FORBIDDEN', 'refill is not available on this server');
    const amountFen = yuanToFen(money.trim().replace(/\s*元$/, ''));
    const coins = amountFen === undefined ? undefined : this.config.payments.refill.packages.get(amountFen);
    if (amountFen === undefined || coins === undefined) {
      throw new DomainError('INVALID_PARAMS', 'no refill package at this price', { fields: ['money'] });
    }
    const now = this.clock.now();
    const order = await this.orders.create({
      outTradeNo: outTradeNo(now),
      userId,
      provider,
      amountFen,
      coins,
      now,
    });
    // The order is committed before the provider hears of it: a notification can always find it.
    const start = await this.provider.startPayment({
      outTradeNo: order.outTradeNo,
      amountFen,
      subject: this.config.payments.refill.alipay?.subject ?? '金币充值',
    });
    const started = { orderId: order.id, outTradeNo: order.outTradeNo, amountFen, coins };
    if (start.status === 'pending') return { ...started, status: 'pending', payment: start.payment };
    const result = await this.markPaid(order, start.tradeNo);
    if (result !== 'credited')
      throw new Error(`local refill ${order.id} could not be marked paid: ${result}`);
    return { ...started, status: 'paid', payment: null };
  }

  /**
   * Alipay's asynchronous notification (its form fields). `success` when it is authentic and applied, or was
   * applied before (Alipay repeats notifications): that is the only answer that stops its retries. `fail` for
   * anything forged, unknown or inconsistent with the stored order, and for our own failures, so a genuine
   * notification is retried until it is applied. Never throws.
   */
  async handleAlipayNotification(body: unknown): Promise<NotifyAnswer> {
    try {
      return await this.applyAlipayNotification(body);
    } catch (error) {
      // The message only: a failed query's bound values stay out of the log, as everywhere (docs/security.md).
      this.log.error(
        { error: error instanceof Error ? error.message : String(error) },
        'Alipay notification could not be applied; Alipay will retry',
      );
      return 'fail';
    }
  }

  private async applyAlipayNotification(body: unknown): Promise<NotifyAnswer> {
    if (this.provider.name !== 'alipay') return this.refuse('provider', undefined);
    const params = formFields(body);
    if (!params) return this.refuse('malformed', undefined);
    const verdict = this.provider.verifyNotification(params);
    if (!verdict.ok) return this.refuse(verdict.reason, params.out_trade_no);
    const notice: PaymentNotice = verdict.notice;
    const order = await this.orders.findByOutTradeNo(notice.outTradeNo);
    if (!order || order.provider !== 'alipay') return this.refuse('unknown_order', notice.outTradeNo);
    if (notice.totalAmountFen !== order.amountFen) return this.refuse('amount', notice.outTradeNo);
    switch (notice.status) {
      case 'waiting':
        return 'success';
      case 'closed':
        await this.orders.closeUnpaid(order.id, this.clock.now());
        return 'success';
      case 'paid': {
        const result = await this.markPaid(order, notice.tradeNo);
        if (result === 'conflict') {
          this.log.error(
            { orderId: order.id, outTradeNo: order.outTradeNo },
            'Alipay reported a second trade for a paid order',
          );
          return 'fail';
        }
        return 'success';
      }
    }
  }

  private refuse(reason: string, outTradeNo: string | undefined): NotifyAnswer {
    this.log.warn({ reason, outTradeNo }, 'Alipay notification refused');
    return 'fail';
  }

  /** created/closed -> paid and the credit, in one transaction; a repeat of the same trade changes nothing. */
  private async markPaid(
    order: RefillOrderEntity,
    tradeNo: string,
  ): Promise<'credited' | 'already-paid' | 'conflict'> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (em) => {
      const result = await this.orders.markPaid(em, order.id, tradeNo, now);
      if (result !== 'paid') return result;
      await this.coins.creditPaidRefill(
        {
          orderId: order.id,
          outTradeNo: order.outTradeNo,
          provider: order.provider,
          tradeNo,
          userId: order.userId,
          amountFen: order.amountFen,
          coins: order.coins,
          paidAt: now,
        },
        em,
      );
      return 'credited' as const;
    });
  }
}

/** Alipay's out_trade_no allows letters, digits and underscores, 64 at most; random so environments never clash. */
function outTradeNo(now: Date): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return `R${stamp}${randomBytes(8).toString('hex')}`;
}

/** A form body as flat string fields; null when any field is not a single string (a forged shape). */
function formFields(body: unknown): Record<string, string> | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value !== 'string') return null;
    fields[key] = value;
  }
  return fields;
}
