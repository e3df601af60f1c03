import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { pathOf } from '../shared/simulator-http.js';
import type { AvomaDataset, AvomaMeetingEntry } from './dataset.js';

/**
 * Avoma's read routes as https://dev.avoma.com (OpenAPI: https://dev.avoma.com/openapi.yml)
 * describes them, with the behaviour of the Django REST Framework they are served by: paths end in
 * a slash (a path without one is redirected), list pages are `{count, next, previous, results}`
 * with absolute `next`/`previous` URLs and `page`/`page_size`, a page past the end is
 * 404 `{"detail": "Invalid page."}`, invalid query fields are 400 `{"<field>": ["<error>"]}`.
 */

export interface AvomaRouteContext {
  dataset: AvomaDataset;
  /** the cap on `page_size` (Avoma documents 100) */
  maxPageSize: number;
  now: () => Date;
  /** origin written into `next`/`previous`; default: the origin the request was sent to */
  linkOrigin?: string;
}

type Query = Record<string, string | string[] | undefined>;

const DEFAULT_PAGE_SIZE = 10;
/** how far ahead the calendar knows scheduled meetings: a listing reaches no further than this past now */
const SCHEDULED_HORIZON_MS = 30 * 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

class FieldErrors extends Error {
  constructor(readonly fields: Record<string, string[]>) {
    super('invalid query');
  }
}

class Detail extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

function one(q: Query, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** Django's DateTimeField: a date-time (naive = UTC, the docs' "date-time(UTC)") or a date alone. */
function dateTimeField(q: Query, name: string, errors: Record<string, string[]>): number | undefined {
  const raw = one(q, name);
  if (raw === undefined || raw === '') {
    errors[name] = ['This field is required.'];
    return undefined;
  }
  const value = raw.replace(' ', 'T');
  const parsed = DATE_ONLY.test(raw) || DATE_TIME.test(raw) ? DateTime.fromISO(value, { zone: 'utc', setZone: true }) : undefined;
  if (!parsed?.isValid) {
    errors[name] = ['Enter a valid date/time.'];
    return undefined;
  }
  return parsed.toMillis();
}

function booleanField(q: Query, name: string, errors: Record<string, string[]>): boolean | undefined {
  const raw = one(q, name);
  if (raw === undefined || raw === '') return undefined;
  if (['true', 'True', '1'].includes(raw)) return true;
  if (['false', 'False', '0'].includes(raw)) return false;
  errors[name] = ['Must be a valid boolean.'];
  return undefined;
}

function range(q: Query): { from: number; to: number } {
  const errors: Record<string, string[]> = {};
  const from = dateTimeField(q, 'from_date', errors);
  const to = dateTimeField(q, 'to_date', errors);
  if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
  return { from: from!, to: to! };
}

/** DRF PageNumberPagination: `page` 1-based, `page_size` capped, absolute links. */
function paginate<T>(
  request: FastifyRequest,
  ctx: AvomaRouteContext,
  items: readonly T[],
): { count: number; next: string | null; previous: string | null; results: T[] } {
  const q = request.query as Query;
  const requested = Number(one(q, 'page_size'));
  const size = Number.isInteger(requested) && requested > 0 ? Math.min(requested, ctx.maxPageSize) : Math.min(DEFAULT_PAGE_SIZE, ctx.maxPageSize);
  const pages = Math.max(1, Math.ceil(items.length / size));
  const rawPage = one(q, 'page');
  const page = rawPage === undefined ? 1 : rawPage === 'last' ? pages : Number(rawPage);
  if (!Number.isInteger(page) || page < 1 || page > pages) throw new Detail(404, 'Invalid page.');
  const link = (n: number): string => {
    const origin = ctx.linkOrigin ?? `${request.protocol}://${request.headers.host ?? request.hostname}`;
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) for (const x of Array.isArray(v) ? v : [v]) if (x !== undefined && k !== 'page') params.append(k, x);
    if (n > 1) params.set('page', String(n));
    const search = params.toString();
    return `${origin}${pathOf(request.url)}${search ? `?${search}` : ''}`;
  };
  return {
    count: items.length,
    next: page < pages ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: items.slice((page - 1) * size, page * size),
  };
}

function byStart(order: string | undefined) {
  const sign = order === 'start_at' ? 1 : -1; // default `-start_at`, newest first
  return (a: AvomaMeetingEntry, b: AvomaMeetingEntry) => sign * (a.scheduledAt - b.scheduledAt) || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0);
}

/** Filters shared by the meetings and transcriptions listings. */
function selectMeetings(ctx: AvomaRouteContext, q: Query, asOf: number): AvomaMeetingEntry[] {
  const { from, to } = range(q);
  const errors: Record<string, string[]> = {};
  const isCall = booleanField(q, 'is_call', errors);
  const isInternal = booleanField(q, 'is_internal', errors);
  if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
  const emails = one(q, 'attendee_emails')?.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
  const minDuration = one(q, 'recording_duration__gte');
  // Nothing exists after the calendar's horizon, whatever to_date says.
  let entries = ctx.dataset.meetingsBetween(from, Math.min(to, asOf + SCHEDULED_HORIZON_MS));
  if (isCall !== undefined || isInternal !== undefined || emails?.length || minDuration !== undefined) {
    entries = entries.filter((e) => {
      const m = ctx.dataset.meeting(e, asOf);
      if (isCall !== undefined && m.is_call !== isCall) return false;
      if (isInternal !== undefined && m.is_internal !== isInternal) return false;
      if (emails?.length && !m.attendees.some((a) => emails.includes(a.email.toLowerCase()))) return false;
      if (minDuration !== undefined && !(m.duration !== null && m.duration >= Number(minDuration))) return false;
      return true;
    });
  }
  return entries;
}

/** Registers the routes in their own scope, whose error handler answers in Avoma's bodies. */
export function registerAvomaRoutes(root: FastifyInstance, ctx: AvomaRouteContext): void {
  void root.register(async (app) => avomaRoutes(app, ctx));
}

async function avomaRoutes(app: FastifyInstance, ctx: AvomaRouteContext): Promise<void> {
  const { dataset } = ctx;
  const asOf = (): number => ctx.now().getTime();

  app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
    if (error instanceof FieldErrors) return reply.code(400).send(error.fields);
    if (error instanceof Detail) return reply.code(error.status).send({ detail: error.detail });
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error(error);
    return reply.code(status).send({ detail: status >= 500 ? 'A server error occurred.' : error.message });
  });

  // Django's APPEND_SLASH: a GET without the trailing slash is redirected to it.
  const redirectToSlash = async (request: FastifyRequest, reply: FastifyReply) => {
    const q = request.url.indexOf('?');
    const target = `${pathOf(request.url)}/${q >= 0 ? request.url.slice(q) : ''}`;
    return reply.code(301).header('location', target).send();
  };
  for (const path of ['/v1/users', '/v1/users/:uuid', '/v1/meetings', '/v1/meetings/:uuid', '/v1/transcriptions', '/v1/transcriptions/:uuid']) {
    app.get(path, redirectToSlash);
  }

  // https://dev.avoma.com/#tag/Users — a bare array, no pagination.
  app.get('/v1/users/', async () => dataset.users);

  app.get('/v1/users/:uuid/', async (request) => {
    const user = dataset.user((request.params as { uuid: string }).uuid);
    if (!user) throw new Detail(404, 'Not found.');
    return user;
  });

  // https://dev.avoma.com/#tag/Meetings — from_date/to_date required and inclusive on start_at.
  app.get('/v1/meetings/', async (request) => {
    const q = request.query as Query;
    const now = asOf();
    const entries = selectMeetings(ctx, q, now).sort(byStart(one(q, 'o')));
    const page = paginate(request, ctx, entries);
    return { ...page, results: page.results.map((e) => dataset.meeting(e, now)) };
  });

  app.get('/v1/meetings/:uuid/', async (request) => {
    const entry = dataset.meetingEntry((request.params as { uuid: string }).uuid);
    if (!entry) throw new Detail(404, 'Not found.');
    return dataset.meeting(entry, asOf());
  });

  // https://dev.avoma.com/#tag/Transcriptions — with meeting_uuid: that meeting's transcription,
  // "directly" (an array of one, as the schema shows); without: a page over a date range.
  app.get('/v1/transcriptions/', async (request) => {
    const q = request.query as Query;
    const now = asOf();
    const meetingUuid = one(q, 'meeting_uuid');
    if (meetingUuid !== undefined) {
      const entry = dataset.meetingEntry(meetingUuid);
      if (!entry) throw new Detail(404, 'Not found.');
      const t = dataset.transcription(entry, now);
      return t ? [t] : [];
    }
    const entries = selectMeetings(ctx, q, now)
      .filter((e) => dataset.transcriptReady(e.call, now))
      .sort(byStart(undefined));
    const page = paginate(request, ctx, entries);
    return { ...page, results: page.results.map((e) => dataset.transcription(e, now)!) };
  });

  app.get('/v1/transcriptions/:uuid/', async (request) => {
    const entry = dataset.meetingOfTranscription((request.params as { uuid: string }).uuid);
    const t = entry ? dataset.transcription(entry, asOf()) : undefined;
    if (!t) throw new Detail(404, 'Not Found');
    return t;
  });
}
