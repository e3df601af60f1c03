import type { Config } from '../config.js';
import { RateBudget, type RateBudgetOptions, type SendBudget } from '../upstream/rate-budget.js';
import { RedisRateBudget } from '../upstream/redis-rate-budget.js';
import { InProcessLocks, type LockService } from './locks.js';
import { connectRedis, type RedisConnections } from './redis.js';
import { RedisLocks } from './redis-locks.js';

/**
 * What one process shares with the others when scaled out (PARLEY_REDIS_URL): the per-account rate
 * budgets and the locks, on Redis; without Redis, both in-process as before. Caches stay per process
 * (see docs/ARCHITECTURE.md "Scale-out": what each one holds is safe to hold per process).
 */
export interface SharedState {
  redis?: RedisConnections;
  locks: LockService;
  budgetFor(accountId: string, limit: RateBudgetOptions): SendBudget;
  close(): Promise<void>;
}

export function createSharedState(config: Pick<Config, 'redisUrl' | 'redisPrefix'>): SharedState {
  if (!config.redisUrl) {
    return { locks: new InProcessLocks(), budgetFor: (_id, limit) => new RateBudget(limit), close: async () => {} };
  }
  const redis = connectRedis(config.redisUrl, config.redisPrefix ?? 'parley');
  return {
    redis,
    locks: new RedisLocks(redis.commands, `${redis.prefix}:lock`),
    budgetFor: (id, limit) => new RedisRateBudget({ ...limit, redis: redis.commands, key: `${redis.prefix}:budget:${id}` }),
    close: () => redis.close(),
  };
}
