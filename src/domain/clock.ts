import { DateTime } from 'luxon';

/**
 * The calendar clock: what day and instant it is. Everything that asks "what is today" (clipping
 * ranges at now, Gong's "toDate not after today", the sandbox banner, sync schedules) reads it from
 * an injected Clock, so that tests run under any date. Durations and pacing (timeouts, rate budgets)
 * keep reading the process timers: they measure elapsed time, not the calendar.
 */
export interface Clock {
  /** epoch milliseconds */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that reads `at` now and advances with real time from here on: tests pin the calendar
 * without freezing time (rate budgets, timeouts and the vendor's own clock still move together).
 */
export function clockAt(at: string | number | Date): Clock {
  const base = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (!Number.isFinite(base)) throw new RangeError(`clockAt: not an instant: ${String(at)}`);
  const started = performance.now();
  return { now: () => base + Math.round(performance.now() - started) };
}

/** The clock's instant as a luxon DateTime in UTC. */
export function utcNow(clock: Clock): DateTime {
  return DateTime.fromMillis(clock.now(), { zone: 'UTC' });
}
