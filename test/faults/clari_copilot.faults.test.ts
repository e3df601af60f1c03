import { describe, expect, it } from 'vitest';
import { startClariCopilotSimulator } from '../../sandbox/clari_copilot/index.js';
import { NOW, runFaultSuite } from './harness.js';

describe('Clari Copilot under faults', () => {
  it('answers every route with the right error during each storm, and the baseline once it clears', async () => {
    const result = await runFaultSuite({
      integration: 'clari_copilot',
      start: () => startClariCopilotSimulator({ now: () => new Date(NOW), ratePerSecond: Infinity }),
      credentials: (url) => ({ api_key: 'sandbox-key', api_password: 'sandbox-password', base_url: url, rate_limit_per_second: 100 }),
      nativeInteractions: true,
    });
    console.info(`Clari Copilot fault cases: ${result.cases}, 500s: ${result.serverErrors}`);
    expect(result.failures).toEqual([]);
    expect(result.serverErrors).toBe(0);
    expect(result.cases).toBe(7 * 9);
  }, 120_000);
});
