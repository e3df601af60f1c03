import { describe, expect, it } from 'vitest';
import { startAvomaSimulator } from '../../sandbox/avoma/index.js';
import { NOW, runFaultSuite } from './harness.js';

describe('Avoma under faults', () => {
  it('answers every route with the right error during each storm, and the baseline once it clears', async () => {
    const result = await runFaultSuite({
      integration: 'avoma',
      start: () => startAvomaSimulator({ now: () => new Date(NOW), rateLimit: Infinity }),
      credentials: (url) => ({ api_key: 'sandbox-avoma-key', base_url: url, rate_limit_per_minute: 6000 }),
      nativeInteractions: false,
    });
    console.info(`Avoma fault cases: ${result.cases}, 500s: ${result.serverErrors}`);
    expect(result.failures).toEqual([]);
    expect(result.serverErrors).toBe(0);
    expect(result.cases).toBe(6 * 9);
  }, 120_000);
});
