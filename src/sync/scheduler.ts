import type { Clock } from '../domain/clock.js';
import type { JobQueue } from '../jobs/types.js';
import { storeInstant, type SyncedStore } from '../store/synced-store.js';
import type { SyncEngine } from './engine.js';

/**
 * When accounts sync: every tick, the accounts whose next run is due (or was asked for) become
 * `sync` jobs. The queue runs at most `concurrency` runs at once and one per account; the engine's
 * claim in the database makes a second claimer (another process) back off.
 */
export interface SyncSchedulerOptions {
  synced: SyncedStore;
  engine: SyncEngine;
  jobs: JobQueue;
  clock: Clock;
  /** runs at once across accounts (default 2) */
  concurrency?: number;
  /** how often due accounts are looked for (default 5 s) */
  tickMs?: number;
  logger?: { warn(obj: object, msg: string): void };
}

export const SYNC_JOB = 'sync';

export class SyncScheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(private readonly opts: SyncSchedulerOptions) {
    opts.jobs.process(SYNC_JOB, opts.concurrency ?? 2, async (accountId, signal) => {
      await opts.engine.run(accountId, signal);
    });
  }

  /**
   * Start ticking. Runs left `running` belong to a process that died (in one process, that is this
   * process's previous life).
   */
  async start(): Promise<void> {
    await this.recoverInterrupted();
    this.timer = setInterval(() => void this.tick(), this.opts.tickMs ?? 5000);
    this.timer.unref();
    await this.tick();
  }

  /** Runs left `running` by a dead process become resumable (their plan and checkpoints stay) and due now. */
  async recoverInterrupted(): Promise<void> {
    const { synced, clock } = this.opts;
    for (const accountId of await synced.runningAccounts()) {
      await synced.updateState(accountId, { status: 'idle', nextRunAt: storeInstant(clock.now()) });
    }
  }

  /** Look for due accounts now (also after POST …/sync, so a requested run starts at once). */
  tick(): Promise<void> {
    this.ticking ??= this.enqueueDue().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async enqueueDue(): Promise<void> {
    try {
      const due = await this.opts.synced.dueAccounts(storeInstant(this.opts.clock.now()), 100);
      for (const accountId of due) await this.opts.jobs.enqueue(SYNC_JOB, accountId);
    } catch (e) {
      this.opts.logger?.warn({ problem: (e as Error).message }, 'sync scheduler tick failed');
    }
  }

  /** Ask for a run of this account now. */
  async request(accountId: string): Promise<void> {
    await this.opts.synced.updateState(accountId, { requestedAt: storeInstant(this.opts.clock.now()) });
    await this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }
}
