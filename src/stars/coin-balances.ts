/**
 * A user's coin balance, which `/star/feed/tag/list` shows its caller on their own star page: LedgerCoinBalances,
 * from the coin ledger.
 */
export abstract class CoinBalances {
  abstract balanceOf(userId: string): Promise<number>;
}

/** Every balance reads 0: for module tests that leave the ledger out. */
export class NoCoinBalances extends CoinBalances {
  balanceOf(): Promise<number> {
    return Promise.resolve(0);
  }
}
