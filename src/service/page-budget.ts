import { RequestAbortedError } from '../domain/errors.js';

/**
 * How long one page may work, and whether its client is still there. `signal` fires when the client
 * goes away or the time is up: the page stops waiting for its work. The page's vendor session stops
 * everything when the client goes away, but when only the time is up it stops *sending*
 * (`timeUpSignal`): a request already on the wire finishes, bounded by its timeout, and what it
 * brought is kept in the saved progress the next page continues from, so no vendor call is repeated.
 */
export class PageBudget {
  readonly signal: AbortSignal;
  /** fires when the time is up only: vendor calls stop being sent, those on the wire finish */
  readonly timeUpSignal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timeUpController = new AbortController();
  private timeIsUp = false;
  private readonly timer: NodeJS.Timeout;
  private readonly onClientGone?: () => void;

  constructor(
    budgetMs: number,
    private readonly client?: AbortSignal,
  ) {
    this.timer = setTimeout(() => {
      this.timeIsUp = true;
      this.timeUpController.abort();
      this.controller.abort();
    }, budgetMs);
    this.timer.unref();
    // one controller for both causes, linked to the client's signal by hand until close(): cheaper
    // per page than AbortSignal.any, which a warm read paid on every request
    this.signal = this.controller.signal;
    this.timeUpSignal = this.timeUpController.signal;
    if (client?.aborted) this.controller.abort(client.reason);
    else if (client) {
      this.onClientGone = () => this.controller.abort(client.reason);
      client.addEventListener('abort', this.onClientGone, { once: true });
    }
  }

  get timeUp(): boolean {
    return this.timeIsUp;
  }

  get clientGone(): boolean {
    return this.client?.aborted === true;
  }

  /**
   * What an error means for this page: `client` (ours left: answer 499), `time` (our time ran out:
   * answer what we have), `foreign` (a load we shared was cancelled by another request: retry it
   * ourselves), or `error` (a real failure).
   */
  classify(e: unknown): 'client' | 'time' | 'foreign' | 'error' {
    if (!(e instanceof RequestAbortedError)) return 'error';
    if (this.clientGone) return 'client';
    if (this.timeUp) return 'time';
    return 'foreign';
  }

  /**
   * `work`'s value, or undefined when this page's time runs out first (the work, if it is ours,
   * stops with the page's signal). Throws RequestAbortedError when the client left, and the work's
   * own failure otherwise.
   */
  async within<T>(work: Promise<T>): Promise<T | undefined> {
    let onEnd: (() => void) | undefined;
    const ended = new Promise<{ ended: true }>((resolve) => {
      onEnd = () => resolve({ ended: true });
      if (this.signal.aborted) onEnd();
      else this.signal.addEventListener('abort', onEnd, { once: true });
    });
    let outcome: { ended: true } | { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = await Promise.race([
        work.then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
        ended,
      ]);
    } finally {
      this.signal.removeEventListener('abort', onEnd!);
    }
    if ('ok' in outcome && outcome.ok) return outcome.value;
    if ('ok' in outcome && this.classify(outcome.error) === 'error') throw outcome.error;
    if (this.clientGone) throw new RequestAbortedError();
    return undefined;
  }

  close(): void {
    clearTimeout(this.timer);
    if (this.onClientGone) this.client!.removeEventListener('abort', this.onClientGone);
  }
}
