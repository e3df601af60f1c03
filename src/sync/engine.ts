import { randomUUID } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import { ParleyError, RemoteError } from '../domain/errors.js';
import type { AccountsService } from '../service/accounts.js';
import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import { storeInstant, type StepChanges, type SyncedStore, type SyncState, type SyncStep } from '../store/synced-store.js';
import { planRun, type RunPlan } from './plan.js';
import { isDone, runStreams } from './streams.js';

/**
 * One sync run of one account: plan (or resume) the windows, read every stream through the
 * account's connector and rate budget, commit each vendor page with its checkpoint, and record the
 * outcome. Knows connectors and the store; knows nothing of HTTP routes or of how runs are carried
 * (jobs/).
 */

export interface SyncLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface SyncEngineOptions {
  synced: SyncedStore;
  accounts: AccountsService;
  clock: Clock;
  logger?: SyncLogger;
  /** how long one vendor call of a sync may wait on the budget and retries (nobody waits on it) */
  patienceMs?: number;
  /** 0..1; default Math.random (tests fix it) */
  random?: () => number;
  /** called after every committed step (webhook events hang off this) */
  onCommitted?: (accountId: string, changes: StepChanges) => void;
  /** called when a run ends, with its outcome and how long it took (metrics hang off this) */
  onRunEnded?: (accountId: string, outcome: RunOutcome, seconds: number) => void;
  /** events written in the same transactions as the data (webhooks/sync-events.ts) */
  events?: SyncEvents;
}

export type RunOutcome = 'completed' | 'failed' | 'interrupted' | 'skipped';

/** How a run ended, as its final state write records it. */
export interface RunResult {
  outcome: 'completed' | 'failed';
  runId: string;
  startedAt: string;
  finishedAt: string;
  syncedFrom: string | null;
  syncedThrough: string | null;
  records: number;
  error: string | null;
}

/**
 * Events of a run (the webhooks outbox), written inside the transactions of the data they are about:
 * each committed step, and the run's final state.
 */
export interface SyncEvents {
  stepCommitting(trx: Transaction<Database>, accountId: string, step: SyncStep, changes: StepChanges): Promise<void>;
  runFinished(trx: Transaction<Database>, accountId: string, result: RunResult): Promise<void>;
}

const MINUTE_MS = 60_000;

export class SyncEngine {
  private readonly random: () => number;

  constructor(private readonly opts: SyncEngineOptions) {
    this.random = opts.random ?? Math.random;
  }

  /** When the next scheduled run starts: the interval with ±10 % jitter, so accounts drift apart. */
  nextRunAt(fromMs: number, intervalMinutes: number): string {
    const jitter = 0.9 + 0.2 * this.random();
    return storeInstant(fromMs + Math.round(intervalMinutes * MINUTE_MS * jitter));
  }

  private finishedEvent(accountId: string, result: RunResult): ((trx: Transaction<Database>) => Promise<void>) | undefined {
    const events = this.opts.events;
    return events ? (trx) => events.runFinished(trx, accountId, result) : undefined;
  }

  async run(accountId: string, signal?: AbortSignal): Promise<RunOutcome> {
    const started = performance.now();
    const outcome = await this.runOnce(accountId, signal);
    this.opts.onRunEnded?.(accountId, outcome, (performance.now() - started) / 1000);
    return outcome;
  }

  private async runOnce(accountId: string, signal?: AbortSignal): Promise<RunOutcome> {
    const { synced, clock } = this.opts;
    const state = await synced.state(accountId);
    if (!state || !state.settings.enabled) return 'skipped';
    const startedMs = clock.now();
    // A run that did not finish (killed, failed, stopped) is resumed with its own plan and checkpoints.
    const resumed = Boolean(state.runId && state.runPlan);
    const runId = resumed ? state.runId! : randomUUID();
    const plan = resumed ? (state.runPlan as RunPlan) : planRun(state, state.settings, startedMs);
    const claimed = await synced.claimRun(accountId, runId, {
      runPlan: plan,
      requestedAt: null,
      lastStartedAt: storeInstant(startedMs),
      lastError: null,
      ...(resumed ? {} : { progress: { stream: 'users', pages: 0, records: 0 } }),
    });
    if (!claimed) return 'skipped';
    const log = this.opts.logger;
    log?.info({ account: accountId, run: runId, resumed, windows: plan.windows }, 'sync run started');

    let progress = (resumed ? state.progress : null) ?? { stream: 'users', pages: 0, records: 0 };
    try {
      const { session } = await this.opts.accounts.openForSync(accountId, { patienceMs: this.opts.patienceMs ?? 10 * MINUTE_MS, signal });
      const streams = runStreams({
        accountId,
        session,
        store: synced,
        plan,
        onSkipped: (meetingId, problem) => log?.warn({ account: accountId, meeting: meetingId, problem }, 'meeting stored without metrics'),
      });
      for (const stream of streams) {
        const from = await synced.checkpoint(accountId, stream.name, runId);
        if (isDone(from)) continue;
        for await (const step of stream.steps(from)) {
          signal?.throwIfAborted();
          progress = { stream: stream.name, pages: progress.pages + step.pages, records: progress.records };
          const events = this.opts.events;
          const within = events ? (trx: Transaction<Database>, ch: StepChanges) => events.stepCommitting(trx, accountId, step.write, ch) : undefined;
          const changes = await synced.commitStep(accountId, step.write, { stream: stream.name, runId, position: step.position }, progress, within);
          progress.records += changes.written;
          this.opts.onCommitted?.(accountId, changes);
        }
      }
      const finishedMs = clock.now();
      const latest = (await synced.state(accountId)) ?? state;
      const completed: RunResult = {
        outcome: 'completed',
        runId,
        startedAt: storeInstant(startedMs),
        finishedAt: storeInstant(finishedMs),
        syncedFrom: plan.coversFrom,
        syncedThrough: plan.at,
        records: progress.records,
        error: null,
      };
      await synced.updateState(accountId, {
        status: latest.settings.enabled ? 'idle' : 'disabled',
        runId: null,
        runPlan: null,
        progress: null,
        lastFinishedAt: storeInstant(finishedMs),
        syncedFrom: plan.coversFrom,
        syncedThrough: plan.at,
        dataAsOf: plan.at,
        nextRunAt: latest.settings.enabled ? this.nextRunAt(finishedMs, latest.settings.interval_minutes) : null,
        lastError: null,
      }, this.finishedEvent(accountId, completed));
      await synced.clearCheckpoints(accountId);
      log?.info({ account: accountId, run: runId, pages: progress.pages, records: progress.records }, 'sync run completed');
      return 'completed';
    } catch (e) {
      const nowMs = clock.now();
      if (signal?.aborted) {
        // stopped with the process: resume from the checkpoint at the next start
        await synced.updateState(accountId, { status: 'idle', nextRunAt: storeInstant(nowMs) });
        log?.info({ account: accountId, run: runId }, 'sync run interrupted; it resumes from its checkpoint');
        return 'interrupted';
      }
      const latest = (await synced.state(accountId).catch(() => undefined)) ?? state;
      const message = describeFailure(e);
      const failed: RunResult = {
        outcome: 'failed',
        runId,
        startedAt: storeInstant(startedMs),
        finishedAt: storeInstant(nowMs),
        syncedFrom: latest.syncedFrom,
        syncedThrough: latest.syncedThrough,
        records: progress.records,
        error: message,
      };
      await synced
        .updateState(accountId, {
          status: 'failed',
          lastError: message,
          lastFinishedAt: storeInstant(nowMs),
          // retry sooner than the interval: the checkpoint keeps what was read
          nextRunAt: storeInstant(nowMs + Math.min(latest.settings.interval_minutes, 5) * MINUTE_MS),
        }, this.finishedEvent(accountId, failed))
        .catch(() => {}); // the account may have been deleted mid-run
      log?.warn({ account: accountId, run: runId, problem: message }, 'sync run failed');
      return 'failed';
    }
  }
}

/** The last error in words, for GET …/sync (never a stack, never a secret). */
export function describeFailure(e: unknown): string {
  if (e instanceof RemoteError) return `${e.message} (vendor answered ${e.statusCode})`;
  if (e instanceof ParleyError) return e.message;
  if (e instanceof Error) return `internal error: ${e.message}`;
  return 'internal error';
}

export type { SyncState };
