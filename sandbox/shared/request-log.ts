import type { FaultKind } from './fault-injection.js';

/** One request as a simulator received it: what tests assert about a connector's outgoing calls. */
export interface RecordedRequest {
  /** 1-based arrival order */
  seq: number;
  method: string;
  /** path without the query string */
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  /** parsed JSON body, or undefined when there was none (or it could not be parsed) */
  body: unknown;
  /** arrival time in epoch milliseconds, monotonic and sub-millisecond (performance clock) */
  at: number;
  /** status served; 0 while unanswered, and for faults that never answer (timeout, reset) */
  status: number;
  /** the injected fault that served this request, if any */
  fault?: FaultKind;
  /** the vendor request id the simulator assigned, when it assigns one */
  requestId?: string;
}

/**
 * The in-order list of received requests. `entries` is a plain array that keeps its identity
 * (clearing empties it in place), so callers may hold on to it; the oldest entries are dropped
 * beyond `limit` so that a long-running sandbox does not grow without bound.
 */
export class RequestLog {
  readonly entries: RecordedRequest[] = [];
  private seq = 0;

  constructor(private readonly limit = 10_000) {}

  record(entry: Omit<RecordedRequest, 'seq'>): RecordedRequest {
    const recorded: RecordedRequest = { seq: ++this.seq, ...entry };
    this.entries.push(recorded);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return recorded;
  }

  clear(): void {
    this.entries.splice(0, this.entries.length);
  }
}

/** Epoch milliseconds from the monotonic performance clock. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
