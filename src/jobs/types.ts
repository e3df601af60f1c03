/**
 * The job boundary: work that runs outside a request (sync runs; webhook deliveries next). One
 * process runs it in-process (`InProcessJobQueue`); scaled out, a Redis-backed queue implements the
 * same interface, so the sync engine never knows which one carries its runs.
 */
export type JobHandler = (key: string, signal: AbortSignal) => Promise<void>;

export interface JobQueue {
  /**
   * Run the `kind` handler for `key` soon. A key already waiting is not queued twice; a key whose job
   * is running is queued once more, to run after it (a request made during a run is not lost).
   */
  enqueue(kind: string, key: string): Promise<void>;
  /** Handle jobs of `kind`, at most `concurrency` at once (and never two of one key at once). */
  process(kind: string, concurrency: number, handler: JobHandler): void;
  /**
   * Begin taking jobs for the handlers registered so far (a shared queue may hold jobs enqueued by
   * other processes; this process takes none before its background work starts). In-process: jobs
   * only exist once enqueued here, so nothing to do.
   */
  start(): void;
  /**
   * Enqueue `kind` for `key` every `everyMs` — once across the cluster when the queue is shared (a
   * job scheduler in Redis), not once per replica.
   */
  repeat(kind: string, key: string, everyMs: number): Promise<void>;
  /** Whether a job of `kind` for `key` is waiting or running (anywhere, when shared). */
  has(kind: string, key: string): Promise<boolean>;
  /** true when other processes take jobs from this queue too (BullMQ on Redis) */
  readonly shared: boolean;
  /** Stop taking jobs, abort the running ones' signals and wait for them. */
  close(): Promise<void>;
}
