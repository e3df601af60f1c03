import type { Parley } from './server.js';
import { DEFAULT_TENANT_ID } from './store/repositories.js';
import { startGongSimulator } from '../sandbox/gong/index.js';

/**
 * The built-in sandbox: vendor simulators on loopback and an integrated account of the default
 * tenant connected to each, under fixed ids so a newcomer's saved curl keeps working across restarts.
 */
export interface RunningSandbox {
  accounts: { integration: string; id: string; vendorUrl: string }[];
  close(): Promise<void>;
}

export const SANDBOX_GONG_ACCOUNT_ID = 'sandbox-gong';

export async function startSandbox(parley: Parley): Promise<RunningSandbox> {
  const gong = await startGongSimulator({});
  await parley.accounts.create(
    DEFAULT_TENANT_ID,
    {
      integration: 'gong',
      credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: gong.url },
    },
    { sandbox: true, id: SANDBOX_GONG_ACCOUNT_ID },
  );
  return {
    accounts: [{ integration: 'gong', id: SANDBOX_GONG_ACCOUNT_ID, vendorUrl: gong.url }],
    close: () => gong.close(),
  };
}
