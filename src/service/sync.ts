import { ConflictError } from '../domain/errors.js';
import { SyncSettings, type SyncStatus } from '../domain/sync.js';
import type { Clock } from '../domain/clock.js';
import { storeInstant, type SyncedStore } from '../store/synced-store.js';
import type { SyncScheduler } from '../sync/scheduler.js';
import type { AccountsService } from './accounts.js';

/** Sync status and control of an integrated account (GET/POST …/sync, PATCH of its settings). */
export class SyncService {
  constructor(
    private readonly deps: {
      accounts: AccountsService;
      synced: SyncedStore;
      clock: Clock;
      /** absent in a process that runs no syncs (PARLEY_ROLE=api): requests are picked up by a worker */
      scheduler?: SyncScheduler;
    },
  ) {}

  async status(tenantId: string, accountId: string): Promise<SyncStatus> {
    const account = await this.deps.accounts.get(tenantId, accountId);
    const s = await this.deps.synced.ensureState(account.id);
    return {
      status: s.status,
      settings: s.settings,
      last_started_at: s.lastStartedAt,
      last_finished_at: s.lastFinishedAt,
      next_run_at: s.settings.enabled ? (s.requestedAt && s.status !== 'running' ? s.requestedAt : s.nextRunAt) : null,
      synced_from: s.syncedFrom,
      synced_through: s.syncedThrough,
      counts: { ...(await this.deps.synced.counts(account.id)), ...(await this.deps.synced.activity.counts(account.id)) },
      progress: s.status === 'running' ? s.progress : null,
      last_error: s.lastError,
    };
  }

  /** Start a run now; a run already going is not started twice. */
  async request(tenantId: string, accountId: string): Promise<SyncStatus> {
    const account = await this.deps.accounts.get(tenantId, accountId);
    const s = await this.deps.synced.ensureState(account.id);
    if (!s.settings.enabled) {
      throw new ConflictError(`sync is disabled for integrated account ${account.id}; PATCH it with {"sync": {"enabled": true}} first`);
    }
    if (s.status !== 'running') {
      if (this.deps.scheduler) await this.deps.scheduler.request(account.id);
      else await this.deps.synced.updateState(account.id, { requestedAt: storeInstant(this.deps.clock.now()) });
    }
    return this.status(tenantId, accountId);
  }

  /** Merge a settings patch (validated by the route); enabling makes a run due now. */
  async updateSettings(accountId: string, patch: Partial<SyncSettings>): Promise<void> {
    const s = await this.deps.synced.ensureState(accountId);
    const settings = SyncSettings.parse({ ...s.settings, ...patch });
    const now = storeInstant(this.deps.clock.now());
    const wasEnabled = s.settings.enabled;
    await this.deps.synced.updateState(accountId, {
      settings,
      ...(settings.enabled
        ? wasEnabled
          ? {}
          : { status: s.status === 'running' ? 'running' : 'idle', nextRunAt: now }
        : { status: s.status === 'running' ? 'running' : 'disabled', nextRunAt: null }),
    });
    if (settings.enabled && !wasEnabled) await this.deps.scheduler?.tick();
  }
}
