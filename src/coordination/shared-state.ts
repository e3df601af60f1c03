import type { Config } from '../config.js';
import { RateBudget, type RateBudgetOptions, type SendBudget } from '../upstream/rate-budget.js';
import { RedisRateBudget } from '../upstream/redis-rate-budget.js';
import { InProcessLocks, type LockService } from './locks.js';
import { connectRedis, type RedisConnections } from './redis.js';
import { RedisLocks } from './redis-locks.js';
import type { JobQueue } from '../jobs/types.js';
import { InProcessJobQueue } from '../jobs/in-process.js';
import { BullJobQueue } from '../jobs/bullmq.js';

/** How quickly a dead worker's job is given to another (tests shorten it; defaults: 30 s lock, 30 s check). */
export interface JobTuning {
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  backoffMs?: number;
}

/**
 * What one process shares with the others when scaled out (PARLEY_REDIS_URL): the per-account rate
 * budgets, the locks and the job queue, on Redis; without Redis, all in-process as before. Caches stay per process
 * (see docs/ARCHITECTURE.md "Scale-out": what each one holds is safe to hold per process).
 */
export interface SharedState {
  redis?: RedisConnections;
  locks: LockService;
  budgetFor(accountId: string, limit: RateBudgetOptions): SendBudget;
  /** the job queue: BullMQ on the shared Redis, else in this process */
  jobQueue(onError: (kind: string, key: string, error: unknown) => void, tuning?: JobTuning): JobQueue;
  close(): Promise<void>;
}

export function createSharedState(config: Pick<Config, 'redisUrl' | 'redisPrefix'>): SharedState {
  if (!config.redisUrl) {
    return {
      locks: new InProcessLocks(),
      budgetFor: (_id, limit) => new RateBudget(limit),
      jobQueue: (onError) => new InProcessJobQueue(onError),
      close: async () => {},
    };
  }
  const redis = connectRedis(config.redisUrl, config.redisPrefix ?? 'parley');
  return {
    redis,
    locks: new RedisLocks(redis.commands, `${redis.prefix}:lock`),
    budgetFor: (id, limit) => new RedisRateBudget({ ...limit, redis: redis.commands, key: `${redis.prefix}:budget:${id}` }),
    jobQueue: (onError, tuning = {}) => new BullJobQueue({ connection: redis.jobs, prefix: `${redis.prefix}:jobs`, onError, ...tuning }),
    close: () => redis.close(),
  };
}
