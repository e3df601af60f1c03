import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { RATE_LIMIT_RANGES, MAX_CREDENTIAL_STRING_LENGTH, MAX_CREDENTIALS_JSON_BYTES } from '../../src/connectors/credential-fields.js';
import { BODY_LIMIT_BYTES, MAX_ID_LENGTH, ROUTER_MAX_PARAM_LENGTH } from '../../src/api/limits.js';
import { clockAt } from '../../src/domain/clock.js';
import { loadConfig } from '../../src/config.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { startStubVendor, type StubVendor } from './stub-vendor.js';

/** The API edge: methods, router and transport errors, bounds, logs (issue 7, "edge"). */

const ERROR_KEYS = ['error', 'message', 'statusCode'];

function expectErrorBody(res: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number): any {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  const body = JSON.parse(res.body);
  expect(Object.keys(body).sort()).toEqual(ERROR_KEYS);
  expect(body.statusCode).toBe(status);
  return body;
}

let t: TestParley;
let vendor: StubVendor;
let account: string;
const REQUEST_TIMEOUT_MS = 1000;

beforeAll(async () => {
  vendor = await startStubVendor();
  t = await startTestParley({ requestTimeoutMs: REQUEST_TIMEOUT_MS }, { clock: clockAt('2024-06-01T12:00:00Z') });
  const res = await t.call('POST', '/integrated-accounts', {
    integration: 'gong',
    credentials: { access_key: 'k', access_key_secret: 's', base_url: vendor.url },
  });
  account = res.body.id;
});
afterAll(async () => {
  await t.close();
  await vendor.close();
});

const auth = () => ({ authorization: `Bearer ${t.token}` });
const inject = (opts: InjectOptions) => t.parley.app.inject(opts);

describe('wrong methods', () => {
  it('answer 405 with an Allow header and the error body, without needing a token', async () => {
    const cases: [string, string, string][] = [
      ['PUT', '/integrated-accounts', 'GET, HEAD, POST'],
      ['PUT', `/integrated-accounts/${account}`, 'DELETE, GET, HEAD, PATCH'],
      ['POST', '/health', 'GET, HEAD'],
      ['DELETE', '/unified/conversational-intelligence/interactions', 'GET, HEAD'],
      ['GET', '/unified/conversational-intelligence/interactions/compute', 'POST'],
    ];
    for (const [method, url, allow] of cases) {
      for (const headers of [auth(), {}]) {
        const res = await inject({ method: method as InjectOptions['method'], url, headers });
        const body = expectErrorBody(res, 405);
        expect(res.headers.allow).toBe(allow);
        expect(body.message).toContain(method);
      }
    }
  });
  it('leave unknown paths 404', async () => {
    expectErrorBody(await inject({ method: 'PUT', url: '/nope', headers: auth() }), 404);
    expectErrorBody(await inject({ method: 'GET', url: '/integrated-accounts/a/b', headers: auth() }), 404);
  });
});

describe('router errors: auth first, then the contract body naming the parameter', () => {
  const longId = (n: number) => 'a'.repeat(n);
  it('a too-long id: 401 without a token, else 400 naming id (both below and above the router limit)', async () => {
    for (const n of [MAX_ID_LENGTH + 1, ROUTER_MAX_PARAM_LENGTH + 1, 5000]) {
      for (const url of [`/integrated-accounts/${longId(n)}`, `/unified/conversational-intelligence/users/${longId(n)}?integrated_account_id=${account}`]) {
        expectErrorBody(await inject({ method: 'GET', url }), 401);
        const body = expectErrorBody(await inject({ method: 'GET', url, headers: auth() }), 400);
        expect(body.message).toBe(`id: at most ${MAX_ID_LENGTH} characters (params)`);
      }
    }
  });
  it('an id of MAX_ID_LENGTH characters is an ordinary 404', async () => {
    expectErrorBody(await inject({ method: 'GET', url: `/integrated-accounts/${longId(MAX_ID_LENGTH)}`, headers: auth() }), 404);
  });
  it('malformed percent-encoding in the path: 401 without a token, else 400; unknown paths stay 404', async () => {
    for (const bad of ['%E0%A4%A', '%', '%zz', '%C0%AF']) {
      const url = `/integrated-accounts/${bad}`;
      expectErrorBody(await inject({ method: 'GET', url }), 401);
      const body = expectErrorBody(await inject({ method: 'GET', url, headers: auth() }), 400);
      expect(body.message).toMatch(/percent-encoded/);
      expectErrorBody(await inject({ method: 'GET', url: `/nope/${bad}`, headers: auth() }), 404);
    }
  });
  it('malformed percent-encoding in the query is a value like any other, never a 500', async () => {
    const res = await inject({ method: 'GET', url: '/integrated-accounts?limit=%E0%A4%A&next_cursor=%', headers: auth() });
    expect(expectErrorBody(res, 400).message).toMatch(/^limit/);
  });
});

describe('UTC offsets in start_time / end_time', () => {
  const url = (start: string) =>
    `/unified/conversational-intelligence/interactions?integrated_account_id=${account}&start_time=${encodeURIComponent(start)}&end_time=2024-01-09`;
  it('are within ±18:00 with minutes below 60, else 400 naming the parameter', async () => {
    for (const start of ['2024-01-01T00:00:00+99:99', '2024-01-01T00:00:00+24:00', '2024-01-01T00:00:00-18:01', '2024-01-01T00:00:00+05:60', '2024-01-01T00:00+1960']) {
      const body = expectErrorBody(await inject({ method: 'GET', url: url(start), headers: auth() }), 400);
      expect(body.message).toMatch(/^start_time: .*offset/);
    }
  });
  it('accept the real extremes', async () => {
    for (const start of ['2024-01-01T00:00:00+14:00', '2024-01-01T00:00:00-12:00', '2024-01-01T00:00:00+18:00', '2024-01-01T00:00:00+05:45']) {
      const res = await inject({ method: 'GET', url: url(start), headers: auth() });
      expect(res.statusCode, res.body).toBe(200);
    }
  });
});

describe('credentials', () => {
  let doc: any;
  beforeAll(async () => {
    doc = (await t.call('GET', '/openapi.json')).body;
  });
  /** Every integration's credential fields, as the document publishes them. */
  function integrations(): { slug: string; properties: Record<string, any>; required: string[] }[] {
    const body = doc.paths['/integrated-accounts'].post.requestBody.content['application/json'].schema;
    return body.oneOf.map((variant: any) => {
      const creds = variant.properties.credentials.$ref
        ? doc.components.schemas[variant.properties.credentials.$ref.split('/').pop()]
        : variant.properties.credentials;
      const slug = variant.properties.integration.const ?? variant.properties.integration.enum?.[0];
      return { slug, properties: creds.properties, required: creds.required ?? [] };
    });
  }
  function minimal(i: ReturnType<typeof integrations>[number]): Record<string, unknown> {
    return Object.fromEntries(i.required.map((k) => [k, 'x']));
  }
  const create = (integration: string, credentials: unknown) => t.call('POST', '/integrated-accounts', { integration, credentials });

  it('the document lists every integration with its fields', () => {
    expect(integrations().map((i) => i.slug).sort()).toEqual(['avoma', 'chorus', 'clari_copilot', 'fathom', 'fireflies', 'gong', 'grain']);
  });

  it('a wrong type says what type is expected, for every field of every integration; a missing field says required', async () => {
    for (const i of integrations()) {
      for (const [field, schema] of Object.entries(i.properties)) {
        const wrong = schema.type === 'string' ? 12345 : 'fast';
        const res = await create(i.slug, { ...minimal(i), [field]: wrong });
        expect(res.status, `${i.slug}.${field}`).toBe(400);
        expect(res.body.message, `${i.slug}.${field}`).toMatch(new RegExp(`^credentials\\.${field}: expected .+, got a (number|string) \\(body\\)$`));
        expect(res.body.message).not.toMatch(/required/);
      }
      for (const field of i.required) {
        const { [field]: _gone, ...rest } = minimal(i);
        const res = await create(i.slug, rest);
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(new RegExp(`^credentials\\.${field} is required \\(`));
      }
    }
  });

  it('rate limits are whole numbers within their documented range, for every vendor that takes one', async () => {
    let checked = 0;
    for (const i of integrations()) {
      for (const field of Object.keys(i.properties).filter((f) => f.startsWith('rate_limit_per_'))) {
        const unit = field.slice('rate_limit_per_'.length) as keyof typeof RATE_LIMIT_RANGES;
        const { min, max } = RATE_LIMIT_RANGES[unit];
        for (const bad of [1e-300, 0, -1, min - 0.5, max + 1, 1e300, 1.5]) {
          const res = await create(i.slug, { ...minimal(i), [field]: bad });
          expect(res.status, `${i.slug}.${field}=${bad}`).toBe(400);
          expect(res.body.message).toMatch(new RegExp(`^credentials\\.${field}: expected a whole number of requests per ${unit} from ${min} to ${max}`));
        }
        for (const good of [min, max]) expect((await create(i.slug, { ...minimal(i), [field]: good })).status).toBe(201);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it('are bounded: strings to 2 KiB, the object to 8 KiB of JSON, the body to 1 MiB (20 MB is 413)', async () => {
    const long = await create('gong', { access_key: 'k'.repeat(MAX_CREDENTIAL_STRING_LENGTH + 1), access_key_secret: 's' });
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/^credentials\.access_key: expected a non-empty string of at most 2048 characters/);

    const padded = await create('gong', { access_key: 'k', access_key_secret: 's', note: 'n'.repeat(MAX_CREDENTIALS_JSON_BYTES) });
    expect(padded.status).toBe(400);
    expect(padded.body.message).toMatch(/^credentials: at most 8 KiB of JSON/);

    const huge = await inject({
      method: 'POST',
      url: '/integrated-accounts',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload: JSON.stringify({ integration: 'gong', credentials: { access_key: 'k', access_key_secret: 's', blob: 'b'.repeat(20 * 1024 * 1024) } }),
    });
    expect(expectErrorBody(huge, 413).message).toMatch(new RegExp(`${BODY_LIMIT_BYTES} bytes`));
  });
});

describe('bodies', () => {
  it('DELETE with content-type: application/json and no body is 204; so is any content type with an empty body', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'text/plain']) {
      const id = (await t.call('POST', '/integrated-accounts', { integration: 'gong', credentials: { access_key: 'k', access_key_secret: 's' } })).body.id;
      const res = await inject({ method: 'DELETE', url: `/integrated-accounts/${id}`, headers: { ...auth(), 'content-type': type } });
      expect(res.statusCode, `${type}: ${res.body}`).toBe(204);
    }
  });
  it('a POST without a body says the body is required; a non-JSON body is 415', async () => {
    const empty = await inject({ method: 'POST', url: '/integrated-accounts', headers: { ...auth(), 'content-type': 'application/json' } });
    expect(expectErrorBody(empty, 400).message).toMatch(/body/);
    const form = await inject({ method: 'POST', url: '/integrated-accounts', headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' });
    expectErrorBody(form, 415);
  });
  it('the compute route takes bodies beyond the 1 MiB default', async () => {
    const calls = Array.from({ length: 80 }, (_, c) => ({
      id: `c${c}`,
      started_at: '2024-01-01T10:00:00Z',
      participants: [{ speaker_id: 's', side: 'internal', user_id: 'u' }],
      utterances: Array.from({ length: 200 }, (_, i) => ({ speaker_id: 's', start_s: i * 2, end_s: i * 2 + 1.5, text: 'a sentence of some length here' })),
    }));
    const payload = JSON.stringify({ start_time: '2024-01-01', end_time: '2024-01-02', calls });
    expect(payload.length).toBeGreaterThan(BODY_LIMIT_BYTES);
    const res = await inject({ method: 'POST', url: '/unified/conversational-intelligence/interactions/compute', headers: { ...auth(), 'content-type': 'application/json' }, payload });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  });
});

describe('compute: absurd numbers are a 400 naming the field, never a 500', () => {
  const body = (utterances: unknown[], extra: Record<string, unknown> = {}) => ({
    start_time: '2024-01-01',
    end_time: '2024-01-02',
    calls: [{ id: 'c1', started_at: '2024-01-01T10:00:00Z', participants: [{ speaker_id: 's', side: 'internal', user_id: 'u' }], utterances, ...extra }],
  });
  const post = (payload: unknown) => t.call('POST', '/unified/conversational-intelligence/interactions/compute', payload);

  it('rejects times beyond 1e7 s, sums that would overflow, and denormal-small durations', async () => {
    const cases: [unknown, string][] = [
      [body([{ speaker_id: 's', start_s: 0, end_s: 1.8e305 }]), 'utterances[0].end_s'],
      [body([{ speaker_id: 's', start_s: 1e308, end_s: 1.7e308 }]), 'utterances[0].start_s'],
      [body([{ speaker_id: 's', start_s: 0, end_s: 9e307 }, { speaker_id: 's', start_s: 9e307, end_s: 1.7e308 }]), 'utterances[0].end_s'],
      [body([{ speaker_id: 's', start_s: 0, end_s: 5e-324, text: 'why?' }]), 'utterances[0].end_s'],
      [body([{ speaker_id: 's', start_s: -1e308, end_s: 1 }]), 'utterances[0].start_s'],
      [body([{ speaker_id: 's', start_s: 0, end_s: 1, text: 'why?' }], { duration_s: 1e-320 }), 'duration_s'],
      [body([{ speaker_id: 's', start_s: 0, end_s: 1 }], { duration_s: 1e12 }), 'duration_s'],
    ];
    for (const [payload, field] of cases) {
      const res = await post(payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(Object.keys(res.body).sort()).toEqual(ERROR_KEYS);
      expect(res.body.message).toContain(`calls[0] (id "c1"): ${field}`);
    }
  });
  it('still computes at the bounds, with finite numbers', async () => {
    const res = await post(body([{ speaker_id: 's', start_s: 0, end_s: 1e7, text: 'why?' }, { speaker_id: 's', start_s: 1e7, end_s: 1e7 }], { duration_s: 1e7 }));
    expect(res.status).toBe(200);
    for (const v of Object.values<number>(res.body.result[0].metrics)) expect(Number.isFinite(v)).toBe(true);
  });
});

describe('logs', () => {
  it('never carry a secret-looking query parameter of a request URL', async () => {
    const secrets = ['prl_SECRETTOKEN123', 'abc-query-secret-1', 'key-value-secret-2', 'pw-secret-3', 'sig-secret-4'];
    const before = t.logs.length;
    for (const url of [
      `/integrated-accounts?access_token=${secrets[0]}`,
      `/integrated-accounts?limit=5&token=${secrets[1]}`,
      `/nope?api_key=${secrets[2]}&x=1`,
      `/integrated-accounts?Password=${secrets[3]}`,
      `/integrated-accounts/${account}?X-Amz-Signature=${secrets[4]}`,
      `/integrated-accounts?q=${secrets[0]}`,
    ]) {
      await inject({ method: 'GET', url, headers: auth() });
      await inject({ method: 'GET', url });
    }
    const lines = t.logs.slice(before);
    expect(lines.some((l) => l.includes('[REDACTED]'))).toBe(true);
    expect(lines.some((l) => l.includes('/integrated-accounts?limit=5&token=[REDACTED]'))).toBe(true);
    for (const s of secrets) expect(lines.filter((l) => l.includes(s))).toEqual([]);
  });
});

describe('transport', () => {
  let port: number;
  beforeAll(async () => {
    await t.parley.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.parley.app.server.address() as AddressInfo).port;
  });

  /** Sends `raw`, then waits (bounded) for the server to answer and close. */
  function exchange(raw: string, waitMs = 8000): Promise<{ text: string; closedAfterMs: number }> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const socket: Socket = connect(port, '127.0.0.1', () => socket.write(raw));
      let text = '';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no answer within ${waitMs} ms; got ${JSON.stringify(text)}`));
      }, waitMs);
      socket.on('data', (d) => (text += d.toString('utf8')));
      socket.on('close', () => {
        clearTimeout(timer);
        resolve({ text, closedAfterMs: Date.now() - started });
      });
      socket.on('error', () => {});
    });
  }
  const parse = (text: string) => {
    const [head, body = ''] = text.split('\r\n\r\n');
    return { status: Number(head!.split(' ')[1]), body: body ? JSON.parse(body) : undefined };
  };

  it('a body declared longer than sent is answered 408 within the request timeout, not held open', async () => {
    const { text, closedAfterMs } = await exchange(
      `POST /integrated-accounts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"integrat`,
    );
    const res = parse(text);
    expect(res.status).toBe(408);
    expect(Object.keys(res.body).sort()).toEqual(ERROR_KEYS);
    // the timeout, plus Node's check interval (a quarter of it), plus slack for a loaded machine
    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS * 5);
  });

  it('headers that never end are answered 408 as well', async () => {
    const { text } = await exchange(`GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: 1`);
    expect(parse(text).status).toBe(408);
  });

  it('malformed HTTP and oversized headers get the contract body', async () => {
    const garbage = parse((await exchange('NOT HTTP AT ALL\r\n\r\n')).text);
    expect(garbage.status).toBe(400);
    expect(Object.keys(garbage.body).sort()).toEqual(ERROR_KEYS);
    const big = parse((await exchange(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`)).text);
    expect(big.status).toBe(431);
    expect(Object.keys(big.body).sort()).toEqual(ERROR_KEYS);
  });
});

describe('configuration', () => {
  it('PARLEY_REQUEST_TIMEOUT_MS sets the request timeout (default 30 s), within 1 s .. 1 h', () => {
    const key = { PARLEY_SECRET_KEY: 'ab'.repeat(32) };
    expect(loadConfig(key).requestTimeoutMs).toBe(30_000);
    expect(loadConfig({ ...key, PARLEY_REQUEST_TIMEOUT_MS: '5000' }).requestTimeoutMs).toBe(5000);
    expect(() => loadConfig({ ...key, PARLEY_REQUEST_TIMEOUT_MS: '10' })).toThrow(/PARLEY_REQUEST_TIMEOUT_MS/);
  });
});

describe('dependencies', () => {
  it('every installed package runs on every Node version package.json accepts (no EBADENGINE on npm install)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
    const oldest = semver.minVersion(pkg.engines.node)!.version;
    const refusing: string[] = [];
    for (const [path, entry] of Object.entries<any>(lock.packages)) {
      const range = entry.engines?.node;
      // platform-specific optional binaries are not installed elsewhere
      if (!path || !range || (entry.optional && (entry.os || entry.cpu))) continue;
      for (const version of [oldest, process.versions.node]) {
        if (!semver.satisfies(version, range)) refusing.push(`${path} wants node ${range}, not ${version}`);
      }
    }
    expect(refusing).toEqual([]);
  });
});
