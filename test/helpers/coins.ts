import { randomUUID } from 'node:crypto';
import { CoinsService } from '#src/coins/coins.service.js';
import type { TestApp } from '#test/helpers/test-app.js';

/** Coins for a user, as an operator's grant (a ledger posting against the promotions account). */
export async function grantCoins(t: TestApp, userId: string, amount: number): Promise<void> {
  await t.app
    .get(CoinsService)
    .adjust({ userId, amount, reason: 'test funds', operationKey: randomUUID(), actor: 'test' });
}
