import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { createParleyClient, ParleyApiError, type ParleyClient } from '../../sdk/index.js';
import { generateSchemaSource } from '../../sdk/generate.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * The typed SDK (sdk/): its generated part equals what the routes of this checkout generate, and
 * its paging layer lists every resource of every sandbox account through `for await`, equal to one
 * big page read with plain HTTP. The sandbox simulators run on the real calendar, so ranges are
 * taken relative to now and nothing asserted depends on the date.
 */
const CI = '/unified/conversational-intelligence';

describe('sdk', () => {
  let t: TestParley;
  let sandbox: RunningSandbox;
  let parley: ParleyClient;

  beforeAll(async () => {
    t = await startTestParley();
    await t.parley.app.listen({ port: 0, host: '127.0.0.1' });
    sandbox = await startSandbox(t.parley);
    const address = t.parley.app.server.address() as { port: number };
    parley = createParleyClient({ baseUrl: `http://127.0.0.1:${address.port}`, token: t.token });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  it('sdk/schema.ts is what `npm run sdk:generate` makes of the current routes (run it when this fails)', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    const fresh = await generateSchemaSource(doc);
    const committed = readFileSync(fileURLToPath(new URL('../../sdk/schema.ts', import.meta.url)), 'utf8');
    expect(committed === fresh, 'sdk/schema.ts is stale: run `npm run sdk:generate` and commit the result').toBe(true);
  });

  it('lists every resource of every sandbox account through for await', async () => {
    const today = DateTime.utc().startOf('day');
    const range = { start_time: today.minus({ days: 7 }).toISODate()!, end_time: today.plus({ days: 1 }).toISODate()! };
    const accounts = [];
    for await (const a of parley.list('/integrated-accounts', { limit: 2 })) accounts.push(a);
    expect(accounts.map((a) => a.id).sort()).toEqual(sandbox.accounts.map((a) => a.id).sort());

    const counts: Record<string, Record<string, number>> = {};
    for (const { id, integration } of sandbox.accounts) {
      const account = { integrated_account_id: id, include_remote_data: 'false' } as const;
      const users = [];
      for await (const u of parley.list(`${CI}/users`, { ...account, limit: 3 })) users.push(u);
      const meetings = [];
      for await (const m of parley.list(`${CI}/meetings`, { ...account, ...range, limit: 3 })) meetings.push(m);
      const transcripts = [];
      for (const m of meetings.slice(0, 2)) {
        for await (const tr of parley.list(`${CI}/transcripts`, { ...account, meeting_id: m.id, limit: 50 })) transcripts.push(tr);
      }
      const interactions = [];
      for await (const r of parley.list(`${CI}/interactions`, { ...account, ...range, aggregation_period: 'week', limit: 2 })) interactions.push(r);

      // small pages followed by the SDK = one big page read directly: nothing skipped or repeated
      const q = `integrated_account_id=${id}&include_remote_data=false&start_time=${range.start_time}&end_time=${range.end_time}`;
      expect(users, integration).toEqual((await t.listAll(`${CI}/users?integrated_account_id=${id}&include_remote_data=false`, 1000)).all);
      expect(meetings, integration).toEqual((await t.listAll(`${CI}/meetings?${q}`, 1000)).all);
      expect(interactions, integration).toEqual((await t.listAll(`${CI}/interactions?${q}&aggregation_period=week`, 1000)).all);
      expect(users.length, integration).toBeGreaterThan(0);
      expect(meetings.length, integration).toBeGreaterThan(0);
      expect(transcripts.length, integration).toBeGreaterThan(0);
      expect(interactions.length, integration).toBeGreaterThan(0);
      expect(new Set(interactions.map((r) => r.id)).size).toBe(interactions.length);
      counts[integration] = { users: users.length, meetings: meetings.length, transcripts: transcripts.length, interactions: interactions.length };
    }
    expect(Object.keys(counts).sort()).toEqual(sandbox.accounts.map((a) => a.integration).sort());
  }, 180_000);

  it('errors are ParleyApiError with the status, Parley\'s message and the request id', async () => {
    const iterate = async () => {
      for await (const _ of parley.list(`${CI}/interactions`, { integrated_account_id: 'no-such-account', start_time: '2025-06-01', end_time: '2025-06-08' })) void _;
    };
    const error = await iterate().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyApiError);
    expect((error as ParleyApiError).status).toBe(404);
    expect((error as ParleyApiError).message).toMatch(/^404 /);
    expect((error as ParleyApiError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await parley.unwrap(parley.client.GET('/integrated-accounts', { params: { query: { limit: 5000 } } })).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ParleyApiError);
    expect((bad as ParleyApiError).body?.message).toMatch(/limit/);
    const unauthorized = createParleyClient({ baseUrl: `http://127.0.0.1:${(t.parley.app.server.address() as { port: number }).port}`, token: 'prl_nope' });
    const denied = await unauthorized.unwrap(unauthorized.client.GET('/integrated-accounts', {})).catch((e: unknown) => e);
    expect((denied as ParleyApiError).status).toBe(401);
  });
});
