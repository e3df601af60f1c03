import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import qs from 'qs';
import ts from 'typescript';
import createClient from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { clockAt } from '../../src/domain/clock.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { startStubVendor, type StubVendor } from './stub-vendor.js';

/** The generated OpenAPI document: ids, servers, query serialization a generated client can use, lint. */

let t: TestParley;
let vendor: StubVendor;
let account: string;
let doc: any;
let baseUrl: string;

beforeAll(async () => {
  vendor = await startStubVendor();
  t = await startTestParley({}, { clock: clockAt('2024-06-01T12:00:00Z') });
  account = (await t.call('POST', '/integrated-accounts', { integration: 'gong', credentials: { access_key: 'k', access_key_secret: 's', base_url: vendor.url } })).body.id;
  doc = (await t.call('GET', '/openapi.json', undefined, '')).body;
  await t.parley.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.parley.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t.close();
  await vendor.close();
});

const operations = () =>
  Object.entries<any>(doc.paths).flatMap(([path, ops]) => Object.entries<any>(ops).map(([method, op]) => ({ path, method, op })));

describe('operations and servers', () => {
  it('every operation has a stable, unique operationId', () => {
    const ids = operations().map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id)), JSON.stringify(ids)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const byRoute = Object.fromEntries(operations().map((o) => [`${o.method.toUpperCase()} ${o.path}`, o.op.operationId]));
    expect(byRoute).toMatchObject({
      'GET /health': 'getHealth',
      'POST /integrated-accounts': 'createIntegratedAccount',
      'GET /integrated-accounts': 'listIntegratedAccounts',
      'GET /integrated-accounts/{id}': 'getIntegratedAccount',
      'DELETE /integrated-accounts/{id}': 'deleteIntegratedAccount',
      'GET /unified/conversational-intelligence/interactions': 'listInteractions',
      'POST /unified/conversational-intelligence/interactions/compute': 'computeInteractions',
      'GET /unified/conversational-intelligence/users': 'listUsers',
      'GET /unified/conversational-intelligence/users/{id}': 'getUser',
      'GET /unified/conversational-intelligence/meetings': 'listMeetings',
      'GET /unified/conversational-intelligence/meetings/{id}': 'getMeeting',
      'GET /unified/conversational-intelligence/transcripts': 'listTranscripts',
    });
  });
  it('names a server relative to the document, so it works at any address', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });
});

describe('query serialization', () => {
  it('documents list-of-objects parameters as bracket notation (deepObject, explode) and says how to send them', () => {
    const users = doc.paths['/unified/conversational-intelligence/interactions'].get.parameters.find((p: any) => p.name === 'users');
    expect(users).toMatchObject({ in: 'query', style: 'deepObject', explode: true, schema: { type: 'array', items: { type: 'object' } } });
    expect(users.description).toContain('users[][id]=A&users[][id]=B');
    expect(doc.info.description).toContain("qs.stringify(q, { arrayFormat: 'brackets' })");
  });

  it('a client generated with openapi-typescript + openapi-fetch, with the documented serializer, sends two users (type-checked and sent)', async () => {
    const types = astToString(await openapiTS(doc));
    expect(types).toMatch(/users\?: \{\s*id: string;\s*\}\[\]/);

    // the client a user would write, type-checked against the generated types
    const dir = mkdtempSync(join(tmpdir(), 'parley-client-'));
    try {
      writeFileSync(join(dir, 'parley.d.ts'), types);
      const client = join(dir, 'client.ts');
      writeFileSync(
        client,
        [
          "import createClient from 'openapi-fetch';",
          "import qs from 'qs';",
          "import type { paths } from './parley';",
          "const client = createClient<paths>({ baseUrl: 'http://localhost:8080', querySerializer: (q) => qs.stringify(q, { arrayFormat: 'brackets' }) });",
          'export const request = client.GET(\'/unified/conversational-intelligence/interactions\', {',
          "  params: { query: { integrated_account_id: 'a', start_time: '2024-05-06', end_time: '2024-05-08', users: [{ id: 'A' }, { id: 'B' }] } },",
          '});',
        ].join('\n'),
      );
      const modules = resolve('node_modules');
      const program = ts.createProgram([client], {
        strict: true,
        noEmit: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(modules, '@types')],
        baseUrl: dir,
        paths: { 'openapi-fetch': [join(modules, 'openapi-fetch')], qs: [join(modules, '@types/qs')] },
      });
      const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // and the same call at runtime, against the running app
    const client = createClient<any>({
      baseUrl,
      headers: { authorization: `Bearer ${t.token}` },
      querySerializer: (q: Record<string, unknown>) => qs.stringify(q, { arrayFormat: 'brackets' }),
    });
    vendor.requests.length = 0;
    const { data, response } = await client.GET('/unified/conversational-intelligence/interactions', {
      params: { query: { integrated_account_id: account, start_time: '2024-05-06', end_time: '2024-05-08', users: [{ id: 'A' }, { id: 'B' }] } },
    });
    expect(response.status).toBe(200);
    expect(data.result).toEqual([]);
    // the bucket requests carry the users; the one request that learns the company zone does not
    const stats = vendor.requests.filter((r) => r.path === '/v2/stats/interaction').map((r) => JSON.parse(r.body));
    const buckets = stats.filter((b) => b.filter.userIds !== undefined);
    expect(buckets.length).toBeGreaterThan(0);
    expect(stats.length - buckets.length).toBeLessThanOrEqual(1);
    for (const body of buckets) expect(body.filter.userIds).toEqual(['A', 'B']);
  }, 60_000);
});

describe('lint', () => {
  /**
   * Warnings that stay, and why:
   * - operation-4xx-response on GET /health: liveness has no client error to describe.
   */
  const ALLOWED_WARNINGS = [{ ruleId: 'operation-4xx-response', pointer: '#/paths/~1health/get/responses' }];

  it('the document passes Redocly\'s recommended ruleset: no error, no unexplained warning', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
    const described = problems.map((p) => ({ severity: p.severity, ruleId: p.ruleId, pointer: p.location[0]?.pointer, message: p.message }));
    expect(described.filter((p) => p.severity === 'error')).toEqual([]);
    const unexplained = described.filter((p) => !ALLOWED_WARNINGS.some((a) => a.ruleId === p.ruleId && a.pointer === p.pointer));
    expect(unexplained).toEqual([]);
  }, 60_000);
});
