import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FaultQueue } from '../../sandbox/shared/fault-injection.js';
import { loadOpenApiValidator, OpenApiValidator } from '../../sandbox/shared/openapi-validator.js';
import { PagingCursors, filterFingerprint } from '../../sandbox/shared/paging-cursor.js';
import { createRng, hashSeed } from '../../sandbox/shared/prng.js';
import { SlidingWindowRateLimiter } from '../../sandbox/shared/rate-limiter.js';
import { GONG_OPENAPI_URL, gongOpenApi, validateGongRequest } from '../../sandbox/gong/openapi.js';

/** The generic simulator pieces under sandbox/shared, as the Gong simulator uses them. */

describe('prng', () => {
  it('repeats a sequence for a seed, and separates hash parts', () => {
    const a = createRng(7);
    const b = createRng(7);
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
    expect(hashSeed('ab', 'c')).not.toBe(hashSeed('a', 'bc'));
    expect(hashSeed(1)).not.toBe(hashSeed('1'));
    expect(createRng(hashSeed(42, 'x')).digits(19)).toMatch(/^[1-9]\d{18}$/);
  });

  it('keeps int() within bounds', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, min, span) => {
        const rng = createRng(seed);
        for (let i = 0; i < 20; i++) {
          const n = rng.int(min, min + span);
          if (!Number.isInteger(n) || n < min || n > min + span) return false;
        }
        return true;
      }),
    );
  });
});

describe('SlidingWindowRateLimiter', () => {
  it('never admits more than the limit in any window, and its Retry-After is enough', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 60 }), (gaps) => {
        let now = 0;
        const limiter = new SlidingWindowRateLimiter([{ limit: 3, windowMs: 1000 }, { limit: 20, windowMs: 10_000 }], () => now);
        const admitted: number[] = [];
        for (const gap of gaps) {
          now += gap;
          const decision = limiter.tryAcquire();
          if (!decision.allowed) {
            now += decision.retryAfterMs; // waiting the advertised time is always enough
            if (!limiter.tryAcquire().allowed) return false;
          }
          admitted.push(now);
        }
        const within = (t: number, ms: number): number => admitted.filter((u) => u > t - ms && u <= t).length;
        return admitted.every((t) => within(t, 1000) <= 3 && within(t, 10_000) <= 20);
      }),
    );
  });

  it('ignores disabled windows', () => {
    const limiter = new SlidingWindowRateLimiter([{ limit: Infinity, windowMs: 1000 }], () => 0);
    for (let i = 0; i < 100; i++) expect(limiter.tryAcquire().allowed).toBe(true);
  });
});

describe('FaultQueue', () => {
  it('serves the first matching fault, `times` times, in queue order', () => {
    const q = new FaultQueue();
    q.push(
      { kind: 'status', status: 500, method: 'post', path: '/v2/stats/*', times: 2 },
      { kind: 'reset', path: '/v2/users' },
      { kind: 'timeout' },
    );
    expect(q.take('GET', '/v2/users')?.kind).toBe('reset');
    expect(q.take('POST', '/v2/stats/interaction')?.kind).toBe('status');
    expect(q.take('POST', '/v2/stats/interaction')?.kind).toBe('status');
    expect(q.take('POST', '/v2/stats/interaction')?.kind).toBe('timeout');
    expect(q.take('GET', '/v2/users')).toBeUndefined();
  });

  it('treats only * as a wildcard in paths', () => {
    const q = new FaultQueue();
    q.push({ kind: 'reset', path: '/v2/users.json' });
    expect(q.take('GET', '/v2/usersXjson')).toBeUndefined();
    expect(q.take('GET', '/v2/users.json')?.kind).toBe('reset');
  });
});

describe('PagingCursors', () => {
  const cursors = new PagingCursors('secret');
  const state = { route: 'POST /x', filter: filterFingerprint({ a: 1 }), offset: 100, page: 1, asOf: 1_700_000_000_000 };

  it('round-trips, and detects forgery, another route and a changed filter', () => {
    const token = cursors.issue(state);
    expect(token).toMatch(/^eyJhbGciOiJIUzI1NiJ9\./);
    expect(cursors.read(token, 'POST /x', state.filter)).toEqual({ state });
    expect(cursors.read(token, 'POST /y', state.filter)).toEqual({ problem: 'other-route' });
    expect(cursors.read(token, 'POST /x', filterFingerprint({ a: 2 }))).toEqual({ problem: 'filter-changed' });
    expect(cursors.read(token.slice(0, -1), 'POST /x', state.filter)).toEqual({ problem: 'malformed' });
    expect(new PagingCursors('other').read(token, 'POST /x', state.filter)).toEqual({ problem: 'malformed' });
    expect(cursors.read('garbage', 'POST /x', state.filter)).toEqual({ problem: 'malformed' });
  });

  it('fingerprints filters regardless of key order, and id sets regardless of order', () => {
    const ids = new Set(['userIds']);
    expect(filterFingerprint({ a: 1, b: { c: [1, 2] } })).toBe(filterFingerprint({ b: { c: [1, 2] }, a: 1 }));
    expect(filterFingerprint({ a: [1, 2] })).not.toBe(filterFingerprint({ a: [2, 1] }));
    expect(filterFingerprint({ userIds: ['1', '2'] }, ids)).toBe(filterFingerprint({ userIds: ['2', '1'] }, ids));
    expect(filterFingerprint({ a: 1, b: undefined })).toBe(filterFingerprint({ a: 1 }));
  });
});

describe('OpenApiValidator', () => {
  const doc = {
    openapi: '3.0.1',
    info: { title: 't', version: '1' },
    paths: {
      '/things/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', format: 'int64' } }],
        get: {
          parameters: [{ name: 'tags', in: 'query', required: true, style: 'FORM', schema: { type: 'array', items: { type: 'string' } } }],
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing Box' } } } } },
        },
      },
      '/things/special': {
        get: { operationId: 'special', responses: { '2XX': { description: 'ok' } } },
      },
      '/things': {
        post: {
          requestBody: { $ref: '#/components/requestBodies/NewThing' },
          responses: { default: { description: 'any', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
    components: {
      requestBodies: {
        NewThing: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
      },
      schemas: {
        'Thing Box': { type: 'object', properties: { thing: { $ref: '#/components/schemas/Thing', description: 'ignored sibling' } } },
        Thing: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', example: 'x', exampleSetFlag: true, types: ['string'] },
            note: { type: 'string', nullable: true },
            kind: { type: 'string', enum: ['a', 'b'], nullable: true },
            size: { type: 'integer', format: 'int64' },
            ratio: { type: 'number', format: 'double' },
            example: { type: 'boolean' }, // a property that happens to be called "example"
            parent: { $ref: '#/components/schemas/Thing', nullable: true },
          },
        },
      },
    },
  };
  const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
  const file = join(dir, 'doc.json');
  writeFileSync(file, JSON.stringify(doc));
  const v = loadOpenApiValidator(file);

  it('is loaded once per file', () => {
    expect(loadOpenApiValidator(file)).toBe(v);
    expect(() => new OpenApiValidator({ swagger: '2.0' })).toThrow(/OpenAPI 3/);
  });

  it('matches operations, literal segments first', () => {
    expect(v.matchOperation('GET', '/things/special')?.operationId).toBe('special');
    expect(v.matchOperation('get', '/things/12')).toMatchObject({ pathTemplate: '/things/{id}', pathParams: { id: '12' } });
    expect(v.matchOperation('DELETE', '/things/12')).toBeUndefined();
  });

  it('validates path and query parameters, coercing strings', () => {
    expect(v.validateRequest({ method: 'GET', path: '/things/12', query: { tags: 'a' } }).valid).toBe(true);
    expect(v.validateRequest({ method: 'GET', path: '/things/12', query: { tags: ['a', 'b'] } }).valid).toBe(true);
    expect(v.validateRequest({ method: 'GET', path: '/things/abc', query: { tags: 'a' } }).errors).toEqual(["path parameter 'id' must be integer"]);
    expect(v.validateRequest({ method: 'GET', path: '/things/1', query: {} }).errors).toEqual(["query parameter 'tags' is required"]);
  });

  it('validates bodies with nullable, refs (spaces in names), lenient formats and ignored keywords', () => {
    const ok = { name: 'x', note: null, kind: null, size: 2 ** 60, ratio: 0.5, example: true, parent: null };
    expect(v.validateRequest({ method: 'POST', path: '/things', body: ok }).errors).toEqual([]);
    expect(v.validateRequest({ method: 'POST', path: '/things', body: { ...ok, parent: { name: 'p' } } }).valid).toBe(true);
    expect(v.validateRequest({ method: 'POST', path: '/things' }).errors).toEqual(['body: request body is required']);
    expect(v.validateRequest({ method: 'POST', path: '/things', body: { kind: 'c', size: 1.5, parent: { name: 3 } } }).errors).toEqual([
      "body: must have required property 'name'",
      'body.kind: must be one of "a", "b", null',
      'body.size: must be integer',
      'body.size: must match format "int64"',
      'body.parent.name: must be string',
    ]);
    expect(v.validateResponse('GET', '/things/1', 200, { thing: { name: 'x' } }).valid).toBe(true);
    expect(v.validateResponse('GET', '/things/1', 200, { thing: { name: 1 } }).errors).toEqual(['body.thing.name: must be string']);
  });

  it('resolves response status keys: exact, range, default; undocumented statuses are invalid', () => {
    expect(v.validateResponse('GET', '/things/special', 204, undefined).valid).toBe(true);
    expect(v.validateResponse('POST', '/things', 418, {}).valid).toBe(true);
    expect(v.validateResponse('GET', '/things/1', 404, {}).errors[0]).toMatch(/status 404 is not documented/);
    expect(v.validateResponse('GET', '/nowhere', 200, {}).errors[0]).toMatch(/no documented operation/);
  });
});

describe("Gong's OpenAPI document", () => {
  it('is found beside the repository and compiled once', () => {
    expect(GONG_OPENAPI_URL.pathname).toMatch(/reference\/gong-openapi\.json$/);
    expect(gongOpenApi()).toBe(gongOpenApi());
    expect(gongOpenApi().matchOperation('POST', '/v2/stats/interaction')?.operationId).toBe('listInteractionStats');
  });

  it('relaxes only the documented contradiction on GET /v2/calls', () => {
    expect(validateGongRequest('GET', '/v2/calls', { query: {} }).valid).toBe(true);
    expect(gongOpenApi().validateRequest({ method: 'GET', path: '/v2/calls', query: {} }).valid).toBe(false);
    expect(validateGongRequest('GET', '/v2/calls', { query: { cursor: ['a', 'b'] } }).valid).toBe(false);
  });
});
