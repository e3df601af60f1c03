import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_CODES } from 'node:http';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { clockAt } from '../../src/domain/clock.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { startStubVendor, type StubAnswer, type StubVendor } from './stub-vendor.js';

/**
 * A property-based fuzzer over every operation of the app's own OpenAPI document, so a route added
 * later is fuzzed without touching this file. Each case is one request built from the operation's
 * parameters and body schema, mixing plausible values with hostile ones (huge numbers, NaN text,
 * unicode, very long strings, arrays where scalars go, bracket objects, duplicate parameters, bad
 * percent-encoding, wrong content types and methods, empty and oversized bodies, missing tokens).
 *
 * Properties: never a 500 (a 5xx only as the vendor's 502 with is_remote_error), never a hang (each
 * request is bounded), every error in exactly the contract's body. Vendors are one stub that
 * answers at once, cycling through shapes a connector must survive, so the time goes into Parley.
 */

const RUNS = Number(process.env.PARLEY_FUZZ_RUNS ?? 3000);
const REQUEST_BOUND_MS = 5_000;
const ERROR_KEYS = ['error', 'message', 'statusCode'];
const REMOTE_ERROR_KEYS = ['error', 'is_remote_error', 'message', 'raw_response', 'statusCode'];

/** What the stub vendor answers, in turn: documented "no records", empty and wrong shapes, refusals. */
const VENDOR_ANSWERS: StubAnswer[] = [
  { status: 404, body: { requestId: 'stub', errors: ['No records found corresponding to the provided filters'] } },
  { status: 200, body: {} },
  { status: 200, body: [] },
  { status: 200, body: { data: null, records: { totalRecords: 0 }, results: [], calls: [], users: [], next: null } },
  { status: 200, body: { data: { transcripts: [], users: [], analytics: null } } },
  { status: 400, body: { message: 'bad filter' } },
  { status: 403, body: { errors: ['forbidden'] } },
];

let t: TestParley;
let vendor: StubVendor;
let doc: any;
const accounts: string[] = [];

const CREDENTIALS: Record<string, Record<string, unknown>> = {
  gong: { access_key: 'k', access_key_secret: 's' },
  fireflies: { api_key: 'k', rate_limit_per_minute: 6000 },
  clari_copilot: { api_key: 'k', api_password: 'p', rate_limit_per_second: 100 },
  chorus: { api_token: 't', rate_limit_per_minute: 6000 },
  avoma: { api_key: 'k', rate_limit_per_minute: 6000 },
  fathom: { api_key: 'k', rate_limit_per_minute: 6000 },
  grain: { api_token: 't', rate_limit_per_minute: 6000 },
};

beforeAll(async () => {
  // accounts are verified at create: the vendor accepts the keys until the accounts exist
  let settingUp = true;
  vendor = await startStubVendor((_r, n) => (settingUp ? VENDOR_ANSWERS[0]! : VENDOR_ANSWERS[n % VENDOR_ANSWERS.length]!));
  // a short patience: a request that would queue behind Gong's 3/s answers 429 at once
  t = await startTestParley({ upstreamPatienceMs: 200, upstreamTimeoutMs: 1000 }, { clock: clockAt('2024-06-01T12:00:00Z'), pageBudgetMs: 1000 });
  for (const [integration, credentials] of Object.entries(CREDENTIALS)) {
    const res = await t.call('POST', '/integrated-accounts', { integration, credentials: { ...credentials, base_url: vendor.url } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    accounts.push(res.body.id);
  }
  settingUp = false;
  doc = (await t.call('GET', '/openapi.json')).body;
});
afterAll(async () => {
  await t.close();
  await vendor.close();
});

// ---- values -------------------------------------------------------------------------------------

const HOSTILE_TEXT = fc.constantFrom(
  '', ' ', 'null', 'undefined', 'NaN', 'Infinity', '-Infinity', '1e309', '-1e309', '1.8e305', '0x1F', '-0', '9'.repeat(400),
  '%', '%zz', '%E0%A4%A', '%00', '%C0%AF', '..%2F..%2Fetc%2Fpasswd', '__proto__', 'constructor', '[object Object]',
  '2024-02-30', '0000-00-00', '9999-12-31T23:59:59+99:99', '2024-01-01T00:00:00+24:00', '2024-01-01T25:61:61Z', '+275760-09-13',
  'Mars/Olympus', 'UTC\u0000', '\u202e\u0000\ud800', '😀'.repeat(50), 'é'.repeat(300), '<script>alert(1)</script>', "' OR 1=1 --",
);
const LONG_TEXT = fc.constantFrom('x'.repeat(201), 'y'.repeat(1_001), 'z'.repeat(5_000));
const PLAUSIBLE_TEXT = fc.constantFrom(
  '2024-05-06', '2024-05-08', '2024-05-06T10:00:00Z', '2024-05-06T10:00:00+02:00', '2024-03-31', '2024-06-01', '2023-12-31T23:00:00-05:00',
  'UTC', 'Europe/Berlin', 'America/Los_Angeles', 'US/Pacific', 'day', 'week', 'month', 'total', 'native', 'computed', 'true', 'false',
  '1', '5', '100', '1000', '1001', '0', '-1', 'abc', '123456789012345678901',
);
const anyText = fc.oneof(
  { weight: 4, arbitrary: PLAUSIBLE_TEXT },
  { weight: 3, arbitrary: HOSTILE_TEXT },
  { weight: 2, arbitrary: fc.string({ maxLength: 30, unit: 'grapheme' }) },
  { weight: 1, arbitrary: LONG_TEXT },
);
const HOSTILE_NUMBER = fc.constantFrom(0, -0, -1, 1e-300, 5e-324, 1.8e305, 1.7976931348623157e308, -1e308, 2 ** 53 + 1, 0.5, 1e7, 1e7 + 1);
const anyNumber = fc.oneof(HOSTILE_NUMBER, fc.integer({ min: -5, max: 2000 }), fc.double({ noNaN: true, noDefaultInfinity: true }));

/** body → calls → call → utterances → utterance → field is 5 deep */
const MAX_DEPTH = 6;

function resolveRef(schema: any): any {
  if (schema?.$ref) return resolveRef(doc.components.schemas[String(schema.$ref).split('/').pop()!]);
  return schema ?? {};
}

/**
 * Plausible values by field name, wherever the field appears (query or body): without them almost
 * every random body would stop at the first validation and the deep paths would go unfuzzed.
 */
const BY_NAME: Record<string, fc.Arbitrary<unknown>> = {
  start_time: fc.constantFrom('2024-05-06', '2024-05-01T00:00:00Z', '2024-04-29', '2024-05-31T22:00:00-02:00'),
  end_time: fc.constantFrom('2024-05-08', '2024-05-20T00:00:00+02:00', '2024-06-01', '2024-06-02'),
  started_at: fc.constantFrom('2024-05-06T10:00:00Z', '2024-05-07T23:30:00+02:00', '2024-05-06T09:00'),
  timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/Los_Angeles', 'US/Pacific'),
  speaker_id: fc.constantFrom('s1', 's2', 's3'),
  user_id: fc.constantFrom('u1', 'u2'),
  start_s: fc.oneof(HOSTILE_NUMBER, fc.double({ min: 0, max: 3600, noNaN: true })),
  end_s: fc.oneof(HOSTILE_NUMBER, fc.double({ min: 0, max: 3600, noNaN: true })),
  duration_s: fc.oneof(HOSTILE_NUMBER, fc.double({ min: 0, max: 7200, noNaN: true })),
  text: fc.constantFrom('Why?', 'Right.', 'Could you say more about that? And why now?', ''),
};

/** Values shaped by a JSON schema (plausible), with a share of anything-goes at every level. */
function fromSchema(schemaIn: any, depth = 0, name?: string, wildness = true): fc.Arbitrary<unknown> {
  const schema = resolveRef(schemaIn);
  const inner = (s: any, k?: string) => fromSchema(s, depth + 1, k, wildness);
  const wild = depth > MAX_DEPTH ? fc.constant(null) : fc.oneof(fc.jsonValue({ maxDepth: 2 }), anyText, anyNumber);
  let shaped: fc.Arbitrary<unknown>;
  if (schema.oneOf || schema.anyOf) {
    shaped = fc.oneof(...(schema.oneOf ?? schema.anyOf).map((s: any) => inner(s)));
  } else if (schema.enum) {
    shaped = fc.constantFrom(...schema.enum);
  } else if (schema.const !== undefined) {
    shaped = fc.constant(schema.const);
  } else if (name !== undefined && BY_NAME[name]) {
    shaped = BY_NAME[name]!;
  } else if (schema.type === 'string') {
    shaped = wildness ? anyText : PLAUSIBLE_TEXT;
  } else if (schema.type === 'integer' || schema.type === 'number') {
    const plausible = fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1e7, 1e7) });
    shaped = wildness ? fc.oneof(anyNumber, plausible) : plausible;
  } else if (schema.type === 'boolean') {
    shaped = fc.boolean();
  } else if (schema.type === 'array') {
    shaped = depth > MAX_DEPTH ? fc.constant([]) : fc.array(inner(schema.items), { maxLength: depth === 0 ? 4 : 3 });
  } else if (schema.type === 'object' || schema.properties) {
    const props = Object.entries<any>(schema.properties ?? {});
    const required = new Set<string>(schema.required ?? []);
    shaped = depth > MAX_DEPTH
      ? fc.constant({})
      : fc.record(Object.fromEntries(props.map(([k, s]) => [k, inner(s, k)])), {
          requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
        });
  } else {
    shaped = wild;
  }
  return wildness ? fc.oneof({ weight: 5 + 3 * depth, arbitrary: shaped }, { weight: 1, arbitrary: wild }) : shaped;
}

// ---- requests ---------------------------------------------------------------------------------

interface Operation {
  method: string;
  path: string;
  parameters: any[];
  body?: any;
}

function operationsOf(document: any): Operation[] {
  return Object.entries<any>(document.paths).flatMap(([path, ops]) =>
    Object.entries<any>(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content?.['application/json']?.schema,
    })),
  );
}

function enc(v: unknown): string {
  try {
    return encodeURIComponent(String(v));
  } catch {
    // a lone surrogate cannot be percent-encoded as UTF-8; a client would send U+FFFD
    return encodeURIComponent(String(v).replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
}
/** A raw (not encoded) rendition now and then: bad percent-encoding must reach the parser as is. */
const pathValue = fc.oneof(
  { weight: 3, arbitrary: anyText.map(enc) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', 'a%2Fb', '..', '.', '%2e%2e') },
);

/** A value the route should accept, so that a good share of cases get past validation to a vendor. */
function acceptable(name: string, schemaIn: any, accountIds: string[]): fc.Arbitrary<string[]> {
  const schema = resolveRef(schemaIn);
  const one = (a: fc.Arbitrary<unknown>) => a.map((v) => [`${name}=${enc(v)}`]);
  if (name === 'integrated_account_id') return one(fc.constantFrom(...accountIds));
  if (name === 'start_time') return one(fc.constantFrom('2024-05-06', '2024-05-01T00:00:00Z', '2024-04-29', '2024-05-31T22:00:00-02:00'));
  if (name === 'end_time') return one(fc.constantFrom('2024-05-08', '2024-05-20T00:00:00+02:00', '2024-06-01', '2024-06-02'));
  if (name === 'timezone') return one(fc.constantFrom('UTC', 'Europe/Berlin', 'America/Los_Angeles', 'US/Pacific'));
  if (schema.type === 'array') return fc.array(fc.constantFrom('A', 'B', '42', '123456789012345678901'), { minLength: 1, maxLength: 3 }).map((ids) => ids.map((id) => `${name}[][id]=${id}`));
  if (schema.enum) return one(fc.constantFrom(...schema.enum));
  if (schema.type === 'integer') return one(fc.integer({ min: schema.minimum ?? 1, max: Math.min(schema.maximum ?? 1000, 1000) }));
  return one(fc.constantFrom('A', '42', 'meeting-1'));
}

/** One query parameter in one of the forms clients (and attackers) send. */
function queryPairs(p: any, accountIds: string[]): fc.Arbitrary<string[]> {
  const name = p.name as string;
  const schema = resolveRef(p.schema);
  const value = name === 'integrated_account_id'
    ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...accountIds) }, { weight: 1, arbitrary: anyText })
    : fromSchema(schema);
  const scalar = value.map((v) => [`${name}=${enc(typeof v === 'object' ? JSON.stringify(v) : v)}`]);
  const listOfIds = fc.array(fc.oneof(fc.constantFrom('A', 'B', '42', '123456789012345678901'), anyText), { maxLength: 5 });
  return fc.oneof(
    { weight: 6, arbitrary: acceptable(name, schema, accountIds) },
    { weight: 6, arbitrary: schema.type === 'array' ? listOfIds.map((ids) => ids.map((id) => `${name}[][id]=${enc(id)}`)) : scalar },
    { weight: 1, arbitrary: listOfIds.map((ids) => ids.map((id, i) => `${name}[${i}][id]=${enc(id)}`)) },
    { weight: 1, arbitrary: fc.tuple(anyText, anyText).map(([a, b]) => [`${name}=${enc(a)}`, `${name}=${enc(b)}`]) }, // duplicates
    { weight: 1, arbitrary: anyText.map((v) => [`${name}[]=${enc(v)}`, `${name}[]=x`]) }, // array where a scalar goes
    { weight: 1, arbitrary: anyText.map((v) => [`${name}[a][b][c][d][e][f]=${enc(v)}`, `${name}[__proto__][x]=1`]) }, // bracket objects
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%00').map((raw) => [`${name}=${raw}`]) }, // raw bad encoding
    { weight: 1, arbitrary: fc.constant(null).map(() => [name]) }, // no '='
  );
}

/**
 * The query of one case: either every parameter acceptable (the request reaches the service and
 * the vendor), or each parameter in any form, left out now and then.
 */
function queryOf(query: any[], accountIds: string[]): fc.Arbitrary<string[]> {
  // no cursor is acceptable before a page has issued one
  const acceptableQuery = fc.tuple(
    ...query
      .filter((p) => p.name !== 'next_cursor')
      .map((p) => (p.required ? acceptable(p.name, p.schema, accountIds) : fc.option(acceptable(p.name, p.schema, accountIds), { freq: 2, nil: undefined }))),
  );
  const anyQuery = fc.tuple(
    fc.tuple(...query.map((p) => fc.option(queryPairs(p, accountIds), { freq: p.required ? 10 : 3, nil: undefined }))),
    fc.array(fc.tuple(anyText, anyText), { maxLength: 2 }), // unknown parameters
  ).map(([known, extra]) => [...known, ...extra.map(([k, v]) => [`${enc(k)}=${enc(v)}`])]);
  return fc.oneof(acceptableQuery, anyQuery).map((groups) => groups.flatMap((pairs) => pairs ?? []));
}

const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/xml', 'application/jsonx'];

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

function requestFor(op: Operation, accountIds: string[]): fc.Arbitrary<FuzzRequest> {
  const path = op.parameters.filter((p) => p.in === 'path');
  const query = op.parameters.filter((p) => p.in === 'query');
  // the fuzzed accounts must outlive the run: DELETE gets every id but theirs
  const knownIds = op.method === 'DELETE' ? ['A', '42'] : [...accountIds, 'A', '42'];
  const pathArb = fc.tuple(...path.map(() => fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...knownIds) }, { weight: 3, arbitrary: pathValue }))).map((values) => {
    let url = op.path;
    path.forEach((p, i) => (url = url.replace(`{${p.name}}`, String(values[i]))));
    return url;
  });
  const queryArb = queryOf(query, accountIds);
  const bodyArb: fc.Arbitrary<{ type?: string; payload?: string }> = op.body
    ? fc.oneof(
        // shaped by the schema with plausible values only (hostile numbers where BY_NAME has them) …
        { weight: 8, arbitrary: fromSchema(op.body, 0, undefined, false).map((b) => ({ type: 'application/json', payload: JSON.stringify(b) })) },
        // … and with anything-goes at every level
        { weight: 8, arbitrary: fromSchema(op.body).map((b) => ({ type: 'application/json', payload: JSON.stringify(b) })) },
        { weight: 2, arbitrary: fc.jsonValue().map((b) => ({ type: 'application/json', payload: JSON.stringify(b) })) },
        { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', 'nul', '[1,]', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', '\u0000').map((payload) => ({ type: 'application/json', payload })) },
        { weight: 1, arbitrary: fc.constant({ type: 'application/json', payload: '' }) },
        { weight: 1, arbitrary: fc.constant({ type: undefined, payload: undefined }) },
        { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES).map((type) => ({ type, payload: 'a=1&b=2' })) },
        // just over the default body limit (the compute route takes more)
        { weight: 1, arbitrary: fc.constant({ type: 'application/json', payload: JSON.stringify({ pad: 'p'.repeat(1024 * 1024) }) }) },
      )
    : fc.oneof(
        { weight: 8, arbitrary: fc.constant({}) },
        { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES, 'application/json').map((type) => ({ type })) },
        { weight: 1, arbitrary: fc.jsonValue().map((b) => ({ type: 'application/json', payload: JSON.stringify(b) })) },
      );
  const methodArb = fc.oneof({ weight: 12, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') });
  const authArb = fc.oneof({ weight: 12, arbitrary: fc.constant('valid') }, { weight: 1, arbitrary: fc.constantFrom('', 'Bearer', 'Bearer nope', 'Basic abc', `Bearer ${'t'.repeat(5000)}`) });
  return fc.tuple(methodArb, pathArb, queryArb, bodyArb, authArb).map(([method, pathname, pairs, body, authorization]) => {
    const url = method === 'DELETE' ? accountIds.reduce((u, id) => u.replaceAll(id, 'A'), pathname) : pathname;
    const headers: Record<string, string> = {};
    if (authorization === 'valid') headers.authorization = `Bearer ${t.token}`;
    else if (authorization !== '') headers.authorization = authorization;
    if (body.type) headers['content-type'] = body.type;
    return { method, url: pairs.length > 0 ? `${url}?${pairs.join('&')}` : url, headers, payload: body.payload };
  });
}

// ---- properties -------------------------------------------------------------------------------

const stats = { cases: 0, byStatus: new Map<number, number>(), serverErrors: 0 };

async function send(r: FuzzRequest) {
  let timer: NodeJS.Timeout | undefined;
  const bounded = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${REQUEST_BOUND_MS} ms`)), REQUEST_BOUND_MS);
  });
  try {
    const options: InjectOptions = { method: r.method as InjectOptions['method'], url: r.url, headers: r.headers, ...(r.payload !== undefined ? { payload: r.payload } : {}) };
    return await Promise.race([t.parley.app.inject(options), bounded]);
  } finally {
    clearTimeout(timer);
  }
}

function check(r: FuzzRequest, res: { statusCode: number; body: string; headers: Record<string, unknown> }): void {
  const where = `${r.method} ${r.url.slice(0, 300)} ${JSON.stringify(r.headers).slice(0, 120)} ${r.payload?.slice(0, 200) ?? ''} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  stats.cases++;
  stats.byStatus.set(res.statusCode, (stats.byStatus.get(res.statusCode) ?? 0) + 1);
  if (res.statusCode >= 500) stats.serverErrors += res.statusCode === 502 ? 0 : 1;
  expect(res.statusCode, where).toBeGreaterThanOrEqual(200);
  expect(res.statusCode, where).toBeLessThan(600);
  if (r.method === 'HEAD' || res.statusCode === 204) return;
  const body = JSON.parse(res.body);
  if (res.statusCode < 400) return;
  const keys = Object.keys(body).sort();
  if (res.statusCode >= 500) {
    // the vendor's failure, named as such; Parley's own failures would be a 500
    expect(res.statusCode, where).toBe(502);
    expect(keys, where).toEqual(REMOTE_ERROR_KEYS);
  } else {
    expect([ERROR_KEYS, REMOTE_ERROR_KEYS], where).toContainEqual(keys);
  }
  expect(body.statusCode, where).toBe(res.statusCode);
  expect(body.error, where).toBe(STATUS_CODES[res.statusCode]);
  expect(typeof body.message === 'string' && body.message.length > 0, where).toBe(true);
  if (res.statusCode === 405) expect(typeof res.headers.allow, where).toBe('string');
  if (res.statusCode === 429) expect(res.headers['retry-after'], where).toBeDefined();
}

describe('fuzzing every operation of the OpenAPI document', () => {
  it(`${RUNS} requests: never a 500, never a hang, every error in the contract body`, async () => {
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThanOrEqual(12);
    const anyRequest = fc.oneof(...ops.map((op) => requestFor(op, accounts)));
    await fc.assert(
      fc.asyncProperty(anyRequest, async (r) => check(r, await send(r))),
      { numRuns: RUNS, endOnFailure: true },
    );
    // still healthy afterwards
    expect((await t.call('GET', '/health', undefined, '')).status).toBe(200);
    const summary = [...stats.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
    console.log(`fuzz: ${stats.cases} cases over ${ops.length} operations, 500s: ${stats.serverErrors}; statuses ${summary}; vendor requests ${vendor.requests.length}`);
    expect(stats.serverErrors).toBe(0);
  }, 120_000);
});
