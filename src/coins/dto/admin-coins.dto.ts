import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, NotEquals } from 'class-validator';
import { CURRENCIES, MAX_AMOUNT, type Currency } from '#src/coins/ledger-types.js';

export class AdminUserIdParam {
  @ApiProperty({ example: '17' })
  @Matches(/^[1-9]\d{0,18}$/)
  id: string;
}

export class AdjustCoinsDto {
  @ApiProperty({
    example: 500,
    description: 'Positive: a grant from the promotions account. Negative: a clawback, refused below zero.',
  })
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_AMOUNT)
  @Max(MAX_AMOUNT)
  amount: number;

  @ApiProperty({ description: 'Why; kept in the audit log and on the posting', minLength: 1, maxLength: 500 })
  @IsString()
  @Matches(/\S/, { message: 'a reason is required' })
  @MaxLength(500)
  reason: string;

  @ApiPropertyOptional({ enum: CURRENCIES, default: 'coin' })
  @IsOptional()
  @IsIn(CURRENCIES)
  currency?: Currency;

  @ApiPropertyOptional({
    description:
      'Any unique string per intended change: a resubmitted request with the same id is answered, not repeated',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @Matches(/^[\x21-\x7e]{1,64}$/)
  requestId?: string;
}

export class CoinAdjustmentDto {
  @ApiProperty() postingId: string;
  @ApiProperty({ description: 'true when requestId had already been posted: nothing moved now' })
  replayed: boolean;
  @ApiProperty() userId: string;
  @ApiProperty({ enum: CURRENCIES }) currency: string;
  @ApiProperty() amount: number;
  @ApiProperty({ description: 'The wallet balance after it' }) balance: number;
}

export class UserCoinsDto {
  @ApiProperty() userId: string;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(CURRENCIES.map((c) => [c, { type: 'integer' }])),
    description: 'Wallet balances per currency',
  })
  balances: Record<string, number>;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(CURRENCIES.map((c) => [c, { type: 'integer' }])),
    description: 'What the user owes after refunds their wallet did not cover; later top-ups settle it first',
  })
  debts: Record<string, number>;
  @ApiProperty({ description: 'Coins earned from purchases and gifts (income account)' }) income: number;
}

class Finding {
  @ApiProperty() count: number;
  @ApiProperty({ type: 'array', items: {} }) items: unknown[];
}

class CoinTotal {
  @ApiProperty({ enum: CURRENCIES }) currency: string;
  @ApiProperty({ enum: ['wallet', 'debt', 'income', 'system'] }) kind: string;
  @ApiProperty({ nullable: true, type: String, example: 'platform_revenue' }) name: string | null;
  @ApiProperty() balance: number;
}

export class CoinsAuditDto {
  @ApiProperty({ description: 'No finding at all' }) ok: boolean;
  @ApiProperty({ format: 'date-time' }) checkedAt: string;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(
      ['accounts', 'postings', 'entries', 'purchases'].map((k) => [k, { type: 'integer' }]),
    ),
  })
  counts: Record<string, number>;
  @ApiProperty({ type: Finding, description: 'Cached balances that differ from the sum of their entries' })
  balanceDifferences: Finding;
  @ApiProperty({ type: Finding, description: 'Postings that do not sum to zero per currency' })
  unbalancedPostings: Finding;
  @ApiProperty({ type: Finding }) emptyPostings: Finding;
  @ApiProperty({ type: Finding }) orphanEntries: Finding;
  @ApiProperty({ type: Finding }) purchaseMismatches: Finding;
  @ApiProperty({ type: Finding }) boundViolations: Finding;
  @ApiProperty({ type: CoinTotal, isArray: true }) totals: CoinTotal[];
}
