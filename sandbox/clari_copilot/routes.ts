import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { SimulatorHttpError } from '../shared/simulator-http.js';
import { CALL_STATUSES, type ClariDataset, type ClariSimCall } from './dataset.js';

/**
 * Clari Copilot's read routes as https://api-doc.copilot.clari.com/spec.yaml describes them:
 * GET /users, GET /calls (skip/limit paging, filter* and sort* parameters) and GET /call-details.
 * Requests reaching a handler are authenticated and within rate limits; handlers check every
 * parameter the way the spec says a bad value fails ("results in bad request error").
 */

export interface ClariRouteContext {
  dataset: ClariDataset;
  /** most calls one page holds, whatever `limit` asks (Clari: 100, the documented maximum) */
  pageSize: number;
  /** largest `skip` accepted (Clari: 10000) */
  maxSkip: number;
  now: () => Date;
}

type Query = Record<string, string | string[] | undefined>;

const CALL_TYPES = new Set([
  'ZOOM', 'GOOGLE_MEET', 'FRESHCALLER', 'AIRCALL_RECORDING', 'RINGCENTRAL', 'GOTO_MEETING', 'OUTREACH', 'HUBSPOT',
  'BLUE_JEANS', 'SALESLOFT', 'MS_TEAMS', 'DIALPAD', 'FRONTSPIN', 'TALKDESK',
]);
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;
/** how far ahead any listing reaches (scheduled calls): nothing exists past it, whatever the filter says */
const FUTURE_MS = 30 * 86_400_000;

function badRequest(message: string): never {
  throw new SimulatorHttpError(400, message);
}

function single(q: Query, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) badRequest(`${name} should be passed once`);
  return v;
}

function many(q: Query, name: string): string[] | undefined {
  const v = q[name] ?? q[`${name}[]`];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v : [v];
}

function integer(q: Query, name: string, min: number, max: number, fallback?: number): number | undefined {
  const v = single(q, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) badRequest(`${name} should be an integer between ${min} and ${max}`);
  return Number(v);
}

function instant(q: Query, name: string): number | undefined {
  const v = single(q, name);
  if (v === undefined) return undefined;
  const t = ISO_DATE_TIME.test(v) ? DateTime.fromISO(v, { zone: 'UTC', setZone: true }) : undefined;
  if (!t?.isValid) badRequest(`${name} should be an ISO date-time, eg: 2020-01-01T00:00:00Z`);
  return t.toMillis();
}

function flag(q: Query, name: string, allowed: readonly string[], fallback: boolean): boolean {
  const v = single(q, name);
  if (v === undefined) return fallback;
  if (!allowed.includes(v)) badRequest(`${name} should be one of ${allowed.join(', ')}`);
  return v === 'true' || v === '1';
}

function order(q: Query, name: string): 'asc' | 'desc' | undefined {
  const v = single(q, name);
  if (v !== undefined && v !== 'asc' && v !== 'desc') badRequest(`${name} should be asc or desc`);
  return v;
}

export function registerClariRoutes(app: FastifyInstance, ctx: ClariRouteContext): void {
  const { dataset } = ctx;

  app.get('/users', async () => ({ users: dataset.users }));

  app.get('/calls', async (request) => {
    const q = request.query as Query;
    const nowMs = ctx.now().getTime();
    const skip = integer(q, 'skip', 0, ctx.maxSkip, 0)!;
    const limit = integer(q, 'limit', 1, 100, 25)!;
    const gt = instant(q, 'filterTimeGt');
    const lt = instant(q, 'filterTimeLt');
    const modifiedGt = instant(q, 'filterModifiedGt');
    const modifiedLt = instant(q, 'filterModifiedLt');
    const durationGt = integer(q, 'filterDurationGt', 0, 7200);
    const durationLt = integer(q, 'filterDurationLt', 0, 7200);
    const sortTime = order(q, 'sortTime');
    const sortProcessed = order(q, 'sortProcessed');
    const includePrivate = flag(q, 'includePrivate', ['true', 'false', '0', '1'], false);
    const includePagination = flag(q, 'includePagination', ['true', 'false'], true);
    const media = { audio: flag(q, 'includeAudio', ['true', 'false'], false), video: flag(q, 'includeVideo', ['true', 'false'], false) };
    const statuses = many(q, 'filterStatus');
    for (const s of statuses ?? []) if (!CALL_STATUSES.includes(s)) badRequest(`filterStatus: '${s}' is not a call status`);
    const types = many(q, 'filterType');
    for (const t of types ?? []) if (!CALL_TYPES.has(t)) badRequest(`filterType: '${t}' is not a call type`);
    const users = many(q, 'filterUser')?.map((e) => e.toLowerCase());
    const attendees = many(q, 'filterAttendees')?.map((e) => e.toLowerCase());
    const sourceIds = many(q, 'filterSourceId');
    // topics are not simulated: a topic filter matches no call
    const topics = many(q, 'filterTopics');

    let calls = dataset.callsBetween(gt ?? -Infinity, Math.min(lt ?? Infinity, nowMs + FUTURE_MS)).filter((c) => includePrivate || !c.isPrivate);
    const json = new Map<ClariSimCall, Record<string, unknown>>();
    const view = (c: ClariSimCall): Record<string, unknown> => {
      let j = json.get(c);
      if (!j) json.set(c, (j = dataset.callJson(c, nowMs, media)));
      return j;
    };
    if (statuses) calls = calls.filter((c) => statuses.includes(dataset.status(c, nowMs)));
    if (types) calls = calls.filter((c) => types.includes(view(c).type as string));
    if (sourceIds) calls = calls.filter((c) => sourceIds.includes(view(c).source_id as string));
    if (topics) calls = [];
    if (users) {
      calls = calls.filter((c) => (view(c).users as Array<{ userEmail: string }>).some((u) => users.includes(u.userEmail.toLowerCase())));
    }
    if (attendees) {
      calls = calls.filter((c) =>
        (view(c).externalParticipants as Array<{ email?: string }>).some((p) => p.email && attendees.includes(p.email.toLowerCase())),
      );
    }
    if (durationGt !== undefined) calls = calls.filter((c) => c.gong.metaData.duration >= durationGt);
    if (durationLt !== undefined) calls = calls.filter((c) => c.gong.metaData.duration <= durationLt);
    const modified = (c: ClariSimCall): number => Date.parse(view(c).last_modified_time as string);
    if (modifiedGt !== undefined) calls = calls.filter((c) => modified(c) >= modifiedGt);
    if (modifiedLt !== undefined) calls = calls.filter((c) => modified(c) <= modifiedLt);
    if (sortProcessed) {
      calls = [...calls].sort((a, b) => (modified(a) - modified(b)) * (sortProcessed === 'asc' ? 1 : -1));
    } else if (sortTime !== 'asc') {
      calls = [...calls].reverse(); // newest first unless asked otherwise
    }

    const page = calls.slice(skip, skip + Math.min(limit, ctx.pageSize));
    return {
      calls: page.map(view),
      ...(includePagination
        ? { pagination: { matched: calls.length, hasMore: skip + page.length < calls.length, nextPageSkip: skip + page.length } }
        : {}),
    };
  });

  app.get('/call-details', async (request) => {
    const q = request.query as Query;
    const id = single(q, 'id');
    if (!id) badRequest('id is required');
    const media = { audio: flag(q, 'includeAudio', ['true', 'false'], false), video: flag(q, 'includeVideo', ['true', 'false'], false) };
    const call = dataset.call(id);
    if (!call) throw new SimulatorHttpError(404, `Call not found for id ${id}`);
    return { call: dataset.detailsJson(call, ctx.now().getTime(), media) };
  });
}
