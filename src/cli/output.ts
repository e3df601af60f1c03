import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';

/** How list commands print records: a table for people, JSON or CSV for programs. */
export type OutputFormat = 'table' | 'json' | 'csv';

export function formatOf(options: { json?: boolean; csv?: boolean }): OutputFormat {
  return options.json ? 'json' : options.csv ? 'csv' : 'table';
}

type Row = Record<string, unknown>;

/**
 * One level of keys per column: nested objects become `a.b` columns; `remote_data` (the vendor's raw
 * record) is left out of tables and CSV (it is in --json); a user becomes its name and primary email.
 */
export function flatten(record: Row, prefix = ''): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'remote_data') continue;
    const name = prefix ? `${prefix}.${key}` : key;
    if (key === 'user' && value && typeof value === 'object' && !Array.isArray(value)) {
      const u = value as { id?: string; name?: string; emails?: { email?: string; is_primary?: boolean }[] };
      out[`${name}.id`] = u.id ?? null;
      out[`${name}.name`] = u.name ?? null;
      out[`${name}.email`] = (u.emails?.find((e) => e.is_primary) ?? u.emails?.[0])?.email ?? null;
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(out, flatten(value as Row, name));
    } else if (Array.isArray(value)) {
      out[name] = JSON.stringify(value);
    } else {
      out[name] = value as string | number | boolean | null;
    }
  }
  return out;
}

function columnsOf(rows: Record<string, unknown>[], preferred?: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  if (!preferred) return [...seen];
  return preferred.filter((c) => seen.has(c) || c.endsWith('.*')).flatMap((c) => (c.endsWith('.*') ? [...seen].filter((k) => k.startsWith(c.slice(0, -1))) : [c]));
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
  return String(v);
}

/** `columns` picks and orders table columns (`metrics.*` takes every metric); JSON and CSV keep every field. */
export function render(records: readonly Row[], format: OutputFormat, columns?: readonly string[]): string {
  if (format === 'json') return `${JSON.stringify(records, null, 2)}\n`;
  const rows = records.map((r) => flatten(r));
  if (format === 'csv') {
    const cols = columnsOf(rows);
    return stringify(rows, { header: true, columns: cols });
  }
  if (rows.length === 0) return '(no records)\n';
  const cols = columnsOf(rows, columns);
  const table = new Table({
    head: cols.map((c) => c.replace(/^metrics\./, '')),
    // compact: one line per record, no rule between rows
    style: { head: [], border: [], compact: true },
  });
  for (const r of rows) table.push(cols.map((c) => cell(r[c])));
  return `${table.toString()}\n`;
}
