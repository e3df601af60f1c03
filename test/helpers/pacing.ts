import { expect } from 'vitest';

/**
 * Arrival times recorded by a simulator (ms) show requests paced one per `intervalMs`: every run of
 * `window` consecutive gaps spans at least `window` intervals less `slackMs`. A single gap is no
 * measure on a loaded machine: an arrival held up by a busy event loop shortens the gap after it by
 * as much, while over a few gaps the schedule still shows (an unpaced burst spans almost nothing).
 */
export function expectPaced(at: readonly number[], intervalMs: number, window = 4, slackMs = intervalMs / 2): void {
  expect(at.length, 'enough requests to see the pace').toBeGreaterThan(window);
  for (let i = window; i < at.length; i++) {
    expect(at[i]! - at[i - window]!, `requests ${i - window}..${i}`).toBeGreaterThanOrEqual(window * intervalMs - slackMs);
  }
}
