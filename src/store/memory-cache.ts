/**
 * A bounded in-process cache with a time to live. Single-process by design: values are re-fetchable
 * from the vendor, so a replica that misses simply asks again.
 *
 * Bounded twice: by entries and by an approximate byte size, because entries differ by orders of
 * magnitude (a user directory vs. a year of computed records) and a count alone let a fuzz run take
 * the process from 174 MB to 980 MB. The least recently used entries go first.
 */

/** The byte budget of one cache unless its owner says otherwise. */
export const DEFAULT_CACHE_MAX_BYTES = 32 * 1024 * 1024;

export interface TtlCacheOptions<V> {
  /** epoch milliseconds; tests may drive expiry by hand */
  now?: () => number;
  /** approximate bytes of all values (and keys) together */
  maxBytes?: number;
  /** approximate bytes of one value; default `approximateBytes` */
  sizeOf?: (value: V) => number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number; bytes: number }>();
  private readonly inflight = new Map<string, Promise<V>>();
  private totalBytes = 0;
  private readonly now: () => number;
  private readonly maxBytes: number;
  private readonly sizeOf: (value: V) => number;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
    options: TtlCacheOptions<V> = {},
  ) {
    this.now = options.now ?? Date.now;
    this.maxBytes = options.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
    this.sizeOf = options.sizeOf ?? approximateBytes;
  }

  /** approximate bytes held now */
  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.remove(key);
      return undefined;
    }
    // re-insert: Map order is the LRU order
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  /** Stores `value`, unless it alone is larger than the whole budget (then it is not kept). */
  set(key: string, value: V): void {
    this.remove(key);
    const bytes = this.sizeOf(value) + 2 * key.length;
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, expires: this.now() + this.ttlMs, bytes });
    this.totalBytes += bytes;
    while (this.entries.size > this.maxEntries || this.totalBytes > this.maxBytes) {
      this.remove(this.entries.keys().next().value as string);
    }
  }

  /** One fetch per key at a time: concurrent callers share the same promise. */
  async getOrLoad(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const p = load()
      .then((v) => {
        this.set(key, v);
        return v;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.totalBytes -= e.bytes;
  }
}

// Rough V8 costs: an object header, a pointer-sized slot per property or element, UTF-16 for
// strings (one-byte strings take half, so this errs on the side of evicting early).
const HEADER = 16;
const SLOT = 8;

/**
 * An approximation of the memory a value holds: walks objects, arrays, Maps, Sets and binary
 * buffers once each (shared and cyclic references count once); functions and promises count as a
 * header only, since what they close over is not theirs.
 */
export function approximateBytes(value: unknown): number {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  let bytes = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    switch (typeof v) {
      case 'string':
        bytes += HEADER + 2 * v.length;
        continue;
      case 'number':
      case 'bigint':
        bytes += SLOT;
        continue;
      case 'boolean':
      case 'undefined':
      case 'symbol':
        continue;
      case 'function':
        bytes += 4 * HEADER;
        continue;
    }
    if (v === null || seen.has(v as object)) continue;
    const o = v as object;
    seen.add(o);
    if (ArrayBuffer.isView(o)) {
      bytes += HEADER + o.byteLength;
    } else if (o instanceof ArrayBuffer) {
      bytes += HEADER + o.byteLength;
    } else if (o instanceof Map) {
      bytes += HEADER + 3 * SLOT * o.size;
      for (const [k, val] of o) stack.push(k, val);
    } else if (o instanceof Set) {
      bytes += HEADER + 2 * SLOT * o.size;
      for (const k of o) stack.push(k);
    } else if (Array.isArray(o)) {
      bytes += HEADER + SLOT * o.length;
      for (const item of o) stack.push(item);
    } else if (o instanceof Promise || o instanceof WeakMap || o instanceof WeakSet) {
      bytes += 2 * HEADER;
    } else {
      const keys = Object.keys(o);
      bytes += HEADER + SLOT * keys.length;
      for (const k of keys) stack.push((o as Record<string, unknown>)[k]);
    }
  }
  return bytes;
}
