import { utcNow } from './domain/clock.js';
import { loadConfig, ConfigError } from './config.js';
import { createParley } from './server.js';
import { startSandbox, type RunningSandbox } from './sandbox.js';
import { DEFAULT_TENANT_ID } from './store/repositories.js';

/** `npm start` / `parley serve`: the API, and outside production the sandbox with a ready token. */
export async function serve(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`parley: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const parley = await createParley(config);
  let sandbox: RunningSandbox | undefined;
  let token = config.bootstrapToken;
  if (config.sandbox) {
    sandbox = await startSandbox(parley);
    if (!token) {
      // a fresh token per start; the previous sandbox token stops working
      await parley.store.tokens.revokeLabel(DEFAULT_TENANT_ID, 'sandbox');
      token = await parley.store.tokens.issue(DEFAULT_TENANT_ID, 'sandbox');
    }
  }
  try {
    await parley.app.listen({ port: config.port, host: config.host });
  } catch (e) {
    process.stderr.write(`parley: cannot listen on port ${config.port}: ${(e as Error).message}\n`);
    await sandbox?.close();
    await parley.close();
    process.exit(1);
  }
  const base = `http://localhost:${config.port}`;
  const lines = [`Parley listening on ${base} (docs: ${base}/docs, OpenAPI: ${base}/openapi.json)`];
  if (sandbox && token) {
    const today = utcNow(parley.clock);
    const end = today.toISODate();
    const start = today.minus({ days: 30 }).toISODate();
    lines.push('', `Sandbox: simulated vendors connected to the default tenant. API token: ${token}`);
    for (const a of sandbox.accounts) {
      lines.push(
        '',
        `# ${a.integration} (simulator at ${a.vendorUrl}; faults: POST ${a.vendorUrl}/__sandbox/faults): weekly interaction metrics, last 30 days`,
        `curl -s -H 'Authorization: Bearer ${token}' '${base}/unified/conversational-intelligence/interactions?integrated_account_id=${a.id}&start_time=${start}&end_time=${end}&aggregation_period=week&limit=5'`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  const stop = async () => {
    await parley.close();
    await sandbox?.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await serve();
}
