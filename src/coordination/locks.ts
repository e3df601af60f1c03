/**
 * Mutual exclusion for work that must happen once however many requests (and, scaled out, however
 * many processes) want it at the same moment — an OAuth refresh with a single-use refresh token, say.
 * One process: an in-process lock per key. Scaled out: a Redis implementation of the same interface.
 */
export interface LockService {
  /**
   * Runs `fn` while holding `key`; callers of the same key wait their turn (in order). `ttlMs` bounds
   * how long a holder that died keeps others out (it matters across processes).
   */
  withLock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T>;
}

export class InProcessLocks implements LockService {
  private readonly tails = new Map<string, Promise<void>>();

  async withLock<T>(key: string, _ttlMs: number, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    await before;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
