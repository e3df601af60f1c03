import { describe, expect, it } from 'vitest';
import { startGongSimulator } from '../../sandbox/gong/index.js';
import { NOW, runFaultSuite } from './harness.js';

describe('Gong under faults', () => {
  it('answers every route with the right error during each storm, and the baseline once it clears', async () => {
    const result = await runFaultSuite({
      integration: 'gong',
      start: () => startGongSimulator({ now: () => new Date(NOW), ratePerSecond: Infinity }),
      credentials: (url) => ({ access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: url }),
      nativeInteractions: true,
    });
    console.info(`Gong fault cases: ${result.cases}, 500s: ${result.serverErrors}`);
    expect(result.failures).toEqual([]);
    expect(result.serverErrors).toBe(0);
    expect(result.cases).toBe(7 * 9);
  }, 120_000);
});
