import { describe, expect, it } from 'vitest';
import { startFirefliesSimulator } from '../../sandbox/fireflies/index.js';
import { NOW, runFaultSuite } from './harness.js';

describe('Fireflies under faults', () => {
  it('answers every route with the right error during each storm, and the baseline once it clears', async () => {
    const result = await runFaultSuite({
      integration: 'fireflies',
      start: () => startFirefliesSimulator({ now: () => new Date(NOW), requestsPerMinute: Infinity }),
      credentials: (url) => ({ api_key: 'sandbox-fireflies-key', base_url: url, rate_limit_per_minute: 6000 }),
      nativeInteractions: true,
    });
    console.info(`Fireflies fault cases: ${result.cases}, 500s: ${result.serverErrors}`);
    expect(result.failures).toEqual([]);
    expect(result.serverErrors).toBe(0);
    expect(result.cases).toBe(7 * 9);
  }, 120_000);
});
