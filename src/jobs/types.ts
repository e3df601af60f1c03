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
  /** Stop taking jobs, abort the running ones' signals and wait for them. */
  close(): Promise<void>;
}
