import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { AddressBudgetGuard, AddressLimiter } from '#src/common/counters/address-limiter.js';
import { CounterStore, MemoryCounterStore, RedisCounterStore } from '#src/common/counters/counter-store.js';
import { Clock } from '#src/common/time/clock.js';
import type { AppConfig } from '#src/config/app-config.js';

/**
 * The counter store, chosen from REDIS_URL when the module is built (so tests choose it by config), and the
 * per-address limiter built on it.
 */
@Global()
@Module({})
export class CountersModule implements OnApplicationShutdown {
  constructor(@Inject(CounterStore) private readonly store: CounterStore) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CountersModule,
      providers: [
        {
          provide: CounterStore,
          inject: [Clock],
          useFactory: (clock: Clock) =>
            config.redisUrl
              ? new RedisCounterStore(config.redisUrl, config.redisPrefix)
              : new MemoryCounterStore(clock),
        },
        AddressLimiter,
        AddressBudgetGuard,
      ],
      exports: [CounterStore, AddressLimiter, AddressBudgetGuard],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
