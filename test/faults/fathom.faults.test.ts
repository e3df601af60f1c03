import { describe, expect, it } from 'vitest';
import { startFathomSimulator } from '../../sandbox/fathom/index.js';
import { NOW, runFaultSuite } from './harness.js';

describe('Fathom under faults', () => {
  it('answers every route with the right error during each storm, and the baseline once it clears', async () => {
    const result = await runFaultSuite({
      integration: 'fathom',
      start: async () => {
        const sim = await startFathomSimulator({ now: () => Date.parse(NOW), rateLimit: Infinity });
        return { ...sim, url: sim.baseUrl };
      },
      credentials: (url) => ({ api_key: 'sandbox-fathom-key', base_url: url, rate_limit_per_minute: 6000 }),
      nativeInteractions: false,
    });
    console.info(`Fathom fault cases: ${result.cases}, 500s: ${result.serverErrors}`);
    expect(result.failures).toEqual([]);
    expect(result.serverErrors).toBe(0);
    expect(result.cases).toBe(6 * 9);
  }, 120_000);
});
