import type { Clock } from '../domain/clock.js';
import type { JobQueue } from '../jobs/types.js';
import { storeInstant, type SyncedStore } from '../store/synced-store.js';
import type { SyncEngine } from './engine.js';

/**
 * When accounts sync: every tick, the accounts whose next run is due (or was asked for) become
 * `sync` jobs. The queue runs at most `concurrency` runs at once and one per account; the engine's
 * claim in the database makes a second claimer (another process) back off.
 *
 * On a shared queue (BullMQ, several processes) the tick itself is a job of a cluster-wide job
 * scheduler, so it fires once per interval however many workers run; a `sync` job first checks that
 * its account is still due (a tick that read the account as due just before its run finished would
 * otherwise start a second run), and a job whose account is left `running` is the one BullMQ gave
 * back after its worker died: the run is resumed from its checkpoint.
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
  logger?: { warn(obj: object, msg: string): void; info?(obj: object, msg: string): void };
  /** false in PARLEY_ROLE=api: enqueue runs (requests, ticks) but run none (default true) */
  work?: boolean;
}

export const SYNC_JOB = 'sync';
export const SYNC_TICK_JOB = 'sync-tick';

export class SyncScheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(private readonly opts: SyncSchedulerOptions) {
    if (opts.work === false) return;
    opts.jobs.process(SYNC_JOB, opts.concurrency ?? 2, async (accountId, signal) => {
      if (opts.jobs.shared && !(await this.takeOver(accountId))) return;
      await opts.engine.run(accountId, signal);
    });
    if (opts.jobs.shared) opts.jobs.process(SYNC_TICK_JOB, 1, () => this.tick());
  }

  /**
   * Start ticking. Runs left `running` belong to a process that died (in one process, that is this
   * process's previous life). Shared queue: only runs no job will resume (BullMQ gives the job of a
   * dead worker to another), and the tick is the cluster's one schedule.
   */
  async start(): Promise<void> {
    if (this.opts.work === false) return;
    if (this.opts.jobs.shared) {
      await this.recoverOrphans();
      this.opts.jobs.start();
      await this.opts.jobs.repeat(SYNC_TICK_JOB, 'tick', this.opts.tickMs ?? 5000);
      await this.tick();
      return;
    }
    await this.recoverInterrupted();
    this.timer = setInterval(() => void this.tick(), this.opts.tickMs ?? 5000);
    this.timer.unref();
    await this.tick();
  }

  /** Shared queue: runs left `running` with no job to resume them (the whole cluster stopped) become due. */
  private async recoverOrphans(): Promise<void> {
    const { synced, clock, jobs } = this.opts;
    for (const accountId of await synced.runningAccounts()) {
      if (await jobs.has(SYNC_JOB, accountId)) continue;
      await synced.updateState(accountId, { status: 'idle', nextRunAt: storeInstant(clock.now()) });
    }
  }

  /**
   * Shared queue, before a `sync` job runs: BullMQ runs one job per account at a time, so an account
   * left `running` was run by a worker that died (its job came back after its lock lapsed): it becomes
   * resumable. An account that is no longer due ran already (a late duplicate): skip it.
   */
  private async takeOver(accountId: string): Promise<boolean> {
    const { synced, clock } = this.opts;
    const state = await synced.state(accountId);
    if (!state || !state.settings.enabled) return false;
    if (state.status === 'running') {
      this.opts.logger?.info?.({ account: accountId, run: state.runId }, 'sync run taken over from a worker that stopped');
      await synced.updateState(accountId, { status: 'idle' });
      return true;
    }
    const now = storeInstant(clock.now());
    return state.requestedAt !== null || (state.nextRunAt !== null && state.nextRunAt <= now);
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
