import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { clockAt } from '../../src/domain/clock.js';

/**
 * The connect page in a real browser (Debian's Chromium), at an address that is not localhost:
 * choose Gong, wrong keys → the vendor's rejection inline at the form, right keys → redirected to
 * the tenant with an integrated_account_id that lists interactions; then the same through Gong's
 * OAuth. PARLEY_UPDATE_SCREENSHOTS=true writes the page's screenshots to docs/.
 */
const CHROMIUM = '/usr/bin/chromium';
const required = process.env.PARLEY_REQUIRE_SERVICES === 'true';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const why = `${CHROMIUM} is missing (apt-get install -y chromium)`;
  if (required) throw new Error(`${why} (PARLEY_REQUIRE_SERVICES=true: this suite must not skip)`);
  console.warn(`skipping the connect page browser test: ${why}`);
}
const SCREENSHOTS = process.env.PARLEY_UPDATE_SCREENSHOTS === 'true' ? new URL('../../docs/', import.meta.url).pathname : undefined;
const NOW = '2024-06-15T19:00:00Z';

describe.skipIf(!haveChromium)('the connect page in a browser', () => {
  let t: TestParley;
  let gong: GongSimulator;
  let browser: Browser;
  let port: number;
  let tenant: Server;
  let tenantPort: number;

  beforeAll(async () => {
    gong = await startGongSimulator({ now: () => new Date(Date.parse(NOW) + (performance.now() - started)), ratePerSecond: 20 });
    t = await startTestParley({}, { clock: clockAt(NOW) });
    await t.parley.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.parley.app.server.address() as AddressInfo).port;
    t.parley.oauthEndpoints.override('gong', { authorizeUrl: `${gong.url}/oauth2/authorize`, tokenUrl: `${gong.url}/oauth2/generate-customer-token` });
    expect((await t.call('PUT', '/integrations/gong/oauth-app', { client_id: gong.oauth.clientId, client_secret: gong.oauth.clientSecret })).status).toBe(200);
    // the tenant's own app, where the end user lands
    tenant = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Thanks!</h1>'));
    await new Promise<void>((resolve) => tenant.listen(0, '127.0.0.1', resolve));
    tenantPort = (tenant.address() as AddressInfo).port;
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME'))) as Record<string, string>;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      env,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--host-resolver-rules=MAP parley.test 127.0.0.1, MAP tenant.test 127.0.0.1'],
    });
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);
  const started = performance.now();
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await gong?.close();
    await new Promise((resolve) => tenant?.close(resolve));
  });

  async function session(): Promise<string> {
    const res = await t.call('POST', '/connect-sessions', { end_user: { id: 'cust-7', name: 'Ada at Acme' }, integrations: ['gong', 'fireflies', 'chorus'], redirect_url: `http://tenant.test:${tenantPort}/connected` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // the URL names the host the tenant called; the browser reaches Parley as parley.test
    return `http://parley.test:${port}${new URL(res.body.url).pathname}`;
  }

  async function expectInteractions(accountId: string): Promise<void> {
    const res = await t.call('GET', `/unified/conversational-intelligence/interactions?integrated_account_id=${accountId}&start_time=2024-06-10&end_time=2024-06-12&aggregation_period=day`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result_count).toBeGreaterThan(0);
  }

  async function newPage(): Promise<{ page: Page; refused: string[] }> {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
    });
    return { page, refused };
  }

  it('API keys: chooses Gong, wrong keys show the vendor rejection inline, right keys redirect with an account that lists interactions', async () => {
    const { page, refused } = await newPage();
    const link = await session();
    await page.goto(link);
    await expect(page.getByRole('heading', { name: 'Connect your call recorder' }).isVisible()).resolves.toBe(true);
    expect(await page.getByRole('link').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('Gong'), expect.stringContaining('Fireflies'), expect.stringContaining('Chorus')]));
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}connect-page-choose.png` });
    // keyboard only: tab to Gong and press Enter
    await page.getByRole('link', { name: /Gong/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/gong$/);
    expect(await page.locator('#where').innerText()).toMatch(/Company settings/);

    // the labels are tied to their inputs
    await page.getByLabel('Access key', { exact: true }).fill('sandbox-key');
    await page.getByLabel('Access key secret').fill('not-the-secret');
    await page.getByText('Advanced settings').click();
    await page.getByLabel(/API base URL/).fill(gong.url);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}connect-page-form.png`, fullPage: true });
    await page.getByRole('button', { name: 'Connect Gong' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/Gong rejected these credentials/);
    // what was typed stays, except keys and secrets (never echoed into a page)
    expect(await page.getByLabel(/API base URL/).inputValue()).toBe(gong.url);
    expect(await page.getByLabel('Access key', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('Access key secret').inputValue()).toBe('');
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}connect-page-error.png`, fullPage: true });

    // a missing field is named at the field
    await page.getByLabel('Access key secret').fill('sandbox-secret');
    await page.getByRole('button', { name: 'Connect Gong' }).click();
    await page.locator('#f-access_key-error').waitFor();
    expect(await page.getByLabel('Access key', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Access key', { exact: true }).fill('sandbox-key');
    await page.getByLabel('Access key secret').fill('sandbox-secret');
    await page.getByRole('button', { name: 'Connect Gong' }).click();
    await page.waitForURL(/tenant\.test.*integrated_account_id=/);
    const accountId = new URL(page.url()).searchParams.get('integrated_account_id')!;
    expect((await t.call('GET', `/integrated-accounts/${accountId}`)).body).toMatchObject({ integration: 'gong', status: 'active' });
    await expectInteractions(accountId);
    expect(refused).toEqual([]);

    // the link is single use
    await page.goto(link);
    expect(await page.locator('h1').innerText()).toBe('This link is no longer valid');
    await page.close();
  }, 90_000);

  it('OAuth: "Sign in with Gong" goes through Gong and comes back connected', async () => {
    const { page, refused } = await newPage();
    await page.goto(await session());
    await page.getByRole('link', { name: /Gong/ }).click();
    await page.getByRole('button', { name: 'Sign in with Gong' }).click();
    await page.waitForURL(/tenant\.test.*integrated_account_id=/);
    const accountId = new URL(page.url()).searchParams.get('integrated_account_id')!;
    const stored = await t.parley.store.accounts.getWithCredentialsById(accountId);
    expect(stored?.credentials).toMatchObject({ auth: 'oauth2', base_url: gong.url });
    expect(stored?.endUser).toEqual({ id: 'cust-7', name: 'Ada at Acme' });
    await expectInteractions(accountId);
    expect(refused).toEqual([]);
    await page.close();
  }, 90_000);
});
