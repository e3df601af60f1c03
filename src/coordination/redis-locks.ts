import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { InProcessLocks, type LockService } from './locks.js';

/** Deletes the lock only if it still holds our token (a holder whose TTL lapsed must not free the next holder's lock). */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * `LockService` across processes: `SET key token NX PX ttl` to take a lock, a token-checked delete
 * to give it back. Waiters poll with a short, growing pause (locks guard rare work such as an OAuth
 * refresh, so polling costs nothing that matters); callers in one process queue in order in front of
 * it (an in-process lock), so only one of them polls. A holder that dies frees the lock after `ttlMs`;
 * `fn` must finish within `ttlMs` (the lock is not extended).
 */
export class RedisLocks implements LockService {
  private readonly local = new InProcessLocks();

  constructor(
    private readonly redis: Redis,
    /** `<prefix>:lock` */
    private readonly prefix: string,
    private readonly pollMs = { first: 10, max: 200 },
  ) {}

  withLock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
    return this.local.withLock(key, ttlMs, () => this.acrossProcesses(key, ttlMs, fn));
  }

  private async acrossProcesses<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
    const name = `${this.prefix}:${key}`;
    const token = randomUUID();
    let pause = this.pollMs.first;
    while ((await this.redis.set(name, token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) !== 'OK') {
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(this.pollMs.max, pause * 2);
    }
    try {
      return await fn();
    } finally {
      await this.redis.eval(RELEASE, 1, name, token).catch(() => {});
    }
  }
}
