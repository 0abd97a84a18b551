import {
  applyDecorators,
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CounterStore } from '#src/common/counters/counter-store.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';

/**
 * Budgets per client address (proxy-aware per TRUSTED_PROXIES), in fixed windows of the counter store (shared
 * through Redis when REDIS_URL is set):
 * - `sign-in`: password sign-in attempts, LOGIN_IP_LIMIT_PER_MINUTE a minute;
 * - `account`: requests that create an account or tell whether one exists (registration, "is this number/email
 *   taken", codes that only go to unregistered numbers), ACCOUNT_IP_LIMIT_PER_HOUR an hour. Each registration
 *   costs an argon2id hash, and each answer tells a prober something about who is registered.
 */
export type AddressBudget = 'sign-in' | 'account';

@Injectable()
export class AddressLimiter {
  private readonly budgets: Record<AddressBudget, { limit: number; windowMs: number }>;

  constructor(
    private readonly store: CounterStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.budgets = {
      'sign-in': { limit: config.throttle.loginPerIpPerMinute, windowMs: 60_000 },
      account: { limit: config.throttle.accountPerIpPerHour, windowMs: 3_600_000 },
    };
  }

  /** Counts one request of `ip` against `budget`; RATE_LIMITED once the window's budget is spent. */
  async consume(budget: AddressBudget, ip: string): Promise<void> {
    const { limit, windowMs } = this.budgets[budget];
    const window = Math.floor(this.clock.now().getTime() / windowMs);
    const used = await this.store.increment(`limit:${budget}:${ip}:${window}`, 2 * windowMs);
    if (used > limit) throw new DomainError('RATE_LIMITED', `${budget} budget of this address spent`);
  }
}

const ADDRESS_BUDGET_METADATA = 'concord:address-budget';

@Injectable()
export class AddressBudgetGuard implements CanActivate {
  constructor(
    private readonly limiter: AddressLimiter,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const budget = this.reflector.get<AddressBudget>(ADDRESS_BUDGET_METADATA, context.getHandler());
    const req = context.switchToHttp().getRequest<Request>();
    await this.limiter.consume(budget, req.ip ?? req.socket.remoteAddress ?? 'unknown');
    return true;
  }
}

/** Every request to this route, valid or not, spends one unit of the caller's address budget. */
export function LimitedPerAddress(budget: AddressBudget): MethodDecorator {
  return applyDecorators(SetMetadata(ADDRESS_BUDGET_METADATA, budget), UseGuards(AddressBudgetGuard));
}
