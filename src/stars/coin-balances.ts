/**
 * A user's coin balance, which `/star/feed/tag/list` shows its caller on their own star page. The coins area
 * implements it; until it is wired every balance reads 0.
 */
export abstract class CoinBalances {
  abstract balanceOf(userId: string): Promise<number>;
}

export class NoCoinBalances extends CoinBalances {
  balanceOf(): Promise<number> {
    return Promise.resolve(0);
  }
}
