import { describe, expect, it } from 'vitest';
import { startGrainSimulator } from '../../sandbox/grain/index.js';
import { NOW, runFaultSuite } from './harness.js';

describe('Grain under faults', () => {
  it('answers every route with the right error during each storm, and the baseline once it clears', async () => {
    const result = await runFaultSuite({
      integration: 'grain',
      start: () => startGrainSimulator({ now: () => Date.parse(NOW), rateLimit: Infinity }),
      credentials: (url) => ({ api_token: 'sandbox-grain-token', base_url: url, rate_limit_per_minute: 6000 }),
      nativeInteractions: false,
    });
    console.info(`Grain fault cases: ${result.cases}, 500s: ${result.serverErrors}`);
    expect(result.failures).toEqual([]);
    expect(result.serverErrors).toBe(0);
    expect(result.cases).toBe(6 * 9);
  }, 120_000);
});
