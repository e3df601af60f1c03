import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockAt } from '../../src/domain/clock.js';
import { parseQueryString } from '../../src/api/query.js';
import { MAX_FILTER_IDS, MAX_ID_LENGTH } from '../../src/api/limits.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { startStubVendor, type StubVendor } from './stub-vendor.js';

/** List-of-objects filters (`users[][id]`) in every bracket form CONTRACT.md names. */

describe('parseQueryString', () => {
  it('reads a repeated users[][id] as one user per id, in order', () => {
    expect(parseQueryString('users[][id]=A&users[][id]=B&users[][id]=C')).toEqual({ users: [{ id: 'A' }, { id: 'B' }, { id: 'C' }] });
  });
  it('reads percent-encoded brackets and other keys of the same element', () => {
    expect(parseQueryString('users%5B%5D%5Bid%5D=A&users%5B%5D%5Bid%5D=B')).toEqual({ users: [{ id: 'A' }, { id: 'B' }] });
    expect(parseQueryString('x[][id]=1&x[][name]=a&x[][id]=2&x[][name]=b')).toEqual({ x: [{ id: '1', name: 'a' }, { id: '2', name: 'b' }] });
  });
  it('keeps the indexed form and everything else as qs reads it', () => {
    expect(parseQueryString('users[1][id]=B&users[0][id]=A&limit=5')).toEqual({ users: [{ id: 'A' }, { id: 'B' }], limit: '5' });
    expect(parseQueryString('a=%E0%A4%A&b[]=1&b[]=2')).toEqual({ a: '%E0%A4%A', b: ['1', '2'] });
  });
});

let t: TestParley;
let vendor: StubVendor;
let account: string;
let doc: any;

beforeAll(async () => {
  vendor = await startStubVendor();
  t = await startTestParley({}, { clock: clockAt('2024-06-01T12:00:00Z') });
  const res = await t.call('POST', '/integrated-accounts', {
    integration: 'gong',
    credentials: { access_key: 'k', access_key_secret: 's', base_url: vendor.url },
  });
  account = res.body.id;
  doc = (await t.call('GET', '/openapi.json')).body;
});
afterAll(async () => {
  await t.close();
  await vendor.close();
});

/** Every (route, parameter) whose parameter is a list of objects, from the app's own document. */
function listFilters(): { path: string; name: string }[] {
  const out: { path: string; name: string }[] = [];
  for (const [path, ops] of Object.entries<any>(doc.paths)) {
    for (const op of Object.values<any>(ops)) {
      for (const p of op.parameters ?? []) {
        if (p.in === 'query' && p.schema?.type === 'array' && p.schema.items?.type === 'object') out.push({ path, name: p.name });
      }
    }
  }
  return out;
}

const FORMS = {
  'repeated []': (name: string, ids: string[]) => ids.map((id) => `${name}[][id]=${encodeURIComponent(id)}`).join('&'),
  'indexed': (name: string, ids: string[]) => ids.map((id, i) => `${name}[${i}][id]=${encodeURIComponent(id)}`).join('&'),
  'encoded brackets': (name: string, ids: string[]) => ids.map((id) => `${name}%5B%5D%5Bid%5D=${encodeURIComponent(id)}`).join('&'),
};

const RANGE = `integrated_account_id=${'ACCOUNT'}&start_time=2024-05-06&end_time=2024-05-08`;
const base = (path: string) => `${path}?${RANGE.replace('ACCOUNT', account)}`;

describe('list-of-objects filters on every route that has one', () => {
  it('finds the routes in the document (users on interactions at least)', () => {
    expect(listFilters()).toContainEqual({ path: '/unified/conversational-intelligence/interactions', name: 'users' });
  });

  for (const [form, write] of Object.entries(FORMS)) {
    it(`accepts two and more ids written as ${form}`, async () => {
      for (const { path, name } of listFilters()) {
        for (const ids of [['A', 'B'], ['1', '22', '333', 'x y']]) {
          const res = await t.call('GET', `${base(path)}&${write(name, ids)}`);
          expect(res.status, `${path} ${form}: ${JSON.stringify(res.body)}`).toBe(200);
        }
      }
    });
  }

  it('sends every user of users[][id] upstream (Gong: filter.userIds)', async () => {
    for (const [form, write] of Object.entries(FORMS)) {
      vendor.requests.length = 0;
      // ids of their own per form: the bucket cache must not answer instead of the vendor
      const ids = [`A ${form}`, `B ${form}`];
      const res = await t.call('GET', `${base('/unified/conversational-intelligence/interactions')}&${write('users', ids)}`);
      expect(res.status).toBe(200);
      // the bucket requests carry the users; the one request that learns the company zone does not
      const stats = vendor.requests.filter((r) => r.path === '/v2/stats/interaction').map((r) => JSON.parse(r.body));
      const buckets = stats.filter((b) => b.filter.userIds !== undefined);
      expect(buckets.length).toBeGreaterThan(0);
      expect(stats.length - buckets.length).toBeLessThanOrEqual(1);
      for (const body of buckets) expect(body.filter.userIds).toEqual(ids);
    }
  });

  it('bounds the list and each id, naming the parameter', async () => {
    for (const { path, name } of listFilters()) {
      const many = Array.from({ length: MAX_FILTER_IDS + 1 }, (_, i) => `u${i}`);
      const tooMany = await t.call('GET', `${base(path)}&${FORMS['repeated []'](name, many)}`);
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.message).toMatch(new RegExp(`^${name}: at most ${MAX_FILTER_IDS} ids`));
      const atMost = await t.call('GET', `${base(path)}&${FORMS['repeated []'](name, many.slice(1))}`);
      expect(atMost.status).toBe(200);

      const long = await t.call('GET', `${base(path)}&${FORMS['repeated []'](name, ['ok', 'x'.repeat(MAX_ID_LENGTH + 1)])}`);
      expect(long.status).toBe(400);
      expect(long.body.message).toMatch(new RegExp(`^${name}\\[1\\]\\[id\\]: at most ${MAX_ID_LENGTH} characters`));

      const nested = await t.call('GET', `${base(path)}&${name}[0][id][x]=A`);
      expect(nested.status).toBe(400);
      expect(nested.body.message).toMatch(new RegExp(`^${name}\\[0\\]\\[id\\]: expected a non-empty string`));
      for (const wrong of [`${name}[id]=A`, `${name}=A`, `${name}[]=A`]) {
        const res = await t.call('GET', `${base(path)}&${wrong}`);
        expect(res.status, wrong).toBe(400);
        expect(res.body.message, wrong).toMatch(new RegExp(`^${name}`));
        expect(res.body.message, wrong).toContain(`${name}[][id]=`);
      }
    }
  });
});
