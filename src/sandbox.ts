import type { Parley } from './server.js';
import { DEFAULT_TENANT_ID } from './store/repositories.js';
import { startGongSimulator } from '../sandbox/gong/index.js';

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
      const sim = await startGongSimulator({});
      return {
        url: sim.url,
        credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url },
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
