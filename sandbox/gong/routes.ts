import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { filterFingerprint, type PagingCursors } from '../shared/paging-cursor.js';
import { SimulatorHttpError } from '../shared/simulator-http.js';
import type { GongDataset, GongUserMetadata, SimulatedCall } from './dataset.js';
import { callInteractionStats } from './native-stats.js';
import { registerGongActivityRoutes } from './activity-routes.js';
import type { GongActivityWorld } from './activity.js';

/**
 * Gong's read routes as its OpenAPI document and help pages describe them
 * (https://gong.app.gong.io/settings/api/documentation). Requests reaching a handler are
 * authenticated, within rate limits and (unless disabled) valid against the document; the
 * handlers still check what the document cannot express (date formats, ranges, cursors) and
 * stay safe on unvalidated input.
 */

export interface GongRouteContext {
  dataset: GongDataset;
  /** records per page on every paged route */
  pageSize: number;
  now: () => Date;
  cursors: PagingCursors;
  requestIdOf(request: FastifyRequest): string | undefined;
}

type Json = Record<string, unknown>;

interface Records {
  totalRecords: number;
  currentPageSize: number;
  currentPageNumber: number;
  cursor?: string;
}

const NO_CALLS = 'No calls found corresponding to the provided filters';
const NO_STATS = 'No stats found for the specified period';
const NO_USERS = 'No users found corresponding to the provided filters';
const ID_SETS = new Set(['userIds', 'callIds', 'primaryUserIds']);
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function badRequest(message: string): never {
  throw new SimulatorHttpError(400, message);
}

function parseDate(value: unknown, field: string): string {
  if (typeof value !== 'string') badRequest(`${field} is required (a date in YYYY-MM-DD format)`);
  if (!DATE_ONLY.test(value) || !DateTime.fromISO(value).isValid) badRequest(`${field}: '${value}' is not a valid date in YYYY-MM-DD format`);
  return value;
}

/** Gong takes ISO-8601 date-times with an offset ('2018-02-18T02:30:00-07:00' or '…Z'). */
function parseInstant(value: unknown, field: string): number {
  const parsed = typeof value === 'string' && DATE_TIME_WITH_OFFSET.test(value) ? DateTime.fromISO(value, { setZone: true }) : undefined;
  if (!parsed?.isValid) {
    badRequest(`${field}: '${String(value)}' is not an ISO-8601 date-time with an offset, e.g. 2018-02-18T02:30:00-07:00 or 2018-02-18T08:00:00Z`);
  }
  return parsed.toMillis();
}

function optionalInstant(value: unknown, field: string): number | undefined {
  return value === undefined || value === null ? undefined : parseInstant(value, field);
}

function idList(value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) badRequest(`${field} must be an array of id strings`);
  return value as string[];
}

export function registerGongRoutes(app: FastifyInstance, ctx: GongRouteContext): GongActivityWorld {
  const { dataset } = ctx;
  const nowMs = (): number => ctx.now().getTime();

  /** One page of `list(asOf)`, following or issuing a cursor bound to `route` and `filter`. */
  function paginate<T>(route: string, filter: unknown, cursor: unknown, list: (asOf: number) => readonly T[]): { records: Records; items: T[] } {
    const fingerprint = filterFingerprint(filter, ID_SETS);
    let offset = 0;
    let page = 0;
    let asOf = nowMs();
    if (cursor !== undefined && cursor !== null && cursor !== '') {
      if (typeof cursor !== 'string') badRequest('cursor must be a string');
      const read = ctx.cursors.read(cursor, route, fingerprint);
      if ('problem' in read) {
        badRequest(
          read.problem === 'filter-changed'
            ? 'The cursor does not match the request: repeat the call with the same inputs, changing only the cursor'
            : read.problem === 'other-route'
              ? 'The cursor belongs to another endpoint'
              : 'Invalid cursor',
        );
      }
      ({ offset, page, asOf } = read.state);
    }
    const all = list(asOf);
    const items = all.slice(offset, offset + ctx.pageSize);
    const records: Records = { totalRecords: all.length, currentPageSize: items.length, currentPageNumber: page };
    if (offset + items.length < all.length) {
      records.cursor = ctx.cursors.issue({ route, filter: fingerprint, offset: offset + items.length, page: page + 1, asOf });
    }
    return { records, items };
  }

  const existingUsers = (asOf: number, includeAvatars: boolean): GongUserMetadata[] =>
    [...dataset.users, ...(includeAvatars ? dataset.avatars : [])].filter((u) => Date.parse(u.created) <= asOf);

  // https://gong.app.gong.io/settings/api/documentation#get-/v2/users
  app.get('/v2/users', async (request) => {
    const query = request.query as Json;
    const includeAvatars = query.includeAvatars === 'true';
    const { records, items } = paginate('GET /v2/users', { includeAvatars }, query.cursor, (asOf) => existingUsers(asOf, includeAvatars));
    return { requestId: ctx.requestIdOf(request), records, users: items };
  });

  // https://gong.app.gong.io/settings/api/documentation#get-/v2/users/-id-
  app.get('/v2/users/:id', async (request) => {
    const { id } = request.params as { id: string };
    const user = dataset.user(id);
    if (!user || Date.parse(user.created) > nowMs()) throw new SimulatorHttpError(404, 'User not found');
    return { requestId: ctx.requestIdOf(request), user };
  });

  // https://gong.app.gong.io/settings/api/documentation#post-/v2/users/extensive
  app.post('/v2/users/extensive', async (request) => {
    const body = asObject(request.body);
    const filter = asObject(body.filter);
    const userIds = idList(filter.userIds, 'filter.userIds');
    const createdFrom = optionalInstant(filter.createdFromDateTime, 'filter.createdFromDateTime');
    const createdTo = optionalInstant(filter.createdToDateTime, 'filter.createdToDateTime');
    const includeAvatars = filter.includeAvatars === true;
    const { records, items } = paginate('POST /v2/users/extensive', filter, body.cursor, (asOf) =>
      existingUsers(asOf, includeAvatars).filter((u) => {
        const created = Date.parse(u.created);
        return (!userIds || userIds.includes(u.id)) && (createdFrom === undefined || created >= createdFrom) && (createdTo === undefined || created < createdTo);
      }),
    );
    if (records.totalRecords === 0) throw new SimulatorHttpError(404, NO_USERS);
    return { requestId: ctx.requestIdOf(request), records, users: items };
  });

  // https://gong.app.gong.io/settings/api/documentation#post-/v2/stats/interaction
  // Dates are calendar days in the company zone, [fromDate, toDate); toDate may not be after today.
  app.post('/v2/stats/interaction', async (request) => {
    const body = asObject(request.body);
    const filter = asObject(body.filter);
    const fromDate = parseDate(filter.fromDate, 'filter.fromDate');
    const toDate = parseDate(filter.toDate, 'filter.toDate');
    if (fromDate >= toDate) badRequest(`filter.fromDate (${fromDate}) must be earlier than filter.toDate (${toDate})`);
    const today = dataset.localDate(ctx.now());
    if (toDate > today) badRequest(`filter.toDate (${toDate}) must not be later than the current day (${today} in ${dataset.timeZone})`);
    const userIds = idList(filter.userIds, 'filter.userIds');
    const createdFrom = optionalInstant(filter.createdFromDateTime, 'filter.createdFromDateTime');
    const createdTo = optionalInstant(filter.createdToDateTime, 'filter.createdToDateTime');
    const { records, items } = paginate('POST /v2/stats/interaction', filter, body.cursor, (asOf) =>
      dataset.interactionStats({
        fromDate,
        toDate,
        asOf,
        ...(userIds ? { userIds } : {}),
        ...(createdFrom !== undefined ? { createdFrom } : {}),
        ...(createdTo !== undefined ? { createdTo } : {}),
      }),
    );
    if (records.totalRecords === 0) throw new SimulatorHttpError(404, NO_STATS);
    return {
      requestId: ctx.requestIdOf(request),
      records,
      timeZone: dataset.timeZone,
      fromDateTime: dataset.formatInstant(dataset.startOfDay(fromDate)),
      toDateTime: dataset.formatInstant(dataset.startOfDay(toDate)),
      peopleInteractionStats: items,
    };
  });

  /**
   * Calls matching a Gong calls filter that had ended by `asOf` (Gong only knows a call once it
   * is over), by start time. Without `fromDateTime` the list starts with the earliest call;
   * without `toDateTime` it ends with the most recent one.
   */
  function selectCalls(filter: Json, asOf: number, withHosts: boolean): SimulatedCall[] {
    const explicitFrom = optionalInstant(filter.fromDateTime, 'filter.fromDateTime');
    const explicitTo = optionalInstant(filter.toDateTime, 'filter.toDateTime');
    if (explicitFrom !== undefined && explicitTo !== undefined && explicitFrom >= explicitTo) {
      badRequest('filter.fromDateTime must be earlier than filter.toDateTime');
    }
    const callIds = idList(filter.callIds, 'filter.callIds');
    const hosts = withHosts ? idList(filter.primaryUserIds, 'filter.primaryUserIds') : undefined;
    const workspaceId = filter.workspaceId;
    if (workspaceId !== undefined && workspaceId !== null && workspaceId !== dataset.workspaceId) return [];
    const from = explicitFrom ?? dataset.startOfDay(dataset.historyStart);
    const to = Math.min(explicitTo ?? asOf, asOf);
    let calls: SimulatedCall[];
    if (callIds) {
      calls = [...new Set(callIds)]
        .map((id) => dataset.call(id))
        .filter((c): c is SimulatedCall => c !== undefined && c.startedAt >= from && c.startedAt < to)
        .sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
    } else {
      calls = [...dataset.callsBetween(from, to)];
    }
    return calls.filter((c) => c.endedAt <= asOf && (!hosts || hosts.includes(c.metaData.primaryUserId)));
  }

  // https://gong.app.gong.io/settings/api/documentation#get-/v2/calls
  app.get('/v2/calls', async (request) => {
    const query = request.query as Json;
    const filter = { fromDateTime: query.fromDateTime, toDateTime: query.toDateTime, workspaceId: query.workspaceId };
    const { records, items } = paginate('GET /v2/calls', filter, query.cursor, (asOf) => selectCalls(filter, asOf, false));
    if (records.totalRecords === 0) throw new SimulatorHttpError(404, NO_CALLS);
    return { requestId: ctx.requestIdOf(request), records, calls: items.map((c) => dataset.metaDataAt(c, nowMs())) };
  });

  // https://gong.app.gong.io/settings/api/documentation#get-/v2/calls/-id-
  app.get('/v2/calls/:id', async (request) => {
    const { id } = request.params as { id: string };
    const call = dataset.call(id);
    if (!call || call.endedAt > nowMs()) throw new SimulatorHttpError(404, 'Call ID was not found');
    return { requestId: ctx.requestIdOf(request), call: dataset.metaDataAt(call, nowMs()) };
  });

  // https://gong.app.gong.io/settings/api/documentation#post-/v2/calls/extensive
  app.post('/v2/calls/extensive', async (request) => {
    const body = asObject(request.body);
    const filter = asObject(body.filter);
    const selector = asObject(body.contentSelector);
    const { records, items } = paginate('POST /v2/calls/extensive', filter, body.cursor, (asOf) => selectCalls(filter, asOf, true));
    if (records.totalRecords === 0) throw new SimulatorHttpError(404, NO_CALLS);
    return { requestId: ctx.requestIdOf(request), records, calls: items.map((call) => extensiveCall(dataset, call, selector, nowMs())) };
  });

  // https://gong.app.gong.io/settings/api/documentation#post-/v2/calls/transcript
  app.post('/v2/calls/transcript', async (request) => {
    const body = asObject(request.body);
    const filter = asObject(body.filter);
    // a call is transcribed minutes to hours after it ends: until then this endpoint leaves it out
    const { records, items } = paginate('POST /v2/calls/transcript', filter, body.cursor, (asOf) =>
      selectCalls(filter, asOf, false).filter((c) => c.transcriptReadyAt <= asOf),
    );
    if (records.totalRecords === 0) throw new SimulatorHttpError(404, NO_CALLS);
    return {
      requestId: ctx.requestIdOf(request),
      records,
      callTranscripts: items.map((call) => ({ callId: call.id, transcript: dataset.transcript(call) })),
    };
  });

  return registerGongActivityRoutes(app, ctx, paginate);
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Gong's `CallData`: metadata always, everything else only when `contentSelector` asks for it. */
function extensiveCall(dataset: GongDataset, call: SimulatedCall, selector: Json, asOf: number): Json {
  const exposed = asObject(selector.exposedFields);
  const out: Json = { metaData: dataset.metaDataAt(call, asOf) };
  if (selector.context === 'Basic' || selector.context === 'Extended') out.context = []; // the sandbox has no CRM
  if (exposed.parties === true) out.parties = call.parties;

  const content = asObject(exposed.content);
  if (content.topics === true) {
    const seconds = new Map<string, number>();
    for (const u of dataset.utterances(call)) {
      if (u.topic) seconds.set(u.topic, (seconds.get(u.topic) ?? 0) + (u.end - u.start) / 1000);
    }
    out.content = { topics: [...seconds].map(([name, duration]) => ({ name, duration: Math.round(duration) })) };
  }

  const interaction = asObject(exposed.interaction);
  if (interaction.speakers === true || interaction.personInteractionStats === true || interaction.questions === true || interaction.video === true) {
    const stats = dataset.callStats(call);
    const measures: Json = {};
    if (interaction.speakers === true) {
      measures.speakers = call.parties
        .filter((p) => p.speakerId !== undefined && (stats.talkTimeSeconds.get(p.speakerId) ?? 0) > 0)
        .map((p) => ({ id: p.id, ...(p.userId ? { userId: p.userId } : {}), talkTime: round2(stats.talkTimeSeconds.get(p.speakerId as string) ?? 0) }));
    }
    if (interaction.video === true) {
      measures.video =
        call.metaData.media === 'Video'
          ? [
              { name: 'WebcamPrimaryUser', duration: Math.round(call.metaData.duration * 0.8) },
              { name: 'Presentation', duration: Math.round(call.metaData.duration * 0.35) },
            ]
          : [];
    }
    if (interaction.personInteractionStats === true) measures.interactionStats = callInteractionStats(stats.users.get(call.metaData.primaryUserId));
    if (interaction.questions === true) measures.questions = stats.questions;
    out.interaction = measures;
  }

  if (asObject(exposed.collaboration).publicComments === true) out.collaboration = { publicComments: [] };
  if (exposed.media === true) {
    const base = `https://media.sandbox.gong.example/calls/${call.id}`;
    out.media = { audioUrl: `${base}/audio.mp3`, ...(call.metaData.media === 'Video' ? { videoUrl: `${base}/video.mp4` } : {}) };
  }
  return out;
}
