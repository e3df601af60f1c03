import { RequestAbortedError } from '../domain/errors.js';
import type { TtlCache } from '../store/memory-cache.js';

/**
 * Single flight for one request among many: concurrent misses of `key` share one load
 * (`TtlCache.getOrLoad`), and a shared load that another request started and then abandoned (its
 * client left, its page's time ran out) is started again for us rather than failing us. `signal` is
 * ours: when it is the one that fired, the cancellation is ours to report.
 */
export async function loadShared<V>(cache: TtlCache<V>, key: string, load: () => Promise<V>, signal?: AbortSignal): Promise<V> {
  for (;;) {
    try {
      return await cache.getOrLoad(key, load);
    } catch (e) {
      if (e instanceof RequestAbortedError && !signal?.aborted) continue;
      throw e;
    }
  }
}
