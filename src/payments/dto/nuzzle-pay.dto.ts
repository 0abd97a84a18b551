import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { NuzzleCommonParams } from '#src/common/dialect/nuzzle-common.dto.js';
import { parseBoundedJson } from '#src/common/http/request-bounds.js';
import type { FeedType } from '#src/feeds/feed.entity.js';
import { EmptyAsAbsent } from '#src/feeds/dto/nuzzle-params.js';

/** A request names a handful of purchases (StorePurchasesService allows 20 in all). */
const MAX_NAMED = 20;
/** An app receipt grows with the purchases made on the device; a few hundred kB is already a very long history. */
const MAX_RECEIPT = 500_000;
/** A StoreKit 2 JWS is a few kB (three certificates and the payload). */
const MAX_JWS = 20_000;
/** `recharge` sent as JSON text inside a form or query field: parsed within these bounds only. */
const RECHARGE_BOUNDS = { maxParams: 3 * MAX_NAMED + MAX_NAMED, maxDepth: 3, maxArrayLength: MAX_NAMED };

export interface RechargeEntry {
  transactionId: string;
  userId?: string;
}

/** An id as a string, or as a JSON number that is an exact integer (clients serialise numeric ids either way). */
function idText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

/**
 * `recharge` as the document shows it (an array of `{userId, transactionId}` in a JSON body), as JSON text in a
 * form or query field, or one object alone. Anything else is left as it came, so validation refuses it.
 */
function toRechargeEntries(value: unknown): unknown {
  let parsed = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined;
    try {
      parsed = parseBoundedJson(value, RECHARGE_BOUNDS);
    } catch {
      // Not JSON, or out of bounds: left as it came, validation refuses it.
      return value;
    }
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const entries: RechargeEntry[] = [];
  for (const item of items) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return value;
    const { transactionId, userId } = item as Record<string, unknown>;
    const id = idText(transactionId);
    const user = userId === undefined || userId === null || userId === '' ? undefined : idText(userId);
    if (!id || (userId !== undefined && userId !== null && userId !== '' && user === undefined)) return value;
    entries.push(user === undefined ? { transactionId: id } : { transactionId: id, userId: user });
  }
  return entries;
}

function isRechargeEntries(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length <= MAX_NAMED &&
    value.every(
      (e: RechargeEntry) =>
        typeof e === 'object' &&
        typeof e.transactionId === 'string' &&
        e.transactionId.length >= 1 &&
        e.transactionId.length <= 64 &&
        (e.userId === undefined || (typeof e.userId === 'string' && e.userId.length <= 32)),
    )
  );
}

/** One JWS as a string, several as an array (a JSON body, or the field repeated in a form). */
function toSignList(value: unknown): unknown {
  if (typeof value === 'string') return value.trim() === '' ? undefined : [value.trim()];
  return value;
}

function isSignList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= MAX_NAMED &&
    value.every((s) => typeof s === 'string' && s.length >= 1 && s.length <= MAX_JWS)
  );
}

export class NuzzlePayVerifyDto extends NuzzleCommonParams {
  @ApiPropertyOptional({
    name: 'receipt-data',
    description:
      'A base64 App Store receipt (the app receipt, or an iOS 6 transaction receipt): its transaction leads to the customer’s coin purchases, fetched from the App Store Server API',
  })
  @IsOptional()
  @EmptyAsAbsent()
  @IsString()
  @MaxLength(MAX_RECEIPT)
  'receipt-data'?: string;

  @ApiPropertyOptional({
    description: 'StoreKit 2 signed transactions (`jwsRepresentation`): one string, or an array of up to 20',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, maxItems: MAX_NAMED }],
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => toSignList(value))
  @ValidateBy({ name: 'isSignList', validator: { validate: isSignList } })
  sign?: string[];

  @ApiPropertyOptional({
    description:
      'Transactions to credit, each looked up at Apple: `[{userId, transactionId}]` (JSON, or JSON text in a form field); `userId`, when given, must be the caller’s own id',
    type: 'array',
    maxItems: MAX_NAMED,
    items: {
      type: 'object',
      required: ['transactionId'],
      properties: { userId: { type: 'string' }, transactionId: { type: 'string' } },
    },
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => toRechargeEntries(value))
  @ValidateBy({ name: 'isRechargeEntries', validator: { validate: isRechargeEntries } })
  recharge?: RechargeEntry[];
}

export class NuzzlePayViewDto extends NuzzleCommonParams {
  @ApiProperty({
    description: '类型，视频，可选值暂时只有video (`pic` names a picture, which is never sold: NOT_ALLOWED)',
    enum: ['video', 'pic'],
  })
  @IsIn(['video', 'pic'])
  type: FeedType;

  @ApiProperty({ description: 'feed标识', example: '1024' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  id: string;
}

export class NuzzlePayVerifyAnswer {
  @ApiProperty({ description: 'The caller’s coin balance after crediting', example: 3000 })
  balance: number;

  @ApiProperty({
    description:
      'The transaction ids of this request credited to the caller (now or before): finish them in StoreKit',
    type: [String],
    example: ['2000000123456789'],
  })
  transactions: string[];
}

export class NuzzleBalanceAnswer {
  @ApiProperty({ description: 'The caller’s coin balance after paying', example: 32444 })
  balance: number;
}
