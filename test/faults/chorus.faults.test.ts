import { describe, expect, it } from 'vitest';
import { startChorusSimulator } from '../../sandbox/chorus/index.js';
import { NOW, runFaultSuite } from './harness.js';

describe('Chorus under faults', () => {
  it('answers every route with the right error during each storm, and the baseline once it clears', async () => {
    const result = await runFaultSuite({
      integration: 'chorus',
      start: () => startChorusSimulator({ now: () => Date.parse(NOW), rateLimit: null }),
      credentials: (url) => ({ api_token: 'sandbox-chorus-token', base_url: url, rate_limit_per_minute: 6000 }),
      nativeInteractions: false,
    });
    console.info(`Chorus fault cases: ${result.cases}, 500s: ${result.serverErrors}`);
    expect(result.failures).toEqual([]);
    expect(result.serverErrors).toBe(0);
    expect(result.cases).toBe(6 * 9);
  }, 120_000);
});
