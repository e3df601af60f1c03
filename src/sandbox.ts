import { hkdfSync } from 'node:crypto';
import type { Parley } from './server.js';
import { DEFAULT_TENANT_ID } from './store/repositories.js';
import {
  startSimulators,
  startSimulatorsInWorker,
  type LaunchedSimulator,
  type SimulatorLaunch,
} from '../sandbox/launch.js';

/**
 * The built-in sandbox: vendor simulators on loopback and an integrated account of the default
 * tenant connected to each, under fixed ids, with a token derived from the secret key, so that a
 * newcomer's saved curl keeps working across restarts.
 */
export interface SandboxVendor {
  integration: string;
  /** which simulator, with which options */
  simulator: SimulatorLaunch;
  /** the account's credentials for a started simulator */
  credentials(sim: LaunchedSimulator): Record<string, unknown>;
}

/** Adding a vendor to the sandbox: one entry here (and its simulator in sandbox/launch.ts). */
export const SANDBOX_VENDORS: SandboxVendor[] = [
  {
    integration: 'gong',
    simulator: { name: 'gong', options: {} },
    credentials: (sim) => ({ access_key: sim.auth.accessKey, access_key_secret: sim.auth.accessKeySecret, base_url: sim.url }),
  },
  {
    integration: 'clari_copilot',
    // Computed metrics cost one /call-details per call: the sandbox grants the raised budget a
    // workspace can ask Clari for (40/s, set on both sides) so a 30-day query answers in seconds.
    simulator: { name: 'clari_copilot', options: { userCount: 5, ratePerSecond: 40 } },
    credentials: (sim) => ({ api_key: sim.auth.apiKey, api_password: sim.auth.apiPassword, base_url: sim.url, rate_limit_per_second: 40 }),
  },
  {
    integration: 'chorus',
    // Chorus publishes no budget: the sandbox grants 50 requests/s and the account paces to match.
    simulator: { name: 'chorus', options: { rateLimit: { limit: 3000, windowMs: 60_000 } } },
    credentials: (sim) => ({ api_token: sim.auth.token, base_url: sim.url, rate_limit_per_minute: 3000 }),
  },
  {
    integration: 'avoma',
    // Avoma publishes 60 requests/minute; the sandbox grants 600 and the account paces to match.
    simulator: { name: 'avoma', options: { rateLimit: 600 } },
    credentials: (sim) => ({ api_key: sim.auth.apiKey, base_url: `${sim.url}${sim.apiPath ?? ''}`, rate_limit_per_minute: 600 }),
  },
  {
    integration: 'fireflies',
    // Fireflies' Business plan budget (60 requests/minute) on both sides: the real pace.
    simulator: { name: 'fireflies', options: {} },
    credentials: (sim) => ({ api_key: sim.auth.apiKey, base_url: sim.url }),
  },
  {
    integration: 'fathom',
    // Fathom publishes 60 calls/minute; the sandbox grants 600 and the account paces to match.
    simulator: { name: 'fathom', options: { rateLimit: 600 } },
    credentials: (sim) => ({ api_key: sim.auth.apiKey, base_url: `${sim.url}${sim.apiPath ?? ''}`, rate_limit_per_minute: 600 }),
  },
  {
    integration: 'grain',
    // Grain publishes 300 requests/minute and has one transcript request per meeting: the sandbox
    // grants 3000 and the account paces to match, so a 30-day query answers in seconds.
    simulator: { name: 'grain', options: { rateLimit: 3000 } },
    credentials: (sim) => ({ api_token: sim.auth.token, base_url: sim.url, rate_limit_per_minute: 3000 }),
  },
];

/**
 * The connect page in the sandbox: accounts typed there may point at the simulators (loopback), the
 * form shows the keys each simulator accepts, and Gong's simulator is the default tenant's OAuth app.
 */
async function offerOnConnectPage(parley: Parley, v: SandboxVendor, sim: LaunchedSimulator): Promise<void> {
  parley.accounts.trustSandboxOrigin(sim.url);
  const fields = Object.entries(v.credentials(sim)).map(([k, value]) => `${k} = ${String(value)}`);
  parley.connectHints.set(v.integration, `Sandbox simulator: enter ${fields.join(', ')} (base_url and limits under Advanced settings).`);
  if (v.integration === 'gong' && sim.auth.oauthClientId && sim.auth.oauthClientSecret) {
    parley.oauthEndpoints.override('gong', { authorizeUrl: `${sim.url}/oauth2/authorize`, tokenUrl: `${sim.url}/oauth2/generate-customer-token` });
    await parley.connectStore.oauthApps.put(DEFAULT_TENANT_ID, 'gong', { clientId: sim.auth.oauthClientId, clientSecret: sim.auth.oauthClientSecret });
  }
}

export interface RunningSandbox {
  accounts: { integration: string; id: string; vendorUrl: string }[];
  close(): Promise<void>;
}

export function sandboxAccountId(integration: string): string {
  return `sandbox-${integration.replace(/_/g, '-')}`;
}

/**
 * The sandbox's API token: the same for as long as the secret key is (development keeps it in
 * `.parley/`), so it survives restarts; the store keeps only its hash.
 */
export function sandboxToken(secretKey: Buffer): string {
  return `prl_${Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'parley sandbox api token v1', 32)).toString('base64url')}`;
}

/**
 * Starts the simulators (in a worker thread of their own with `inWorker`, as `npm start` does) and
 * points the sandbox accounts at them. Call it only once the API listens: it rewrites shared state.
 */
export async function startSandbox(
  parley: Parley,
  vendors: SandboxVendor[] = SANDBOX_VENDORS,
  opts: { inWorker?: boolean } = {},
): Promise<RunningSandbox> {
  const launches = vendors.map((v) => v.simulator);
  const running = opts.inWorker ? await startSimulatorsInWorker(launches) : await startSimulators(launches);
  try {
    const accounts = [];
    for (const [i, v] of vendors.entries()) {
      const sim = running.simulators[i]!;
      const id = sandboxAccountId(v.integration);
      await parley.accounts.create(DEFAULT_TENANT_ID, { integration: v.integration, credentials: v.credentials(sim) }, { sandbox: true, id });
      accounts.push({ integration: v.integration, id, vendorUrl: sim.url });
      await offerOnConnectPage(parley, v, sim);
    }
    parley.sandboxConnect.tenantId = DEFAULT_TENANT_ID;
    return { accounts, close: () => running.close() };
  } catch (e) {
    await running.close();
    throw e;
  }
}
