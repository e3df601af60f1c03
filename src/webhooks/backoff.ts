/**
 * When a failed delivery is tried again: exponential backoff with jitter, for at least the retry
 * period (24 h by default) counted from the event, after which the delivery is given up. Pure:
 * callers pass the attempt number, the instants and the random draw.
 */
export interface BackoffPolicy {
  /** the delay after the first failure (default 10 s) */
  baseMs: number;
  /** no delay is longer than this (default 4 h) */
  maxMs: number;
  /** a delivery is tried for at least this long from its event (default 24 h) */
  retryForMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 10_000, maxMs: 4 * 3_600_000, retryForMs: 24 * 3_600_000 };

/**
 * The instant of the next attempt after `attempts` failed ones, or undefined when the retry period
 * is over. Jitter keeps 50–100 % of the exponential delay ("equal jitter"), so receivers that come
 * back are not hit by every delivery at once, and a delay never collapses to nothing. The last retry
 * is placed at the end of the period at the latest, so the period is always tried in full.
 */
export function nextAttemptAt(policy: BackoffPolicy, attempts: number, firstAtMs: number, nowMs: number, random: number): number | undefined {
  const deadline = firstAtMs + policy.retryForMs;
  if (nowMs >= deadline) return undefined;
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempts - 1, 40));
  const delay = exponential * (0.5 + 0.5 * Math.min(1, Math.max(0, random)));
  return Math.min(nowMs + Math.round(delay), deadline);
}
