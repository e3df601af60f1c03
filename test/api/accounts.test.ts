import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startTestParley, type TestParley } from '../helpers/parley.js';

let t: TestParley;
const SECRET = 'gong-secret-VALUE-7f3a9c';
const KEY = 'gong-access-KEY-51b2';

beforeAll(async () => {
  t = await startTestParley({ allowPrivateUpstreams: false });
});
afterAll(() => t.close());

const create = (body: unknown, token?: string) => t.call('POST', '/integrated-accounts', body, token);
const gongBody = (extra: Record<string, unknown> = {}) => ({
  integration: 'gong',
  credentials: { access_key: KEY, access_key_secret: SECRET, ...extra },
});

describe('public routes', () => {
  it('serves /health, /openapi.json and /docs without a token', async () => {
    expect((await t.call('GET', '/health', undefined, '')).body).toEqual({ status: 'ok' });
    const doc = await t.call('GET', '/openapi.json', undefined, '');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/integrated-accounts', '/integrated-accounts/{id}', '/unified/conversational-intelligence/interactions', '/health']),
    );
    const docs = await t.parley.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('<html');
  });
});

describe('authentication', () => {
  it('401s without a token, with a malformed header, and with an unknown token, in the error body shape', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer nope' }]) {
      const res = await t.parley.app.inject({ method: 'GET', url: '/integrated-accounts', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
    }
  });
  it('answers unknown routes with a 404 error body', async () => {
    const res = await t.call('GET', '/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

describe('integrated accounts', () => {
  it('creates, gets, lists and deletes an account without ever returning credentials', async () => {
    const created = await create(gongBody());
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['created_at', 'id', 'integration', 'status', 'updated_at']);
    expect(created.body).toMatchObject({ integration: 'gong', status: 'active' });
    const id = created.body.id;
    const got = await t.call('GET', `/integrated-accounts/${id}`);
    expect(got.body).toEqual(created.body);
    const list = await t.call('GET', '/integrated-accounts');
    expect(list.body.result.map((a: { id: string }) => a.id)).toContain(id);
    for (const r of [created, got, list]) expect(JSON.stringify(r.body)).not.toMatch(new RegExp(`${SECRET}|${KEY}`));
    expect((await t.call('DELETE', `/integrated-accounts/${id}`)).status).toBe(204);
    expect((await t.call('GET', `/integrated-accounts/${id}`)).status).toBe(404);
    expect((await t.call('DELETE', `/integrated-accounts/${id}`)).status).toBe(404);
  });

  it('400s name the problem: unknown integration, missing fields, bad base_url', async () => {
    const cases: [unknown, RegExp][] = [
      [{ integration: 'zoom', credentials: {} }, /integration: unknown integration "zoom"/],
      [{ credentials: {} }, /integration/],
      [{ integration: 'gong' }, /credentials/],
      [{ integration: 'gong', credentials: { access_key: 'a' } }, /credentials\.access_key_secret/],
      [{ integration: 'gong', credentials: { access_key_secret: 'a' } }, /credentials\.access_key\b/],
      [gongBody({ base_url: 'not a url' }), /credentials\.base_url/],
      [gongBody({ base_url: 'http://api.gong.io' }), /credentials\.base_url: must use https/],
      [gongBody({ base_url: 'https://127.0.0.1:9000' }), /credentials\.base_url: .*private/],
      [gongBody({ base_url: 'https://10.1.2.3' }), /private/],
      [gongBody({ base_url: 'https://localhost' }), /private/],
      [gongBody({ base_url: 'https://[::1]/' }), /private/],
      [[1, 2], /body/],
    ];
    for (const [body, message] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toMatch(message);
    }
  });

  it('rejects a malformed JSON body and a wrong content type with a 4xx', async () => {
    const res = await t.parley.app.inject({
      method: 'POST',
      url: '/integrated-accounts',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
      payload: '{"integration": "gong", ',
    });
    expect(res.statusCode).toBe(400);
    const text = await t.parley.app.inject({
      method: 'POST',
      url: '/integrated-accounts',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    // JSON is the only body Parley reads: text/plain is the same 415 as any other type
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ statusCode: 415, message: 'Content-Type must be application/json' });
    const none = await t.parley.app.inject({
      method: 'POST',
      url: '/integrated-accounts',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(none.statusCode).toBe(415);
    expect(none.json()).toMatchObject({ statusCode: 415, message: 'Content-Type must be application/json' });
  });

  it('pages the account list with limit and next_cursor: no skips, no repeats', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await create(gongBody())).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url = `/integrated-accounts?limit=3${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await t.call('GET', url);
      expect(page.status).toBe(200);
      expect(page.body.result_count).toBe(page.body.result.length);
      seen.push(...page.body.result.map((a: { id: string }) => a.id));
      cursor = page.body.next_cursor;
      pages += 1;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(ids));
    expect(pages).toBeGreaterThanOrEqual(3);
    for (const bad of ['0', '1001', 'abc', '2.5']) {
      const res = await t.call('GET', `/integrated-accounts?limit=${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/limit/);
    }
    expect((await t.call('GET', '/integrated-accounts?next_cursor=forged')).status).toBe(400);
  });

  it('isolates tenants: another tenant\'s account is indistinguishable from a missing one', async () => {
    const other = await t.parley.store.tenants.create('Other');
    const otherToken = await t.parley.store.tokens.issue(other.id, 'test');
    const mine = (await create(gongBody())).body.id;
    const theirs = (await create(gongBody(), otherToken)).body.id;
    expect((await t.call('GET', `/integrated-accounts/${theirs}`)).status).toBe(404);
    expect((await t.call('GET', `/integrated-accounts/${mine}`, undefined, otherToken)).status).toBe(404);
    expect((await t.call('DELETE', `/integrated-accounts/${mine}`, undefined, otherToken)).status).toBe(404);
    const listed = await t.call('GET', '/integrated-accounts?limit=1000', undefined, otherToken);
    expect(listed.body.result.map((a: { id: string }) => a.id)).toEqual([theirs]);
    const missing = await t.call('GET', `/integrated-accounts/does-not-exist`);
    const foreign = await t.call('GET', `/integrated-accounts/${theirs}`);
    expect(foreign.body.message.replace(theirs, 'X')).toBe(missing.body.message.replace('does-not-exist', 'X'));
    const inter = await t.call('GET', `/unified/conversational-intelligence/interactions?integrated_account_id=${theirs}&start_time=2024-01-01&end_time=2024-02-01`);
    expect(inter.status).toBe(404);
  });

  it('keeps secrets out of the database file, the logs and the token table', async () => {
    await create(gongBody());
    await t.parley.store.db.selectFrom('tenants').selectAll().execute(); // flush through the WAL
    const files = [t.dbPath, `${t.dbPath}-wal`].map((p) => {
      try {
        return readFileSync(p);
      } catch {
        return Buffer.alloc(0);
      }
    });
    for (const f of files) {
      expect(f.includes(SECRET)).toBe(false);
      expect(f.includes(KEY)).toBe(false);
      expect(f.includes(t.token)).toBe(false);
    }
    const logs = t.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toContain(KEY);
    expect(logs).not.toContain(t.token);
  });
});
