import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestAbortedError } from '../../src/domain/errors.js';
import { DEFAULT_TENANT_ID } from '../../src/store/repositories.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * The signal given to AccountsService.open reaches every vendor call of the session: a client that
 * leaves while Parley waits on a hung vendor ends the wait at once, not after the call's patience.
 */
let hung: Server;
let url: string;
let t: TestParley;

beforeAll(async () => {
  hung = createServer(() => {}); // accepts, never answers
  await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
  t = await startTestParley({ upstreamPatienceMs: 20_000, upstreamTimeoutMs: 15_000 });
});
afterAll(async () => {
  await t.close();
  hung.closeAllConnections();
  await new Promise<void>((r) => hung.close(() => r()));
});

describe('AccountsService.open', () => {
  it('passes the request signal to the vendor client: aborting ends a hung call at once', async () => {
    const account = await t.parley.accounts.create(DEFAULT_TENANT_ID, { integration: 'avoma', credentials: { api_key: 'k', base_url: url } });
    const client = new AbortController();
    const { session } = await t.parley.accounts.open(DEFAULT_TENANT_ID, account.id, { signal: client.signal });
    const started = performance.now();
    const call = session.users!.list();
    setTimeout(() => client.abort(), 200);
    await expect(call).rejects.toBeInstanceOf(RequestAbortedError);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
