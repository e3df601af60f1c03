import { utcNow } from './domain/clock.js';
import { loadConfig, ConfigError } from './config.js';
import { createParley } from './server.js';
import { sandboxToken, startSandbox, type RunningSandbox } from './sandbox.js';
import { DEFAULT_TENANT_ID } from './store/repositories.js';
import { pino } from 'pino';
import { LOG_REDACT } from './api/app.js';
import { HeldStream } from './observability/held-stream.js';

/**
 * `npm start` / `parley serve`: the API, and outside production the sandbox with a ready token.
 * The port is bound before anything shared changes: a second start in the same directory fails on
 * the port and leaves the running instance's token, accounts and simulators alone.
 */
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
  if (config.role === 'worker') {
    const { runWorker } = await import('./worker.js');
    return runWorker();
  }
  // log lines of the start wait behind the banner, so that it prints whole (HeldStream)
  const logOutput = new HeldStream(process.stdout);
  const parley = await createParley(config, { logger: pino({ level: config.logLevel, redact: LOG_REDACT }, logOutput) });
  try {
    await parley.app.listen({ port: config.port, host: config.host });
  } catch (e) {
    logOutput.release();
    process.stderr.write(`parley: cannot listen on port ${config.port}: ${(e as Error).message}\n`);
    await parley.close();
    process.exit(1);
  }

  let sandbox: RunningSandbox | undefined;
  let token = config.bootstrapToken;
  if (config.sandbox) {
    try {
      sandbox = await startSandbox(parley, undefined, { inWorker: true });
    } catch (e) {
      process.stderr.write(`parley: the sandbox could not start (${(e as Error).message}); serving without it\n`);
    }
    if (sandbox && !token) {
      token = sandboxToken(config.secretKey);
      // tokens of older versions (random per start) stop working; this one stays
      await parley.store.tokens.revokeLabel(DEFAULT_TENANT_ID, 'sandbox');
      await parley.store.tokens.register(DEFAULT_TENANT_ID, token, 'sandbox');
    }
  }
  const base = `http://localhost:${config.port}`;
  const lines = [`Parley listening on ${base} (docs: ${base}/docs, OpenAPI: ${base}/openapi.json)`];
  lines.push(`Dashboard: ${base}/dashboard (sign in with ${sandbox && token ? 'the API token printed below' : 'an API token'})`);
  if (sandbox && token) {
    // whole ISO weeks up to today: the buckets a sync stores, so these answer from the store once synced
    const today = utcNow(parley.clock);
    const end = today.plus({ days: 1 }).toISODate();
    const start = today.minus({ weeks: 4 }).startOf('week').toISODate();
    lines.push('', `Sandbox: simulated vendors connected to the default tenant. API token: ${token}`);
    lines.push(`CLI: PARLEY_URL=${base} PARLEY_TOKEN=${token} npx parley accounts list   (npx parley --help for every command)`);
    lines.push(`Connect page (connect a vendor in the browser: API keys, or Gong through OAuth): ${base}/connect`);
    if (parley.scheduler) {
      lines.push(
        '',
        'Sync: each account syncs into the store in the background (the last 90 days first, then every 60 minutes).',
        'Until an account\'s first sync completes its queries are answered live; afterwards from the store (header parley-data-as-of).',
        `Progress: curl -s -H 'Authorization: Bearer ${token}' '${base}/integrated-accounts/${sandbox.accounts[0]?.id ?? 'sandbox-gong'}/sync'`,
      );
    }
    for (const a of sandbox.accounts) {
      lines.push(
        '',
        `# ${a.integration} (simulator at ${a.vendorUrl}; faults: POST ${a.vendorUrl}/__sandbox/faults): weekly interaction metrics, the last four weeks`,
        `curl -s -H 'Authorization: Bearer ${token}' '${base}/unified/conversational-intelligence/interactions?integrated_account_id=${a.id}&start_time=${start}&end_time=${end}&aggregation_period=week&limit=5'`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
  logOutput.release();
  // syncs start once the port is ours and the sandbox accounts point at live simulators
  await parley.startBackgroundWork();

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
