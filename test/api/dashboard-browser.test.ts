import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { startVendor, VENDORS, type VendorUnderTest } from '../sync/vendors.js';
import { DEFAULT_TENANT_ID } from '../../src/store/repositories.js';
import { sandboxAccountId } from '../../src/sandbox.js';
import { METRIC_KEYS, parseCsv } from './dashboard-expect.js';
import { ACTIVITY_COUNTERS } from '../../src/domain/activity.js';

/**
 * /dashboard in Debian's Chromium against every sandbox vendor's simulator, on one pinned
 * calendar: sign in, pick each account, and compare what the page shows (table, chart, CSV) with
 * what the API answers for the same query. Screenshots go to a temporary folder, or to docs/ with
 * PARLEY_DASHBOARD_SCREENSHOTS=docs (how docs/dashboard*.png were made).
 */
const CHROMIUM = '/usr/bin/chromium';
const required = process.env.PARLEY_REQUIRE_SERVICES === 'true';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const why = `${CHROMIUM} is missing (apt-get install -y chromium)`;
  if (required) throw new Error(`${why} (PARLEY_REQUIRE_SERVICES=true: this suite must not skip)`);
  console.warn(`skipping the dashboard browser test: ${why}`);
}

const NOW = Date.parse('2026-03-18T15:00:00Z');
const today = DateTime.fromMillis(NOW, { zone: 'UTC' });
const START = today.startOf('week').minus({ weeks: 4 }).toISODate()!;
const END = today.plus({ days: 1 }).toISODate()!;
const SHOTS = process.env.PARLEY_DASHBOARD_SCREENSHOTS === 'docs' ? join(process.cwd(), 'docs') : mkdtempSync(join(tmpdir(), 'parley-dashboard-'));
const INTERACTIONS = '/unified/conversational-intelligence/interactions';
const ACTIVITY_ROUTE = '/unified/conversational-intelligence/activity';
const ACTIVITY_KEYS: readonly string[] = ACTIVITY_COUNTERS;
const callCount = (record: any): number | undefined => record?.additional_metrics?.find((m: any) => m.name === 'call_count')?.value;

describe.skipIf(!haveChromium)('/dashboard in a browser', () => {
  let t: TestParley;
  let browser: Browser;
  let page: Page;
  let origin: string;
  const vendors: VendorUnderTest[] = [];
  const accountIds: string[] = [];

  beforeAll(async () => {
    t = await startTestParley({}, { clock: { now: () => NOW } });
    for (const name of VENDORS) {
      const v = await startVendor(name, NOW);
      vendors.push(v);
      const id = sandboxAccountId(v.integration);
      // Gong syncs its backfill before the page opens (its reads come from the store); the others
      // sync a week in the background while the page is used, as after `npm start`
      const sync = { backfill_days: name === 'gong' ? 40 : 7 };
      await t.parley.accounts.create(DEFAULT_TENANT_ID, { integration: v.integration, credentials: v.credentials, sync }, { sandbox: true, id });
      accountIds.push(id);
    }
    expect((await t.call('POST', `/integrated-accounts/${accountIds[0]}/sync`)).status).toBe(202);
    for (const deadline = Date.now() + 60_000; ; ) {
      const status = (await t.call('GET', `/integrated-accounts/${accountIds[0]}/sync`)).body;
      if (status.status === 'idle' && status.synced_through) break;
      if (status.status === 'failed' || Date.now() > deadline) throw new Error(`the Gong sync did not finish: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await t.parley.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://parley.test:${(t.parley.app.server.address() as AddressInfo).port}`;
    // the browser is a tool, not code under test: it does not inherit a faked calendar
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME'))) as Record<string, string>;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      env,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--host-resolver-rules=MAP parley.test 127.0.0.1'],
    });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })).newPage();
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await Promise.all(vendors.map((v) => v.close()));
  });

  const refused: string[] = [];
  const failed: string[] = [];

  async function waitShown(accountId: string) {
    await page.waitForFunction(
      (id) => {
        const s = (window as any).parleyDashboard?.state;
        const app = document.getElementById('app');
        return s?.shown?.query.account === id && app?.dataset.state !== 'loading';
      },
      accountId,
      { timeout: 90_000 },
    );
    expect(await page.locator('#app').getAttribute('data-state'), await page.locator('#status').innerText()).toBe('ready');
  }

  /** At a laptop's 1280 px nothing makes the page scroll sideways, and axe finds no serious fault. */
  async function expectReadableAndAccessible() {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    const { violations } = await new AxeBuilder({ page: page as never }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0]?.target.join(' ')})`)).toEqual([]);
  }

  it('serves the page and its assets from Parley itself under a strict policy', async () => {
    const res = await t.parley.app.inject({ method: 'GET', url: '/dashboard/' });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.body).not.toMatch(/https?:\/\//);
    const chart = await t.parley.app.inject({ method: 'GET', url: '/dashboard/vendor/chart.umd.min.js' });
    expect(chart.statusCode).toBe(200);
    expect(chart.headers['content-type']).toMatch(/javascript/);
    expect((await t.parley.app.inject({ method: 'GET', url: '/dashboard/vendor/chart.js' })).statusCode).toBe(404);
    // public like /docs: a path that is not one of its files is a 404 without a token, a wrong method a 405
    const post = await t.parley.app.inject({ method: 'POST', url: '/dashboard/' });
    expect([post.statusCode, post.headers.allow]).toEqual([405, 'GET, HEAD']);
    for (const url of ['/dashboard/../package.json', '/dashboard/%2e%2e/package.json', '/dashboard/vendor/%2e%2e/chart.js', '/dashboard/vendor/%zz', '/dashboard/.env', '/dashboard/vendor/chart.umd.js.map']) {
      const outside = await t.parley.app.inject({ method: 'GET', url });
      expect(outside.statusCode, url).toBe(404);
    }
    const bare = await t.parley.app.inject({ method: 'GET', url: '/dashboard' });
    expect(bare.statusCode).toBe(302);
    expect(bare.headers.location).toBe('/dashboard/');
  });

  it('signs in with a token kept in session storage only', async () => {
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
    });
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
    const res = await page.goto(`${origin}/dashboard#start=${START}&end=${END}&period=week&account=${accountIds[0]}`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    await page.getByLabel('API token').fill('prl_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#sign-in-error').innerText()).toMatch(/does not know that token/);
    await page.screenshot({ path: join(SHOTS, 'dashboard-sign-in.png') });
    await expectReadableAndAccessible();
    await page.getByLabel('API token').fill(t.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitShown(accountIds[0]!);
    expect(await page.evaluate(() => sessionStorage.getItem('parley.token'))).toBe(t.token);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await page.context().cookies()).toEqual([]);
    // every account is listed with its sync status
    const listed = await page.locator('#accounts-table tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.accountId));
    expect(listed.sort()).toEqual([...accountIds].sort());
    // the other accounts sync meanwhile: the page refreshes every 10 s, so it catches up with the API
    for (const id of accountIds) {
      const row = page.locator(`#accounts-table tr[data-account-id="${id}"]`);
      await expect
        .poll(async () => {
          const shown = await row.locator('.badge').innerText();
          return shown === (await t.call('GET', `/integrated-accounts/${id}/sync`)).body.status ? 'same' : shown;
        }, { timeout: 30_000, interval: 500 })
        .toBe('same');
    }
  }, 120_000);

  for (const [i, name] of VENDORS.entries()) {
    it(`${name}: the table, the chart and the CSV show the API's numbers`, async () => {
      const id = accountIds[i]!;
      if (i > 0) {
        await page.getByLabel('Account', { exact: true }).selectOption(id);
        await waitShown(id);
      }
      const query = `integrated_account_id=${id}&start_time=${START}&end_time=${END}&include_remote_data=false`;
      const api = (await t.listAll(`${INTERACTIONS}?${query}&aggregation_period=week`, 1000)).all;
      expect(api.length, 'the sandbox has calls in these weeks').toBeGreaterThan(0);
      // native records carry no call count: the page takes it from the computed records of the same buckets
      const computedWeeks = (await t.listAll(`${INTERACTIONS}?${query}&aggregation_period=week&metrics_source=computed`, 1000)).all;
      if (name === 'gong') expect(api.some((r: any) => callCount(r) === undefined), 'Gong answers native by default').toBe(true);

      // the table: one row per record, in the API's order, each number the API's (shown with 2 decimals)
      const rows = await page.locator('#reps-table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          user: (tr as HTMLElement).dataset.userId,
          start: (tr as HTMLElement).dataset.start,
          cells: Object.fromEntries([...tr.querySelectorAll('td[data-key]')].map((td) => [(td as HTMLElement).dataset.key, { text: td.textContent, value: (td as HTMLElement).dataset.value }])),
        })),
      );
      expect(rows.map((r) => [r.user, r.start])).toEqual(api.map((r: any) => [r.user.id, r.start_time]));
      for (const [k, row] of rows.entries()) {
        const record = api[k];
        for (const key of METRIC_KEYS) {
          const v = record.metrics[key];
          expect(row.cells[key], `${key} of ${record.id}`).toEqual(v === undefined ? { text: '', value: undefined } : { text: v.toFixed(2), value: String(v) });
        }
        const calls = callCount(record) ?? callCount(computedWeeks.find((c: any) => c.user.id === record.user.id && c.start_time === record.start_time));
        expect(row.cells.call_count?.text, `calls of ${record.id}`).toBe(calls === undefined ? '' : String(calls));
      }
      // the activity counters of the same buckets, one column per counter the API reports, each cell
      // the API's number for that rep and bucket (blank where the rep has no activity record)
      const activity = (await t.listAll(`${ACTIVITY_ROUTE}?${query}&aggregation_period=week`, 1000)).all;
      const counters = ACTIVITY_KEYS.filter((k) => activity.some((a: any) => a.metrics[k] !== undefined));
      expect(counters.length, 'every vendor reports at least one activity counter').toBeGreaterThan(0);
      expect(await page.locator('#reps-table thead th').count()).toBe(4 + METRIC_KEYS.length + counters.length);
      for (const [k, row] of rows.entries()) {
        const a = activity.find((x: any) => x.user.id === api[k].user.id && x.start_time === api[k].start_time);
        for (const c of counters) {
          const v = a?.metrics[c];
          expect(row.cells[c]?.text ?? '', `${c} of ${api[k].id}`).toBe(v === undefined ? '' : String(v));
        }
      }

      // the chart: one line per rep, each point the API's weekly number of the chosen metric
      const drawn = await page.evaluate(() => {
        const chart = (window as any).parleyDashboard.chart();
        return { labels: chart.data.labels, datasets: chart.data.datasets.map((d: any) => ({ label: d.label, data: d.data })) };
      });
      const metric = 'longest_monologue';
      const weeks = [...new Set(api.map((r: any) => r.start_time.slice(0, 10)))].sort();
      expect(drawn.labels).toEqual(weeks);
      const users = new Set(api.map((r: any) => r.user.id));
      expect(drawn.datasets).toHaveLength(users.size);
      const plotted = drawn.datasets.flatMap((d: any) => d.data.filter((v: unknown) => v !== null)).sort();
      expect(plotted).toEqual(api.map((r: any) => r.metrics[metric]).filter((v: unknown) => v !== undefined).sort());
      const inked = await page.evaluate(() => {
        const c = document.getElementById('chart') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let p = 3; p < d.length; p += 4) if (d[p]! > 0) n++;
        return { n, width: c.width, height: c.height };
      });
      expect(inked.width).toBeGreaterThan(600);
      expect(inked.n, 'pixels drawn on the chart').toBeGreaterThan(2000);

      // CSV: exactly the table as shown, header with units
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export CSV' }).first().click();
      const file = await (await download).path();
      const csv = parseCsv(readFileSync(file, 'utf8'));
      const table = await page.locator('#reps-table').evaluate((tbl) =>
        [...(tbl as HTMLTableElement).rows].map((r) => [...r.cells].map((c) => (c as HTMLElement).dataset.csv ?? c.textContent!.trim())),
      );
      expect(csv).toEqual(table);
      expect(csv[0]).toContain('Longest monologue (s)');
      expect(csv[0]).toContain('Question rate (questions/h)');
      expect(csv.slice(1).map((r) => Number(r[4]))).toEqual(api.map((r: any) => Number(r.metrics.longest_monologue.toFixed(2))));

      // native beside computed over the whole range, for the same reps as the API's two answers
      const [native, computed] = await Promise.all(['native', 'computed'].map((s) => t.call('GET', `${INTERACTIONS}?${query}&aggregation_period=total&metrics_source=${s}&limit=1000`)));
      expect(computed!.status).toBe(200);
      const compared = await page.locator('#compare-table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          user: (tr as HTMLElement).dataset.userId,
          values: Object.fromEntries([...tr.querySelectorAll('td[data-key]')].map((td) => [(td as HTMLElement).dataset.key, (td as HTMLElement).dataset.value])),
        })),
      );
      const bySource = { native: native!.status === 200 ? native!.body.result : [], computed: computed!.body.result };
      const reps = new Set([...bySource.native, ...bySource.computed].map((r: any) => r.user.id));
      expect(new Set(compared.map((c) => c.user))).toEqual(reps);
      for (const c of compared) {
        for (const source of ['native', 'computed'] as const) {
          const record = bySource[source].find((r: any) => r.user.id === c.user);
          for (const key of METRIC_KEYS) {
            const v = record?.metrics[key];
            expect(c.values[`${source}:${key}`], `${source} ${key} of ${c.user}`).toBe(v === undefined ? undefined : String(v));
          }
        }
      }
      if (name === 'gong') expect(bySource.native.length, 'Gong reports native numbers').toBeGreaterThan(0);
      if (native!.status !== 200) expect(await page.locator('#compare-note').innerText()).toMatch(/no interaction numbers of its own/);

      if (name === 'gong') {
        await page.screenshot({ path: join(SHOTS, 'dashboard.png'), fullPage: true });
        await expectReadableAndAccessible();
      }
    }, 180_000);
  }

  it('the chart follows the chosen metric, and the view lives in the address', async () => {
    await page.getByLabel('Account', { exact: true }).selectOption(accountIds[0]!);
    await waitShown(accountIds[0]!);
    await page.getByLabel('Metric', { exact: true }).selectOption('question_rate');
    const api = (await t.listAll(`${INTERACTIONS}?integrated_account_id=${accountIds[0]}&start_time=${START}&end_time=${END}&aggregation_period=week&include_remote_data=false`, 1000)).all;
    const plotted = await page.evaluate(() => (window as any).parleyDashboard.chart().data.datasets.flatMap((d: any) => d.data.filter((v: unknown) => v !== null)));
    expect(plotted.sort()).toEqual(api.map((r: any) => r.metrics.question_rate).filter((v: unknown) => v !== undefined).sort());
    expect(new URL(page.url()).hash).toContain('metric=question_rate');
    await page.locator('.chart').screenshot({ path: join(SHOTS, 'dashboard-chart.png') });
  }, 120_000);

  it('asks the API for the chosen period and source: month, computed', async () => {
    await page.getByLabel('Period', { exact: true }).selectOption('month');
    await page.getByLabel('Metrics source', { exact: true }).selectOption('computed');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForFunction(() => (window as any).parleyDashboard.state.shown?.query.period === 'month', undefined, { timeout: 60_000 });
    await waitShown(accountIds[0]!);
    const api = (await t.listAll(`${INTERACTIONS}?integrated_account_id=${accountIds[0]}&start_time=${START}&end_time=${END}&aggregation_period=month&metrics_source=computed&include_remote_data=false`, 1000)).all;
    const columns = ['call_count', ...METRIC_KEYS];
    const rows = await page.locator('#reps-table tbody tr').evaluateAll(
      (trs, keys) =>
        trs.map((tr) => [
          (tr as HTMLElement).dataset.userId,
          (tr as HTMLElement).dataset.start,
          ...keys.map((k) => (tr.querySelector(`td[data-key="${k}"]`) as HTMLElement | null)?.dataset.value ?? ''),
        ]),
      columns,
    );
    expect(rows).toEqual(api.map((r: any) => [r.user.id, r.start_time, String(callCount(r)), ...METRIC_KEYS.map((k) => (r.metrics[k] === undefined ? '' : String(r.metrics[k])))]));
    expect(new Set(api.map((r: any) => r.start_time.slice(0, 7)))).toEqual(new Set(['2026-02', '2026-03']));
    await page.getByLabel('Period', { exact: true }).selectOption('week');
    await page.getByLabel('Metrics source', { exact: true }).selectOption('');
  }, 120_000);

  it('shows the activity counters the route answers, in its order and numbers', async () => {
    // a stand-in at the browser's edge with chosen numbers: the columns follow the route's answer
    const api = (await t.listAll(`${INTERACTIONS}?integrated_account_id=${accountIds[0]}&start_time=${START}&end_time=${END}&aggregation_period=week&include_remote_data=false`, 1000)).all;
    const fake = api.map((r: any, k: number) => ({ ...r, metrics: { calls_hosted: k % 4, calls_attended: 2 * k, comments_given: 1 } }));
    await page.route('**/unified/conversational-intelligence/activity?**', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ result: fake, next_cursor: null, result_count: fake.length }) }),
    );
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForFunction(() => (window as any).parleyDashboard.state.shown?.activity !== undefined, undefined, { timeout: 60_000 });
    await waitShown(accountIds[0]!);
    const headers = await page.locator('#reps-table thead th').evaluateAll((ths) => ths.map((th) => (th as HTMLElement).dataset.csv));
    expect(headers.slice(-3)).toEqual(['Calls hosted', 'Calls attended', 'Comments given']);
    const hosted = await page.locator('#reps-table td[data-key="calls_hosted"]').allInnerTexts();
    expect(hosted).toEqual(fake.map((f: any) => String(f.metrics.calls_hosted)));
    await page.unroute('**/unified/conversational-intelligence/activity?**');
  }, 120_000);

  it('says what went wrong when the API refuses, and leaves no stale numbers on screen', async () => {
    const pattern = '**/unified/conversational-intelligence/interactions?**';
    await page.route(pattern, (route) =>
      route.fulfill({
        status: 502,
        contentType: 'application/json',
        body: JSON.stringify({ statusCode: 502, error: 'Bad Gateway', message: 'Gong answered 503 after 4 attempts', is_remote_error: true }),
      }),
    );
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('#status').innerText(), { timeout: 30_000 }).toMatch(/Could not load sandbox-gong: Gong answered 503 after 4 attempts/);
    expect(await page.locator('#app').getAttribute('data-state')).toBe('error');
    expect(await page.locator('#reps-table tbody tr').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).parleyDashboard.chart())).toBeUndefined();
    await page.unroute(pattern);
    await page.getByRole('button', { name: 'Show' }).click();
    await waitShown(accountIds[0]!);
    expect(await page.locator('#reps-table tbody tr').count()).toBeGreaterThan(0);
  }, 120_000);

  it('loaded everything from its own origin, with nothing refused', () => {
    // requests the page abandoned on purpose are not failures: none is expected here either
    expect(failed).toEqual([]);
    expect(refused).toEqual([]);
  });
});
