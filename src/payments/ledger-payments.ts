import type { DynamicModule } from '@nestjs/common';
import { CoinsModule } from '#src/coins/coins.module.js';
import { LedgerCoinPostings } from '#src/coins/ledger-coin-postings.js';
import type { AppConfig } from '#src/config/app-config.js';
import { PaymentsModule } from '#src/payments/payments.module.js';

/**
 * PaymentsModule with its facts posted to the coin ledger: the one the app runs. The same module object for the
 * same config (PaymentsModule.forRoot memoizes), so app.module and every area that needs StorePurchasesService or
 * RefillService import this and share one instance.
 */
export function ledgerPaymentsModule(config: AppConfig): DynamicModule {
  return PaymentsModule.forRoot(config, { imports: [CoinsModule], coinPostings: LedgerCoinPostings });
}
