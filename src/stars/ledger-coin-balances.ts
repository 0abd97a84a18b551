import { Injectable } from '@nestjs/common';
import { CoinsService } from '#src/coins/coins.service.js';
import { CoinBalances } from '#src/stars/coin-balances.js';

/** The coin wallet's balance from the ledger (the one nuzzle's `/pay/*` answers). */
@Injectable()
export class LedgerCoinBalances extends CoinBalances {
  constructor(private readonly coins: CoinsService) {
    super();
  }

  balanceOf(userId: string): Promise<number> {
    return this.coins.balance(userId, 'coin');
  }
}
