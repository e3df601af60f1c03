/**
 * The dashboard's controller: sign-in (the token lives in this tab's sessionStorage only), the
 * accounts overview with sync progress, and for the chosen account, range, period and source the
 * reps table, the weekly chart and native beside computed. Everything comes from the public API.
 */
import { ApiError, createClient } from './api.js';
import { download, tableRows, toCsv } from './csv.js';
import { ACTIVITY_COUNTERS, METRICS, defaultRange } from './format.js';
import { bucketKey, renderAccounts, renderComparison, renderReps } from './tables.js';
import { clearChart, currentChart, renderChart } from './chart-view.js';

const TOKEN_KEY = 'parley.token';
const INTERACTIONS = '/unified/conversational-intelligence/interactions';
const ACTIVITY = '/unified/conversational-intelligence/activity';
const USERS = '/unified/conversational-intelligence/users';
const SYNC_POLL_MS = 10_000;

const $ = (id) => /** @type {any} */ (document.getElementById(id));

/** What the page shows now; `window.parleyDashboard` exposes it (tests, the curious). */
const state = {
  client: undefined,
  /** @type {Map<string, Map<string, string>>} user names per account */
  names: new Map(),
  accounts: [],
  generation: 0,
  poll: undefined,
  shown: undefined,
};
/** @type {any} */ (window).parleyDashboard = { state, chart: currentChart };

function setStatus(text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
}

function showSignIn(message = '') {
  clearInterval(state.poll);
  state.client = undefined;
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in-section').hidden = false;
  $('sign-in-error').textContent = message;
  $('token').focus();
}

async function signIn(event) {
  event.preventDefault();
  const token = $('token').value.trim();
  try {
    await createClient(token).get('/integrated-accounts', { limit: 1 });
  } catch (e) {
    $('sign-in-error').textContent = e instanceof ApiError && e.status === 401 ? 'This server does not know that token.' : `Cannot sign in: ${e.message}`;
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $('token').value = '';
  await start(token);
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  showSignIn(message);
}

/** A 401 on any call means the token was revoked: back to the sign-in form. */
function handleError(e) {
  if (e instanceof ApiError && e.status === 401) {
    signOut('The token is no longer accepted; sign in again.');
    return true;
  }
  return false;
}

async function loadAccounts() {
  const accounts = await state.client.listAll('/integrated-accounts');
  const rows = await Promise.all(
    accounts.map(async (account) => {
      try {
        return { account, sync: await state.client.get(`/integrated-accounts/${encodeURIComponent(account.id)}/sync`) };
      } catch (e) {
        if (handleError(e)) throw e;
        return { account, error: e.message };
      }
    }),
  );
  state.accounts = rows;
  renderAccounts($('accounts-table'), rows);
  const select = $('account');
  const chosen = select.value;
  select.replaceChildren(...accounts.map((a) => new Option(`${a.id} (${a.integration})`, a.id)));
  const wanted = select.dataset.wanted;
  if (wanted && accounts.some((a) => a.id === wanted)) select.value = wanted;
  else if (accounts.some((a) => a.id === chosen)) select.value = chosen;
  delete select.dataset.wanted;
}

async function refreshAccounts() {
  try {
    await loadAccounts();
  } catch (e) {
    if (!handleError(e)) setStatus(`Accounts could not be refreshed: ${e.message}`, true);
  }
}

async function userNames(accountId) {
  const known = state.names.get(accountId);
  if (known) return known;
  const names = new Map();
  try {
    for (const u of await state.client.listAll(USERS, { integrated_account_id: accountId, include_remote_data: false })) names.set(u.id, u.name ?? u.id);
    state.names.set(accountId, names);
  } catch (e) {
    if (handleError(e)) throw e;
    // without names the tables show user ids; the next query tries again
  }
  return names;
}

/** The activity counters of the query, or undefined where the route does not exist (404) yet. */
async function activityOf(base) {
  try {
    const records = await state.client.listAll(ACTIVITY, base);
    return { records };
  } catch (e) {
    if (handleError(e)) throw e;
    if (e instanceof ApiError && e.status === 404) return { hidden: '' };
    return { hidden: `Activity counters are not shown: ${e.message}` };
  }
}

async function comparisonOf(base) {
  const total = { ...base, aggregation_period: 'total' };
  const [native, computed] = await Promise.allSettled([
    state.client.listAll(INTERACTIONS, { ...total, metrics_source: 'native' }),
    state.client.listAll(INTERACTIONS, { ...total, metrics_source: 'computed' }),
  ]);
  for (const r of [native, computed]) if (r.status === 'rejected' && handleError(r.reason)) throw r.reason;
  if (native.status === 'rejected' && native.reason instanceof ApiError && native.reason.status === 400) {
    return { note: 'This vendor reports no interaction numbers of its own: only computed numbers exist.', native: [], computed: computed.status === 'fulfilled' ? computed.value : [] };
  }
  const failed = [native, computed].filter((r) => r.status === 'rejected').map((r) => r.reason.message);
  return {
    note: failed.length ? `Not every source answered: ${failed.join('; ')}` : '',
    native: native.status === 'fulfilled' ? native.value : [],
    computed: computed.status === 'fulfilled' ? computed.value : [],
  };
}

/** The query lives in the address's fragment too (`#account=…&start=…`): a view can be bookmarked or shared without its token. */
const HASH_FIELDS = { account: 'account', start: 'start', end: 'end', period: 'period', source: 'source', metric: 'chart-metric' };

function applyHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  for (const [name, id] of Object.entries(HASH_FIELDS)) {
    const v = params.get(name);
    if (v === null) continue;
    const field = $(id);
    // a select keeps its value only when it has that option (accounts arrive later: remembered)
    if (field.tagName === 'SELECT' && ![...field.options].some((o) => o.value === v)) field.dataset.wanted = v;
    else field.value = v;
  }
}

function writeHash(q) {
  const params = new URLSearchParams({ ...q, metric: $('chart-metric').value });
  if (!q.source) params.delete('source');
  history.replaceState(null, '', `#${params}`);
}

/**
 * Call counts for records that carry none (a vendor's native numbers): the computed records of the
 * same query carry `call_count` per user and bucket. Undefined when they cannot be had.
 */
async function callsOf(records, computedQuery) {
  const missing = records.some((r) => !(r.additional_metrics ?? []).some((m) => m.name === 'call_count'));
  if (!missing || !computedQuery) return undefined;
  try {
    const computed = await state.client.listAll(INTERACTIONS, computedQuery);
    return new Map(computed.flatMap((r) => {
      const m = (r.additional_metrics ?? []).find((a) => a.name === 'call_count');
      return m ? [[bucketKey(r), m.value]] : [];
    }));
  } catch (e) {
    if (handleError(e)) throw e;
    return undefined;
  }
}

function readQuery() {
  return {
    account: $('account').value,
    start: $('start').value,
    end: $('end').value,
    period: $('period').value,
    source: $('source').value,
  };
}

async function show() {
  const q = readQuery();
  if (!q.account) {
    setStatus('No integrated account yet: create one with POST /integrated-accounts.');
    return;
  }
  if (!q.start || !q.end || q.start >= q.end) {
    setStatus('Choose a range whose start is before its end.', true);
    return;
  }
  writeHash(q);
  const generation = ++state.generation;
  $('app').dataset.state = 'loading';
  setStatus(`Loading ${q.account}…`);
  $('export-reps').disabled = true;
  $('export-compare').disabled = true;
  const base = { integrated_account_id: q.account, start_time: q.start, end_time: q.end, include_remote_data: false };
  const period = { ...base, aggregation_period: q.period };
  const sourced = (params) => (q.source ? { ...params, metrics_source: q.source } : params);
  try {
    const names = await userNames(q.account);
    const records = state.client.listAll(INTERACTIONS, sourced(period));
    const weekly = q.period === 'week' ? records : state.client.listAll(INTERACTIONS, sourced({ ...base, aggregation_period: 'week' }));
    const [rows, weeks, activity, comparison] = await Promise.all([records, weekly, activityOf(period), comparisonOf(base)]);
    const calls = await callsOf(rows, q.source === 'computed' ? undefined : { ...period, metrics_source: 'computed' });
    if (generation !== state.generation) return;
    const byKey = activity.records ? new Map(activity.records.map((a) => [bucketKey(a), a])) : undefined;
    const counters = activity.records ? ACTIVITY_COUNTERS.map(([k]) => k).filter((k) => activity.records.some((a) => a.metrics?.[k] !== undefined)) : [];
    renderReps($('reps-table'), { records: rows, names, calls, activity: byKey, counters });
    $('activity-note').textContent = activity.hidden ?? '';
    const series = renderChart($('chart'), { records: weeks, metric: $('chart-metric').value, names });
    $('chart-caption').textContent = `${series.datasets.length} reps, ${series.labels.length} weeks${q.source ? `, ${q.source}` : ''}.`;
    renderComparison($('compare-table'), { native: comparison.native, computed: comparison.computed, names });
    $('compare-note').textContent = comparison.note;
    state.shown = { query: q, records: rows, weekly: weeks, activity: activity.records, counters, series, comparison };
    $('export-reps').disabled = false;
    $('export-compare').disabled = false;
    setStatus(`${rows.length} records for ${q.account}, ${q.start} until ${q.end}, per ${q.period === 'total' ? 'whole range' : q.period}.`);
    $('app').dataset.state = 'ready';
  } catch (e) {
    if (generation !== state.generation || handleError(e)) return;
    setStatus(`Could not load ${q.account}: ${e.message}`, true);
    clearViews();
    $('app').dataset.state = 'error';
  }
}

/** After a failed query nothing of the previous one stays on screen, where it would pass for this one's. */
function clearViews() {
  state.shown = undefined;
  for (const id of ['reps-table', 'compare-table']) {
    $(id).tHead.replaceChildren();
    $(id).tBodies[0].replaceChildren();
  }
  clearChart();
  $('chart-caption').textContent = '';
  $('activity-note').textContent = '';
  $('compare-note').textContent = '';
}

function redrawChart() {
  if (!state.shown) return;
  writeHash(state.shown.query);
  const series = renderChart($('chart'), { records: state.shown.weekly, metric: $('chart-metric').value, names: state.names.get(state.shown.query.account) ?? new Map() });
  state.shown.series = series;
}

function exportTable(tableId, what) {
  const q = state.shown?.query;
  const name = q ? `parley-${what}-${q.account}-${q.start}-${q.end}${what === 'reps' ? `-${q.period}` : ''}.csv` : `parley-${what}.csv`;
  download(name, toCsv(tableRows($(tableId))));
}

async function start(token) {
  state.client = createClient(token);
  state.names.clear();
  $('sign-in-section').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  try {
    await loadAccounts();
  } catch (e) {
    if (!handleError(e)) setStatus(`Accounts could not be loaded: ${e.message}`, true);
    return;
  }
  clearInterval(state.poll);
  state.poll = setInterval(refreshAccounts, SYNC_POLL_MS);
  await show();
}

function init() {
  const range = defaultRange();
  $('start').value = range.start;
  $('end').value = range.end;
  $('chart-metric').replaceChildren(...METRICS.map((m) => new Option(`${m.label} (${m.unit})`, m.key)));
  applyHash();
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => signOut(''));
  $('query-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void show();
  });
  $('account').addEventListener('change', () => void show());
  $('chart-metric').addEventListener('change', redrawChart);
  $('export-reps').addEventListener('click', () => exportTable('reps-table', 'reps'));
  $('export-compare').addEventListener('click', () => exportTable('compare-table', 'native-vs-computed'));
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) void start(token);
  else showSignIn();
}

init();
