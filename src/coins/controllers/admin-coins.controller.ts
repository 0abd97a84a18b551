import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { AdminController } from '#src/admin/admin-session.guard.js';
import { PlainError } from '#src/admin/dto/admin.dto.js';
import type { Principal } from '#src/auth/principal.js';
import { Client, type ClientInfo } from '#src/common/http/params.decorator.js';
import { CurrentSession } from '#src/auth/principal.js';
import { CoinsAdminService } from '#src/coins/coins-admin.service.js';
import { CoinsAuditService } from '#src/coins/coins-audit.service.js';
import type { CoinsAuditReport } from '#src/coins/coins-audit.js';
import { CoinsService } from '#src/coins/coins.service.js';
import {
  AdjustCoinsDto,
  AdminUserIdParam,
  CoinAdjustmentDto,
  CoinsAuditDto,
  UserCoinsDto,
} from '#src/coins/dto/admin-coins.dto.js';
import { IncomeService } from '#src/coins/income.service.js';

@AdminController('admin')
export class AdminCoinsController {
  constructor(
    private readonly coins: CoinsService,
    private readonly income: IncomeService,
    private readonly admin: CoinsAdminService,
    private readonly audit: CoinsAuditService,
  ) {}

  @Get('coins/audit')
  @ApiOperation({
    summary: 'Audit the coin ledger',
    description:
      'Recomputes every cached balance from the entries and checks that every posting sums to zero per currency, on one snapshot while postings go on. Also `npm run cli -- audit-coins`.',
  })
  @ApiOkResponse({ type: CoinsAuditDto })
  auditLedger(): Promise<CoinsAuditReport> {
    return this.audit.run();
  }

  @Get('users/:id/coins')
  @ApiOperation({ summary: "A user's coins: wallet balances, debts and income" })
  @ApiOkResponse({ type: UserCoinsDto })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS' })
  async userCoins(@Param() { id }: AdminUserIdParam): Promise<UserCoinsDto> {
    const [balances, debts, income] = await Promise.all([
      this.coins.balances(id),
      this.coins.debts(id),
      this.income.incomeBalance(id),
    ]);
    return { userId: id, balances, debts, income };
  }

  @Post('users/:id/coins')
  @HttpCode(200)
  @ApiOperation({
    summary: "Grant or claw back a user's coins",
    description:
      'A posting against the promotions account, with a required reason; audited (`coins.granted`, `coins.clawed_back`). A clawback never takes the balance below zero.',
  })
  @ApiOkResponse({ type: CoinAdjustmentDto })
  @ApiBadRequestResponse({
    type: PlainError,
    description: 'INVALID_PARAMS: amount (non-zero integer), reason',
  })
  @ApiNotFoundResponse({ type: PlainError, description: 'USER_NOT_FOUND' })
  @ApiConflictResponse({
    type: PlainError,
    description:
      'INSUFFICIENT_COINS: the clawback exceeds the balance; CONFLICT: requestId used for another user',
  })
  adjust(
    @Param() { id }: AdminUserIdParam,
    @Body() body: AdjustCoinsDto,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<CoinAdjustmentDto> {
    return this.admin.adjust(
      id,
      { amount: body.amount, reason: body.reason.trim(), currency: body.currency, requestId: body.requestId },
      { admin, ip: client.ip },
    );
  }
}
