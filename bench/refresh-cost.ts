import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { createParley } from '../src/server.js';
import { loadConfig } from '../src/config.js';
import { gongProvider } from '../src/connectors/gong/provider.js';
import { startVendor, VENDORS } from '../test/sync/vendors.js';

/**
 * (d) Refresh cost (issue 8): vendor requests per day to keep a 365-day daily Interactions dashboard
 * fresh, refreshed every 5 minutes. Live, every refresh finds the 5-minute caches expired and asks
 * the vendor for the whole year again: (requests of one cold query) × 288. With the store, refreshes
 * ask no vendor; the cost is the sync's incremental run (the look-back window) × 24 a day. Both are
 * counted at the simulator of each vendor (the same synthetic world, its calendar moving with
 * Parley's: the hour between the two runs brings new calls and transcripts), budgets lifted so the
 * count does not take the vendors' real time.
 */
// a Thursday at 11:00 in the simulated company's zone (US/Pacific): the next hour brings calls
const NOW = Date.parse('2025-06-12T18:00:00Z');
const CI = '/unified/conversational-intelligence';

export async function runRefreshCost(): Promise<void> {
  console.log('  (d) refresh cost of a 365-day daily dashboard refreshed every 5 min, vendor requests per day:');
  const gongRate = gongProvider.rateLimit;
  gongProvider.rateLimit = { perSecond: 1_000_000 };
  try {
    for (const name of VENDORS) {
      let now = NOW;
      const vendor = await startVendor(name, () => now);
      const dir = mkdtempSync(join(tmpdir(), 'parley-bench-refresh-'));
      const token = randomBytes(16).toString('hex');
      const config = loadConfig({
        PARLEY_DATABASE_URL: `sqlite:${join(dir, 'p.db')}`,
        PARLEY_SECRET_KEY: randomBytes(32).toString('hex'),
        PARLEY_BOOTSTRAP_TOKEN: token,
        PARLEY_SANDBOX: 'false',
        PARLEY_ALLOW_PRIVATE_UPSTREAMS: 'true',
        PARLEY_UPSTREAM_PATIENCE_MS: '60000',
      });
      const parley = await createParley(config, { logger: pino({ level: 'silent' }), clock: { now: () => now }, pageBudgetMs: 600_000 });
      try {
        const inject = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
          const res = await parley.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(body ? { payload: body as object } : {}) });
          if (res.statusCode >= 300) throw new Error(`${name} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
          return JSON.parse(res.body) as { id: string; next_cursor?: string | null };
        };
        const account = (await inject('POST', '/integrated-accounts', { integration: vendor.integration, credentials: vendor.credentials, sync: { backfill_days: 7 } })).id;
        // live: one cold year, every page
        let from = vendor.requests.length;
        let cursor: string | null | undefined;
        do {
          const page = await inject(
            'GET',
            `${CI}/interactions?integrated_account_id=${account}&start_time=2024-06-13&end_time=2025-06-13&aggregation_period=day&limit=1000&read_from=live${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
          cursor = page.next_cursor;
        } while (cursor);
        const live = vendor.requests.length - from;
        // store: a backfill, then one incremental run an hour later (what every interval costs)
        if ((await parley.engine.run(account)) !== 'completed') throw new Error(`${name}: backfill failed`);
        now += 3_600_000;
        from = vendor.requests.length;
        if ((await parley.engine.run(account)) !== 'completed') throw new Error(`${name}: incremental run failed`);
        const incremental = vendor.requests.length - from;
        const perDayLive = live * 288;
        const perDayStore = incremental * 24;
        console.log(
          `      ${name.padEnd(13)} live ${String(live).padStart(5)} per refresh × 288 = ${String(perDayLive).padStart(8)} /day; store: ${String(incremental).padStart(3)} per hourly run × 24 = ${String(perDayStore).padStart(5)} /day (${(perDayLive / perDayStore).toFixed(0)}× fewer)`,
        );
      } finally {
        await parley.close();
        await vendor.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    gongProvider.rateLimit = gongRate;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runRefreshCost();
