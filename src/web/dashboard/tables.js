/**
 * The dashboard's tables, built with DOM calls only (text from the API never becomes markup).
 * A metric cell shows the number with two decimals and keeps the API's exact value in `data-value`;
 * an absent metric is an empty cell (the stylesheet draws a dash), never a 0.
 */
import { ACTIVITY_COUNTERS, METRICS, additionalMetric, dateOf, formatCount, formatMetric } from './format.js';

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-')) node.dataset[k.slice(5).replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = v;
    else node.setAttribute(k, v);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A header cell: label, unit on its own line; the CSV names it "label (unit)". */
function headerCell(label, unit, numeric) {
  const th = el('th', { scope: 'col', class: numeric ? 'num' : undefined, 'data-csv': unit ? `${label} (${unit})` : label }, label);
  if (unit) th.append(el('span', { class: 'unit' }, unit));
  return th;
}

function numberCell(value, text, key) {
  const present = text !== '';
  return el('td', { class: present ? 'num' : 'num absent', 'data-key': key, 'data-value': present ? String(value) : undefined, 'aria-label': present ? undefined : 'not reported' }, text);
}

function fill(table, headers, rows) {
  table.tHead.replaceChildren(el('tr'));
  table.tHead.rows[0].append(...headers);
  table.tBodies[0].replaceChildren(...rows);
}

/** One user's record of one bucket, across sources and resources (same zone, same bucket start). */
export function bucketKey(record) {
  return `${record.start_time}|${record.user.id}`;
}

/** Display name of a user id: the account's user list first, then what the record carries. */
export function repName(user, names) {
  return names.get(user.id) ?? user.name ?? user.id;
}

/**
 * One row per Interactions record (the API's order: start_time, then user id), with the call count
 * (computed records carry `call_count`; for native records it comes from the computed records of
 * the same user and bucket, `calls`) and, when the activity route answers, the activity counters of
 * the same user and bucket.
 * @param {HTMLTableElement} table
 * @param {{ records: any[], names: Map<string, string>, calls?: Map<string, number>, activity?: Map<string, any>, counters: string[] }} data
 */
export function renderReps(table, { records, names, calls: callsByKey, activity, counters }) {
  const labels = new Map(ACTIVITY_COUNTERS);
  const headers = [
    headerCell('From'),
    headerCell('Until'),
    headerCell('Rep'),
    Object.assign(headerCell('Calls', undefined, true), { title: 'calls with a transcript (from the computed metrics)' }),
    ...METRICS.map((m) => headerCell(m.label, m.unit, true)),
    ...(activity ? counters.map((c) => headerCell(labels.get(c) ?? c, undefined, true)) : []),
  ];
  const rows = records.map((r) => {
    const tr = el('tr', { 'data-user-id': r.user.id, 'data-start': r.start_time });
    const calls = additionalMetric(r, 'call_count') ?? callsByKey?.get(bucketKey(r));
    tr.append(
      el('td', {}, dateOf(r.start_time)),
      el('td', {}, dateOf(r.end_time)),
      el('th', { scope: 'row', title: r.user.id }, repName(r.user, names)),
      numberCell(calls, formatCount(calls), 'call_count'),
      ...METRICS.map((m) => numberCell(r.metrics?.[m.key], formatMetric(r.metrics?.[m.key]), m.key)),
    );
    if (activity) {
      const a = activity.get(bucketKey(r));
      for (const c of counters) tr.append(numberCell(a?.metrics?.[c], formatCount(a?.metrics?.[c]), c));
    }
    return tr;
  });
  fill(table, headers, rows);
}

/**
 * Native beside computed for the same reps over the whole range: one row per rep that either
 * source reports, two columns per metric.
 * @param {HTMLTableElement} table
 * @param {{ native: any[], computed: any[], names: Map<string, string> }} data
 */
export function renderComparison(table, { native, computed, names }) {
  const byUser = new Map();
  for (const [source, records] of [['native', native], ['computed', computed]]) {
    for (const r of records) {
      const entry = byUser.get(r.user.id) ?? { user: r.user };
      entry[source] = r;
      byUser.set(r.user.id, entry);
    }
  }
  const entries = [...byUser.values()].sort((a, b) => repName(a.user, names).localeCompare(repName(b.user, names)));
  const headers = [headerCell('Rep')];
  for (const m of METRICS) headers.push(headerCell(`${m.label}, native`, m.unit, true), headerCell(`${m.label}, computed`, m.unit, true));
  const rows = entries.map((e) => {
    const tr = el('tr', { 'data-user-id': e.user.id });
    tr.append(el('th', { scope: 'row', title: e.user.id }, repName(e.user, names)));
    for (const m of METRICS) {
      const n = e.native?.metrics?.[m.key];
      const c = e.computed?.metrics?.[m.key];
      tr.append(numberCell(n, formatMetric(n), `native:${m.key}`), numberCell(c, formatMetric(c), `computed:${m.key}`));
    }
    return tr;
  });
  fill(table, headers, rows);
}

/**
 * One row per integrated account: its status and its sync's (a progress bar while a run goes).
 * @param {HTMLTableElement} table @param {{ account: any, sync?: any, error?: string }[]} rows
 */
export function renderAccounts(table, rows) {
  table.tBodies[0].replaceChildren(
    ...rows.map(({ account, sync, error }) => {
      const tr = el('tr', { 'data-account-id': account.id });
      const syncCell = el('td');
      syncCell.append(el('span', { class: `badge ${sync?.status ?? 'error'}` }, sync?.status ?? 'unknown'));
      const progress = el('td', { class: 'wrap' });
      if (sync?.status === 'running') {
        const bar = el('progress', { 'aria-label': `sync of ${account.id} in progress` });
        progress.append(bar, ` ${sync.progress ? `${sync.progress.stream}: ${sync.progress.pages} pages, ${sync.progress.records} records` : 'starting'}`);
      } else if (sync?.last_finished_at) {
        progress.textContent = `finished ${sync.last_finished_at.slice(0, 16).replace('T', ' ')} UTC`;
      } else if (sync && sync.status !== 'disabled') {
        progress.textContent = 'not synced yet';
      }
      const counts = sync?.counts ?? {};
      tr.append(
        el('th', { scope: 'row' }, account.id),
        el('td', {}, account.integration),
        el('td', {}, account.status ?? ''),
        syncCell,
        progress,
        el('td', {}, sync?.synced_from ? `${dateOf(sync.synced_from)} → ${dateOf(sync.synced_through)}` : ''),
        numberCell(counts.users, formatCount(counts.users), 'users'),
        numberCell(counts.meetings, formatCount(counts.meetings), 'meetings'),
        numberCell(counts.transcripts, formatCount(counts.transcripts), 'transcripts'),
        el('td', { class: sync?.last_error || error ? 'wrap error' : 'wrap' }, sync?.last_error ?? error ?? ''),
      );
      return tr;
    }),
  );
}
