import { startAvomaSimulator } from '../../sandbox/avoma/index.js';
import { startChorusSimulator } from '../../sandbox/chorus/index.js';
import { startClariCopilotSimulator } from '../../sandbox/clari_copilot/index.js';
import { startFathomSimulator } from '../../sandbox/fathom/index.js';
import { startFirefliesSimulator } from '../../sandbox/fireflies/index.js';
import { startGongSimulator } from '../../sandbox/gong/index.js';
import { startGrainSimulator } from '../../sandbox/grain/index.js';
import type { RecordedRequest } from '../../sandbox/gong/index.js';

/**
 * Each simulator on one pinned calendar, with budgets raised on both sides (the
 * simulator and the account), so that a sync and its live twin run in seconds.
 */
export interface VendorUnderTest {
  integration: string;
  credentials: Record<string, unknown>;
  /** the vendor reports its own interaction numbers (Gong, Fireflies, Clari) */
  native: boolean;
  requests: RecordedRequest[];
  /** fault injection on the vendor's side */
  faults: { push(spec: Record<string, unknown>): void; clear(): void };
  close(): Promise<void>;
}

export const VENDORS = ['gong', 'fireflies', 'clari_copilot', 'chorus', 'avoma', 'fathom', 'grain'] as const;
export type VendorName = (typeof VENDORS)[number];

/** `at`: the simulators' calendar, fixed or moving (a function read on every request). */
export async function startVendor(name: VendorName, at: number | (() => number)): Promise<VendorUnderTest> {
  const nowMs = typeof at === 'number' ? () => at : at;
  const now = () => new Date(nowMs());
  switch (name) {
    case 'gong': {
      const sim = await startGongSimulator({ now, pageSize: 20, ratePerSecond: Infinity });
      return {
        integration: 'gong',
        credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url },
        native: true,
        requests: sim.requests,
        faults: sim.faults as never,
        close: () => sim.close(),
      };
    }
    case 'fireflies': {
      const sim = await startFirefliesSimulator({ now, requestsPerMinute: 6000 });
      return {
        integration: 'fireflies',
        credentials: { api_key: sim.apiKey, base_url: sim.url, rate_limit_per_minute: 6000 },
        native: true,
        requests: sim.requests,
        faults: sim.faults as never,
        close: () => sim.close(),
      };
    }
    case 'clari_copilot': {
      const sim = await startClariCopilotSimulator({ now, userCount: 5, ratePerSecond: Infinity });
      return {
        integration: 'clari_copilot',
        credentials: { api_key: 'sandbox-key', api_password: 'sandbox-password', base_url: sim.url, rate_limit_per_second: 100 },
        native: true,
        requests: sim.requests,
        faults: sim.faults as never,
        close: () => sim.close(),
      };
    }
    case 'chorus': {
      const sim = await startChorusSimulator({ now: nowMs, rateLimit: null });
      return {
        integration: 'chorus',
        credentials: { api_token: sim.token, base_url: sim.url, rate_limit_per_minute: 6000 },
        native: false,
        requests: sim.requests,
        faults: sim.faults as never,
        close: () => sim.close(),
      };
    }
    case 'avoma': {
      const sim = await startAvomaSimulator({ now, rateLimit: Infinity });
      return {
        integration: 'avoma',
        credentials: { api_key: sim.apiKey, base_url: sim.url, rate_limit_per_minute: 6000 },
        native: false,
        requests: sim.requests,
        faults: sim.faults as never,
        close: () => sim.close(),
      };
    }
    case 'fathom': {
      const sim = await startFathomSimulator({ now: nowMs, rateLimit: Infinity });
      return {
        integration: 'fathom',
        credentials: { api_key: sim.apiKey, base_url: sim.baseUrl, rate_limit_per_minute: 6000 },
        native: false,
        requests: sim.requests,
        faults: sim.faults as never,
        close: () => sim.close(),
      };
    }
    case 'grain': {
      const sim = await startGrainSimulator({ now: nowMs, rateLimit: Infinity });
      return {
        integration: 'grain',
        credentials: { api_token: sim.token, base_url: sim.url, rate_limit_per_minute: 6000 },
        native: false,
        requests: sim.requests,
        faults: sim.faults as never,
        close: () => sim.close(),
      };
    }
  }
}
