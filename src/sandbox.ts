import type { Parley } from './server.js';
import { DEFAULT_TENANT_ID } from './store/repositories.js';
import { startGongSimulator } from '../sandbox/gong/index.js';
import { startClariCopilotSimulator } from '../sandbox/clari_copilot/index.js';
import { startAvomaSimulator } from '../sandbox/avoma/index.js';
import { startChorusSimulator } from '../sandbox/chorus/index.js';
import { startFirefliesSimulator } from '../sandbox/fireflies/index.js';

/**
 * The built-in sandbox: vendor simulators on loopback and an integrated account of the default
 * tenant connected to each, under fixed ids so a newcomer's saved curl keeps working across restarts.
 */
export interface SandboxVendor {
  integration: string;
  /** starts the simulator; returns its URL, the credentials it accepts, and how to stop it */
  start(): Promise<{ url: string; credentials: Record<string, unknown>; close(): Promise<void> }>;
}

/** Adding a vendor to the sandbox: one entry here. */
export const SANDBOX_VENDORS: SandboxVendor[] = [
  {
    integration: 'gong',
    async start() {
      const sim = await startGongSimulator();
      return {
        url: sim.url,
        credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url },
        close: () => sim.close(),
      };
    },
  },
  {
    integration: 'clari_copilot',
    async start() {
      // Computed metrics cost one /call-details per call: the sandbox grants the raised budget a
      // workspace can ask Clari for (40/s, set on both sides) so a 30-day query answers in seconds.
      const sim = await startClariCopilotSimulator({ userCount: 5, ratePerSecond: 40 });
      return {
        url: sim.url,
        credentials: { api_key: 'sandbox-key', api_password: 'sandbox-password', base_url: sim.url, rate_limit_per_second: 40 },
        close: () => sim.close(),
      };
    },
  },
  {
    integration: 'chorus',
    async start() {
      // Chorus publishes no budget: the sandbox grants 50 requests/s and the account paces to match.
      const sim = await startChorusSimulator({ rateLimit: { limit: 3000, windowMs: 60_000 } });
      return {
        url: sim.url,
        credentials: { api_token: sim.token, base_url: sim.url, rate_limit_per_minute: 3000 },
        close: () => sim.close(),
      };
    },
  },
  {
    integration: 'avoma',
    async start() {
      // Avoma publishes 60 requests/minute; the sandbox grants 600 and the account paces to match.
      const sim = await startAvomaSimulator({ rateLimit: 600 });
      return {
        url: sim.url,
        credentials: { api_key: sim.apiKey, base_url: sim.url, rate_limit_per_minute: 600 },
        close: () => sim.close(),
      };
    },
  },
  {
    integration: 'fireflies',
    async start() {
      // Fireflies' Business plan budget (60 requests/minute) on both sides: the real pace.
      const sim = await startFirefliesSimulator({});
      return {
        url: sim.url,
        credentials: { api_key: sim.apiKey, base_url: sim.url },
        close: () => sim.close(),
      };
    },
  },
];

export interface RunningSandbox {
  accounts: { integration: string; id: string; vendorUrl: string }[];
  close(): Promise<void>;
}

export function sandboxAccountId(integration: string): string {
  return `sandbox-${integration.replace(/_/g, '-')}`;
}

export async function startSandbox(parley: Parley, vendors: SandboxVendor[] = SANDBOX_VENDORS): Promise<RunningSandbox> {
  const running = await Promise.all(vendors.map(async (v) => ({ v, sim: await v.start() })));
  const accounts = [];
  for (const { v, sim } of running) {
    const id = sandboxAccountId(v.integration);
    await parley.accounts.create(DEFAULT_TENANT_ID, { integration: v.integration, credentials: sim.credentials }, { sandbox: true, id });
    accounts.push({ integration: v.integration, id, vendorUrl: sim.url });
  }
  return {
    accounts,
    close: async () => {
      await Promise.all(running.map(({ sim }) => sim.close()));
    },
  };
}
