import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase, migrateToLatest } from '../store/db.js';
import { createStore, DEFAULT_TENANT_ID } from '../store/repositories.js';

/**
 * `parley token create [--tenant NAME]`: a new API token, printed once and stored hashed. Without
 * --tenant it belongs to the default tenant; with it, to a new tenant of that name.
 */
export async function runTokenCommand(args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: { tenant: { type: 'string' }, label: { type: 'string' } } });
  } catch (e) {
    return { exitCode: 2, stdout: '', stderr: `parley token: ${(e as Error).message}\n` };
  }
  if (parsed.positionals[0] !== 'create' || parsed.positionals.length !== 1) {
    return { exitCode: 2, stdout: '', stderr: 'Usage: parley token create [--tenant NAME] [--label LABEL]\n' };
  }
  const config = loadConfig();
  const db = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(db);
    const store = createStore(db, config.secretKey);
    await store.tenants.ensure(DEFAULT_TENANT_ID, 'Default tenant');
    const tenant = parsed.values.tenant ? await store.tenants.create(parsed.values.tenant) : { id: DEFAULT_TENANT_ID };
    const token = await store.tokens.issue(tenant.id, parsed.values.label ?? 'cli');
    return { exitCode: 0, stdout: `${JSON.stringify({ tenant_id: tenant.id, token })}\n`, stderr: '' };
  } finally {
    await db.destroy();
  }
}
