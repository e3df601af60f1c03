import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobHandler, JobQueue } from './types.js';

/**
 * `JobQueue` on BullMQ (Redis), for several Parley processes: one BullMQ queue per job kind.
 * - One job per key at a time: the job id *is* the key, and BullMQ ignores an add whose id exists
 *   (waiting, delayed or running). Finished jobs are removed, so the key is free again. Unlike the
 *   in-process queue, a key enqueued while its job runs is not queued again: callers keep their
 *   own record of what is due (the sync scheduler's `requested_at`), and the next tick enqueues it.
 * - Retries with exponential backoff for a handler that throws.
 * - Stalled jobs: a worker holds a lock on its job, renewed every `lockDurationMs / 2`; when a worker
 *   dies (`kill -9`), its lock lapses and another worker's stalled check (every `stalledIntervalMs`)
 *   puts the job back in the queue, where any worker picks it up.
 * - `repeat`: a BullMQ job scheduler, stored in Redis once for the cluster, so a schedule fires once
 *   per interval however many replicas declare it (upsert by id).
 */
export interface BullJobQueueOptions {
  /** a connection with `maxRetriesPerRequest: null` (BullMQ's requirement); workers duplicate it */
  connection: Redis;
  /** BullMQ's key prefix: `<PARLEY_REDIS_PREFIX>:jobs` */
  prefix: string;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** attempts of a job whose handler throws (default 5) */
  attempts?: number;
  /** first retry delay, doubled per attempt (default 5 s) */
  backoffMs?: number;
  onError?: (kind: string, key: string, error: unknown) => void;
}

interface JobData {
  key: string;
}

export class BullJobQueue implements JobQueue {
  readonly shared = true;
  private readonly queues = new Map<string, Queue<JobData>>();
  private readonly workers: Worker<JobData>[] = [];
  private readonly stopping = new AbortController();

  constructor(private readonly opts: BullJobQueueOptions) {}

  private queue(kind: string): Queue<JobData> {
    let q = this.queues.get(kind);
    if (!q) {
      q = new Queue<JobData>(kind, {
        connection: this.opts.connection,
        prefix: this.opts.prefix,
        defaultJobOptions: {
          attempts: this.opts.attempts ?? 5,
          backoff: { type: 'exponential', delay: this.opts.backoffMs ?? 5000 },
          removeOnComplete: true,
          removeOnFail: true,
        },
      });
      q.on('error', () => {}); // commands that fail report it; the connection reconnects by itself
      this.queues.set(kind, q);
    }
    return q;
  }

  async enqueue(kind: string, key: string): Promise<void> {
    if (this.stopping.signal.aborted) return;
    await this.queue(kind).add(kind, { key }, { jobId: jobId(key) });
  }

  process(kind: string, concurrency: number, handler: JobHandler): void {
    const worker = new Worker<JobData>(
      kind,
      async (job: Job<JobData>) => {
        await handler(job.data.key, this.stopping.signal);
      },
      {
        connection: this.opts.connection,
        prefix: this.opts.prefix,
        concurrency: Math.max(1, concurrency),
        lockDuration: this.opts.lockDurationMs ?? 30_000,
        stalledInterval: this.opts.stalledIntervalMs ?? 30_000,
        maxStalledCount: 3,
        autorun: false,
      },
    );
    worker.on('failed', (job, error) => this.opts.onError?.(kind, job?.data.key ?? '?', error));
    worker.on('error', (error) => this.opts.onError?.(kind, '-', error));
    this.workers.push(worker);
  }

  start(): void {
    for (const worker of this.workers) {
      if (worker.isRunning() || this.stopping.signal.aborted) continue;
      worker.run().catch((error: unknown) => this.opts.onError?.('worker', '-', error));
    }
  }

  async repeat(kind: string, key: string, everyMs: number): Promise<void> {
    await this.queue(kind).upsertJobScheduler(`${kind}-${jobId(key)}`, { every: everyMs }, { name: kind, data: { key } });
  }

  async has(kind: string, key: string): Promise<boolean> {
    const job = await this.queue(kind).getJob(jobId(key));
    if (!job) return false;
    const state = await job.getState();
    return state !== 'completed' && state !== 'failed' && state !== 'unknown';
  }

  async close(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

/** BullMQ reserves ':' in custom job ids (its key separator) */
function jobId(key: string): string {
  return key.replaceAll(':', '_');
}
