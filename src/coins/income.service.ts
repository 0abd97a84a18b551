import { Injectable } from '@nestjs/common';
import { isBigintId } from '#src/common/database/bigint-id.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { Currency } from '#src/coins/ledger-types.js';
import { LedgerRepository, type GiftRow, type PublicBuyer } from '#src/coins/ledger.repository.js';

export interface IncomeFigures {
  /** What the author received (price less the platform's share), summed. */
  coins: number;
  /** How many purchases. */
  counts: number;
}

export interface IncomeSummary extends IncomeFigures {
  /** Per item, the most recently bought first. */
  items: Array<IncomeFigures & { itemKey: string }>;
}

export interface IncomePurchase {
  /** The purchase id: the `maxId` cursor of the next page. */
  id: string;
  buyerId: string;
  /** The buyer's nickname and avatar (blank once their account is closed). */
  buyer: PublicBuyer;
  /** What the author received for this purchase. */
  coins: number;
  /** What the buyer paid. */
  price: number;
  paidAt: Date;
}

export interface IncomeDetail extends IncomeFigures {
  itemKey: string;
  /** Newest first. */
  purchases: IncomePurchase[];
  /** Pass as `maxId` for the next page; null at the end. */
  nextMaxId: string | null;
}

export const INCOME_PAGE_MAX = 100;

export type ReceivedGift = GiftRow;

export interface ReceivedGifts {
  /** Newest first. */
  gifts: ReceivedGift[];
  /** Pass as `maxId` for the next page; null at the end. */
  nextMaxId: string | null;
}

/** An author's income from content purchases (nuzzle `/income/summary` and `/income/detail`). */
@Injectable()
export class IncomeService {
  constructor(private readonly ledger: LedgerRepository) {}

  /** Totals and per-item figures of everything this author sold (empty for an id that names no user). */
  async summary(sellerId: string): Promise<IncomeSummary> {
    const items = isBigintId(sellerId) ? await this.ledger.incomeByItem(sellerId) : [];
    return {
      coins: items.reduce((sum, i) => sum + i.coins, 0),
      counts: items.reduce((sum, i) => sum + i.counts, 0),
      items: items.map(({ itemKey, coins, counts }) => ({ itemKey, coins, counts })),
    };
  }

  /**
   * One item's figures and its purchases, newest first, keyset-paged: `maxId` is the last purchase id of the
   * previous page (exclusive). INVALID_PARAMS for a malformed maxId or a size outside 1..INCOME_PAGE_MAX.
   */
  async detail(
    sellerId: string,
    itemKey: string,
    page: { maxId?: string; size: number },
  ): Promise<IncomeDetail> {
    if (page.maxId !== undefined && !isBigintId(page.maxId)) {
      throw new DomainError('INVALID_PARAMS', 'maxId is not a purchase id');
    }
    if (!Number.isInteger(page.size) || page.size < 1 || page.size > INCOME_PAGE_MAX) {
      throw new DomainError('INVALID_PARAMS', `size must be 1-${INCOME_PAGE_MAX}`);
    }
    if (!isBigintId(sellerId)) return { itemKey, coins: 0, counts: 0, purchases: [], nextMaxId: null };
    const [figures, rows] = await Promise.all([
      this.ledger.incomeOfItem(sellerId, itemKey),
      this.ledger.purchasesOfItem(sellerId, itemKey, { maxId: page.maxId, size: page.size + 1 }),
    ]);
    const purchases = rows.slice(0, page.size).map((p) => ({
      id: p.id,
      buyerId: p.buyerId,
      buyer: p.buyer,
      coins: p.sellerAmount,
      price: p.price,
      paidAt: p.at,
    }));
    return {
      itemKey,
      ...figures,
      purchases,
      nextMaxId: rows.length > page.size ? purchases[purchases.length - 1].id : null,
    };
  }

  /**
   * The author's (or anchor's) income account balance: purchases and gifts, folded from the entries (no cached
   * balance, see docs/performance.md).
   */
  async incomeBalance(userId: string, currency: Currency = 'coin'): Promise<number> {
    if (!isBigintId(userId)) return 0;
    const accountId = await this.ledger.findAccountId({ kind: 'income', userId, currency });
    return accountId ? this.ledger.foldedBalance(accountId) : 0;
  }

  /**
   * The gifts an anchor received (mrpyq's send_gift), newest first, keyset-paged like `detail`; `from`/`to` bound
   * them in time (a live room's gifts are those received while it was open). Empty for an id that names no user.
   */
  async giftsReceived(
    anchorId: string,
    page: { from?: Date; to?: Date; maxId?: string; size: number },
  ): Promise<ReceivedGifts> {
    if (page.maxId !== undefined && !isBigintId(page.maxId)) {
      throw new DomainError('INVALID_PARAMS', 'maxId is not a gift id');
    }
    if (!Number.isInteger(page.size) || page.size < 1 || page.size > INCOME_PAGE_MAX) {
      throw new DomainError('INVALID_PARAMS', `size must be 1-${INCOME_PAGE_MAX}`);
    }
    if (!isBigintId(anchorId)) return { gifts: [], nextMaxId: null };
    const rows = await this.ledger.giftsReceived(anchorId, { ...page, size: page.size + 1 });
    const gifts = rows.slice(0, page.size);
    return { gifts, nextMaxId: rows.length > page.size ? gifts[gifts.length - 1].id : null };
  }
}
