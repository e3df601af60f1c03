import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { MAX_DAYS_PER_QUERY } from '../gong/dataset.js';
import { SimulatorHttpError } from '../shared/simulator-http.js';
import type { FathomDataset, FathomMeetingEntry } from './dataset.js';

/**
 * Fathom's routes as https://developers.fathom.ai documents them, under `/external/v1`:
 * - GET /meetings — optional filters (`created_after`/`created_before` on `created_at`, exclusive;
 *   `recorded_by[]`, `teams[]`, `calendar_invitees_domains[]`, `calendar_invitees_domains_type`),
 *   `include_transcript`/`include_summary`/`include_action_items`/`include_crm_matches`, and
 *   `{limit, next_cursor, items}` pages of a fixed size, newest `created_at` first;
 * - GET /recordings/{recording_id}/transcript — `{transcript: [...]}`;
 * - GET /team_members — `{limit, next_cursor, items: [{name, email, created_at}]}`.
 * Cursors are base64 JSON `{"page_num": n}` (the shape public examples show): a page NUMBER, not a
 * keyset, so a listing without `created_before` shifts when a meeting is created while a client
 * pages it. Error bodies are `{"error": "…"}` (assumed: Fathom documents the statuses, not the body).
 */

export interface FathomRouteContext {
  dataset: FathomDataset;
  pageSize: number;
  now: () => number;
}

type Query = Record<string, string | string[] | undefined>;

/** A call starts on the company-zone day it belongs to and its recording is created within this after. */
const LONGEST_CALL_MS = 2 * 3_600_000;

function single(q: Query, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) throw new SimulatorHttpError(400, `Bad request - ${name} was given more than once`);
  return v === '' ? undefined : v;
}

/** `name[]=a&name[]=b` (as Fathom documents it) or a single `name[]=a`. */
function list(q: Query, name: string): string[] | undefined {
  const v = q[`${name}[]`] ?? q[name];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).filter((x) => x !== '');
}

function instant(q: Query, name: string): number | undefined {
  const v = single(q, name);
  if (v === undefined) return undefined;
  const t = DateTime.fromISO(v, { zone: 'utc', setZone: true });
  if (!t.isValid) throw new SimulatorHttpError(400, `Bad request - ${name} must be an ISO 8601 timestamp`);
  return t.toMillis();
}

function flag(q: Query, name: string): boolean {
  const v = single(q, name);
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw new SimulatorHttpError(400, `Bad request - ${name} must be true or false`);
}

function pageNumber(q: Query): number {
  const cursor = single(q, 'cursor');
  if (cursor === undefined) return 1;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { page_num?: unknown };
    if (Number.isInteger(parsed.page_num) && (parsed.page_num as number) >= 1) return parsed.page_num as number;
  } catch {
    // answered below
  }
  throw new SimulatorHttpError(400, 'Bad request - cursor is invalid');
}

function cursorOf(page: number): string {
  return Buffer.from(JSON.stringify({ page_num: page })).toString('base64');
}

/** One page of a newest-first list produced lazily: `take(n)` yields up to n items from the top. */
function pageOf<T>(ctx: FathomRouteContext, page: number, take: (count: number) => T[]): { limit: number; next_cursor: string | null; items: T[] } {
  const skip = (page - 1) * ctx.pageSize;
  const top = take(skip + ctx.pageSize + 1);
  const items = top.slice(skip, skip + ctx.pageSize);
  return { limit: ctx.pageSize, next_cursor: top.length > skip + ctx.pageSize ? cursorOf(page + 1) : null, items };
}

export function registerFathomRoutes(root: FastifyInstance, ctx: FathomRouteContext): void {
  void root.register(async (app) => fathomRoutes(app, ctx), { prefix: '/external/v1' });
}

async function fathomRoutes(app: FastifyInstance, ctx: FathomRouteContext): Promise<void> {
  const { dataset } = ctx;

  app.get('/meetings', async (request: FastifyRequest) => {
    const q = request.query as Query;
    const asOf = ctx.now();
    const after = instant(q, 'created_after');
    const before = instant(q, 'created_before');
    const include = {
      transcript: flag(q, 'include_transcript'),
      summary: flag(q, 'include_summary'),
      actionItems: flag(q, 'include_action_items'),
      crmMatches: flag(q, 'include_crm_matches'),
    };
    const recordedBy = list(q, 'recorded_by')?.map((e) => e.toLowerCase());
    const teams = list(q, 'teams');
    const domains = list(q, 'calendar_invitees_domains')?.map((d) => d.toLowerCase());
    const domainsType = single(q, 'calendar_invitees_domains_type') ?? 'all';
    if (!['all', 'only_internal', 'one_or_more_external'].includes(domainsType)) {
      throw new SimulatorHttpError(400, 'Bad request - calendar_invitees_domains_type must be all, only_internal or one_or_more_external');
    }
    const page = pageNumber(q);
    // nothing is listed before it exists: created_at at or before now
    const upper = Math.min(before ?? Infinity, asOf + 1);
    const keep = (e: FathomMeetingEntry): boolean => {
      if (e.createdAt >= upper || (after !== undefined && e.createdAt <= after)) return false;
      const full = recordedBy || teams || domains || domainsType !== 'all' ? dataset.meeting(e, asOf, { transcript: false, summary: false, actionItems: false, crmMatches: false }) : undefined;
      if (!full) return true;
      if (recordedBy && !recordedBy.includes(full.recorded_by.email.toLowerCase())) return false;
      if (teams && !teams.includes(full.recorded_by.team ?? '')) return false;
      if (domains && !full.calendar_invitees.some((i) => domains.includes(i.email_domain))) return false;
      if (domainsType !== 'all' && full.calendar_invitees_domains_type !== domainsType) return false;
      return true;
    };
    const body = pageOf(ctx, page, (count) => {
      const out: FathomMeetingEntry[] = [];
      const first = dataset.localDate(Math.min(upper, asOf + 1));
      const last = after !== undefined ? dataset.localDate(Math.max(after - LONGEST_CALL_MS, 0)) : dataset.historyStart;
      let days = 0;
      for (let date = first; date >= last && date >= dataset.historyStart && out.length < count; date = dataset.previousDate(date)) {
        if (++days > MAX_DAYS_PER_QUERY) {
          throw new SimulatorHttpError(400, `Bad request - a listing may reach back at most ${MAX_DAYS_PER_QUERY} days; give created_after`);
        }
        for (const e of dataset.entriesOfDay(date)) if (keep(e)) out.push(e);
      }
      return out.slice(0, count);
    });
    return { ...body, items: body.items.map((e) => dataset.meeting(e, asOf, include)) };
  });

  app.get('/recordings/:recording_id/transcript', async (request) => {
    const raw = (request.params as { recording_id: string }).recording_id;
    if (!/^\d{1,15}$/.test(raw)) throw new SimulatorHttpError(400, 'Bad request - recording_id must be an integer');
    const asOf = ctx.now();
    const entry = dataset.entryOf(Number(raw));
    if (!entry || entry.createdAt > asOf) throw new SimulatorHttpError(404, 'Not found - no recording with this id');
    const transcript = dataset.transcript(entry, asOf);
    // Fathom is still transcribing: no transcript yet (assumed to answer like an unknown one)
    if (!transcript) throw new SimulatorHttpError(404, 'Not found - the transcript of this recording is not available yet');
    return { transcript };
  });

  app.get('/team_members', async (request) => {
    const q = request.query as Query;
    const team = single(q, 'team');
    const page = pageNumber(q);
    const members = dataset.teamMembers.filter((m) => team === undefined || dataset.teamOf(m.email) === team);
    return pageOf(ctx, page, (count) => members.slice(0, count));
  });
}
