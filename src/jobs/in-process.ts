import type { JobHandler, JobQueue } from './types.js';

interface Lane {
  concurrency: number;
  handler: JobHandler;
  waiting: string[];
  running: Map<string, Promise<void>>;
  again: Set<string>;
}

/** Jobs in this process: a FIFO per kind, bounded concurrency, one job per key at a time. */
export class InProcessJobQueue implements JobQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly stopping = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  readonly shared = false;

  constructor(private readonly onError: (kind: string, key: string, error: unknown) => void = () => {}) {}

  async enqueue(kind: string, key: string): Promise<void> {
    const lane = this.lanes.get(kind);
    if (!lane || this.stopping.signal.aborted) return;
    if (lane.running.has(key)) lane.again.add(key);
    else if (!lane.waiting.includes(key)) lane.waiting.push(key);
    this.pump(kind, lane);
  }

  process(kind: string, concurrency: number, handler: JobHandler): void {
    this.lanes.set(kind, { concurrency: Math.max(1, concurrency), handler, waiting: [], running: new Map(), again: new Set() });
  }

  private pump(kind: string, lane: Lane): void {
    while (lane.running.size < lane.concurrency && lane.waiting.length > 0 && !this.stopping.signal.aborted) {
      const key = lane.waiting.shift()!;
      const job = lane
        .handler(key, this.stopping.signal)
        .catch((e) => this.onError(kind, key, e))
        .finally(() => {
          lane.running.delete(key);
          if (lane.again.delete(key)) lane.waiting.push(key);
          this.pump(kind, lane);
        });
      lane.running.set(key, job);
    }
  }

  start(): void {}

  async repeat(kind: string, key: string, everyMs: number): Promise<void> {
    const timer = setInterval(() => void this.enqueue(kind, key), everyMs);
    timer.unref();
    this.timers.push(timer);
  }

  async has(kind: string, key: string): Promise<boolean> {
    const lane = this.lanes.get(kind);
    return Boolean(lane && (lane.running.has(key) || lane.waiting.includes(key)));
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.stopping.abort();
    await Promise.all([...this.lanes.values()].flatMap((l) => [...l.running.values()]));
  }
}
