import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { MAX_DAYS_PER_QUERY } from '../gong/dataset.js';
import { filterFingerprint, PagingCursors } from '../shared/paging-cursor.js';
import { SimulatorHttpError } from '../shared/simulator-http.js';
import type { GrainDataset, GrainInclude, GrainRecordingEntry } from './dataset.js';

/**
 * Grain's v2 routes as https://developers.grain.com documents them, under `/_/public-api/v2`:
 * - POST /recordings — body `{cursor?, filter?, include?}`, pages `{cursor, recordings}` newest
 *   first; the filter is on `start_datetime`, `after_datetime` inclusive and `before_datetime`
 *   exclusive (the reference's prose swaps the two; the names are taken at their word here);
 * - POST /recordings/{id} — body `{include?}`;
 * - GET /recordings/{id}/transcript — a bare array of sections;
 * - POST /users — `{users: [...]}`.
 * The cursor is opaque and bound to the filter it was issued for (a keyset after the last record,
 * over the list as it was when the first page was read). Error bodies: `{"errors": {"detail": …}}`
 * (ASSUMED, Phoenix's default; Grain documents statuses only).
 */

export interface GrainRouteContext {
  dataset: GrainDataset;
  pageSize: number;
  now: () => number;
  cursors: PagingCursors;
}

const INCLUDE_KEYS = ['participants', 'highlights', 'ai_summary', 'ai_action_items', 'calendar_event', 'hubspot', 'private_notes', 'ai_template_sections', 'screenshares'] as const;
/** Calls start on the company-zone day they belong to; this covers a day boundary in UTC. */
const DAY_MARGIN_MS = 86_400_000;

type Body = Record<string, unknown>;

function objectBody(value: unknown, name: string): Body {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new SimulatorHttpError(400, `${name} must be an object`);
  return value as Body;
}

function datetime(filter: Body, name: string): number | undefined {
  const v = filter[name];
  if (v === undefined || v === null) return undefined;
  const t = typeof v === 'string' ? DateTime.fromISO(v, { zone: 'utc', setZone: true }) : undefined;
  if (!t?.isValid) throw new SimulatorHttpError(400, `filter.${name} must be an ISO8601 timestamp`);
  return t.toMillis();
}

function includeOf(value: unknown): GrainInclude {
  const include = objectBody(value, 'include');
  for (const [k, v] of Object.entries(include)) {
    if (!(INCLUDE_KEYS as readonly string[]).includes(k)) throw new SimulatorHttpError(400, `include.${k} is not a known include`);
    if (k !== 'ai_template_sections' && typeof v !== 'boolean') throw new SimulatorHttpError(400, `include.${k} must be a boolean`);
  }
  return include as GrainInclude;
}

export function registerGrainRoutes(root: FastifyInstance, ctx: GrainRouteContext): void {
  void root.register(async (app) => grainRoutes(app, ctx), { prefix: '/_/public-api/v2' });
}

async function grainRoutes(app: FastifyInstance, ctx: GrainRouteContext): Promise<void> {
  const { dataset } = ctx;

  app.post('/recordings', async (request) => {
    const body = objectBody(request.body, 'the body');
    const filter = objectBody(body.filter, 'filter');
    const include = includeOf(body.include);
    const after = datetime(filter, 'after_datetime');
    const before = datetime(filter, 'before_datetime');
    const scope = filter.participant_scope;
    if (scope !== undefined && scope !== 'internal' && scope !== 'external') throw new SimulatorHttpError(400, 'filter.participant_scope must be internal or external');
    const title = typeof filter.title_search === 'string' ? filter.title_search.toLowerCase() : undefined;
    const fingerprint = filterFingerprint(filter);
    const route = 'POST /recordings';
    let asOf = ctx.now();
    let lastKey = Infinity;
    if (body.cursor !== undefined && body.cursor !== null) {
      const read = typeof body.cursor === 'string' ? ctx.cursors.read(body.cursor, route, fingerprint) : { problem: 'malformed' as const };
      if ('problem' in read) {
        throw new SimulatorHttpError(400, read.problem === 'filter-changed' ? 'cursor was issued for another filter; repeat the filter of the first page' : 'cursor is invalid');
      }
      asOf = read.state.asOf;
      lastKey = read.state.offset;
    }
    const keep = (e: GrainRecordingEntry): boolean => {
      if (e.key >= lastKey || !dataset.visible(e.call, asOf)) return false;
      if ((after !== undefined && e.call.startedAt < after) || (before !== undefined && e.call.startedAt >= before)) return false;
      if (title && !dataset.world.metaDataAt(e.call, asOf).title.toLowerCase().includes(title)) return false;
      if (scope !== undefined && (e.call.parties.some((p) => p.affiliation !== 'Internal') ? 'external' : 'internal') !== scope) return false;
      return true;
    };
    const page: GrainRecordingEntry[] = [];
    const first = dataset.localDate(Math.min(before ?? Infinity, asOf) + DAY_MARGIN_MS);
    const last = after !== undefined ? dataset.localDate(after - DAY_MARGIN_MS) : dataset.historyStart;
    let days = 0;
    for (let date = first; date >= last && date >= dataset.historyStart && page.length <= ctx.pageSize; date = dataset.previousDate(date)) {
      if (++days > MAX_DAYS_PER_QUERY) throw new SimulatorHttpError(400, `a listing may reach back at most ${MAX_DAYS_PER_QUERY} days; give filter.after_datetime`);
      for (const e of dataset.entriesOfDay(date)) if (keep(e)) page.push(e);
    }
    const items = page.slice(0, ctx.pageSize);
    const more = page.length > ctx.pageSize;
    return {
      cursor: more ? ctx.cursors.issue({ route, filter: fingerprint, offset: items.at(-1)!.key, page: 0, asOf }) : null,
      recordings: items.map((e) => dataset.recording(e, asOf, include)),
    };
  });

  const recordingOf = (id: string): GrainRecordingEntry => {
    const entry = dataset.entryOf(id);
    if (!entry || !dataset.visible(entry.call, ctx.now())) throw new SimulatorHttpError(404, 'Not Found');
    return entry;
  };

  app.post('/recordings/:id', async (request) => {
    const body = objectBody(request.body, 'the body');
    return dataset.recording(recordingOf((request.params as { id: string }).id), ctx.now(), includeOf(body.include));
  });

  app.get('/recordings/:id/transcript', async (request) => dataset.transcript(recordingOf((request.params as { id: string }).id), ctx.now()));

  app.post('/users', async () => ({ users: dataset.users }));
}
