import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { SimulatorHttpError } from '../shared/simulator-http.js';
import type { SimulatedCall } from '../gong/dataset.js';
import type { ChorusDataset } from './dataset.js';

/**
 * Chorus's routes as Parley reads them (https://chorus.ai/api/openapi.json):
 * - GET /v3/users — "returns all users"; the body shape is undocumented: `{"users": [...]}` here;
 * - GET /v3/engagements — flat filters, `{continuation_key, engagements}`; the continuation key is
 *   the one the spec's example shows ("<date_time>.0 <engagement_id>" of the last record), a keyset:
 *   the next page starts after that record, so the client must repeat the same filters;
 * - GET /api/v1/conversations/{id} — JSON:API `RecordingDoc` with sparse fieldsets (`fields`).
 */

const ENGAGEMENT_TYPES = ['meeting', 'dialer', 'email', 'content_viewed', 'unrecorded_meeting'] as const;

/** The `fields` values the spec lists for conversations. */
const CONVERSATION_FIELDS = new Set([
  'account', 'company_name', '_created_at', '_modified_at', 'deal', 'disposition', 'language', 'metrics', 'meeting.id', 'name',
  'owner', 'owner.email', 'participants', 'private', 'recording', 'recording.audio_only', 'recording.autojoin',
  'recording.autojoin_reason', 'recording.clusters', 'recording.duration', 'recording.end_reason', 'recording.recordable',
  'recording.schedule_end_time', 'recording.schedule_start_time', 'recording.start_time', 'recording.thumbnails',
  'recording.trackers', 'recording.utterances', 'source', 'status', 'user_company_name',
]);

export interface ChorusRouteOptions {
  dataset: ChorusDataset;
  pageSize: number;
  now: () => number;
}

type Query = Record<string, string | string[] | undefined>;

function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (Array.isArray(v)) throw new SimulatorHttpError(400, `${name}: given more than once`);
  return v === '' ? undefined : v;
}

function dateParam(query: Query, name: string): number | undefined {
  const v = single(query, name);
  if (v === undefined) return undefined;
  const t = DateTime.fromISO(v, { setZone: true });
  if (!t.isValid || !/T/.test(v)) throw new SimulatorHttpError(400, `${name}: "${v}" is not an ISO 8601 date-time`);
  return t.toMillis();
}

function csv(query: Query, name: string): Set<string> | undefined {
  const v = single(query, name);
  return v === undefined ? undefined : new Set(v.split(',').map((s) => s.trim()).filter(Boolean));
}

export function registerChorusRoutes(app: FastifyInstance, opts: ChorusRouteOptions): void {
  const { dataset } = opts;

  app.get('/v3/users', async () => ({ users: dataset.users }));

  app.get('/v3/engagements', async (request) => {
    const query = request.query as Query;
    const nowMs = opts.now();
    const type = single(query, 'engagement_type');
    if (type !== undefined && !(ENGAGEMENT_TYPES as readonly string[]).includes(type)) {
      throw new SimulatorHttpError(400, `engagement_type: must be one of ${ENGAGEMENT_TYPES.join(', ')}`);
    }
    const min = dateParam(query, 'min_date');
    const max = dateParam(query, 'max_date');
    const ids = csv(query, 'engagement_id');
    const owners = csv(query, 'user_id');
    const withTrackers = single(query, 'with_trackers') === 'true';
    const key = single(query, 'continuation_key');
    let after: { at: number; id: string } | undefined;
    if (key !== undefined) {
      const m = /^(\d+(?:\.\d+)?) ([0-9A-F]{32})$/.exec(key);
      if (!m) throw new SimulatorHttpError(400, 'continuation_key: not a continuation key returned by this API');
      after = { at: Number(m[1]), id: m[2]! };
    }

    let calls: SimulatedCall[];
    if (ids) {
      calls = [...ids].map((id) => dataset.callOf(id)).filter((c): c is SimulatedCall => c !== undefined && dataset.state(c, nowMs) !== 'hidden');
    } else {
      // Without a lower bound the listing starts at the first recorded day; without an upper bound, now.
      calls = dataset.conversationsBetween(min ?? 0, max ?? nowMs, nowMs);
    }
    // Only recorded conversations exist in this tenant: emails and other activity types list nothing.
    const rows = calls
      .filter((c) => type === undefined || type === (dataset.isDialer(c) ? 'dialer' : 'meeting'))
      .filter((c) => (min === undefined || c.startedAt >= min) && (max === undefined || c.startedAt <= max))
      .filter((c) => !owners || owners.has(String(dataset.userOfGong(c.metaData.primaryUserId)?.id)))
      .map((c) => ({ call: c, at: c.startedAt / 1000, id: dataset.engagementId(c) }))
      .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .filter((r) => !after || r.at > after.at || (r.at === after.at && r.id > after.id));
    const page = rows.slice(0, opts.pageSize);
    const last = page[page.length - 1];
    return {
      ...(rows.length > page.length && last ? { continuation_key: `${last.at.toFixed(1)} ${last.id}` } : {}),
      engagements: page.map((r) => dataset.engagement(r.call, nowMs, withTrackers)),
    };
  });

  app.get('/api/v1/conversations/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const query = request.query as Query;
    const fields = csv(query, 'fields');
    for (const f of fields ?? []) {
      if (!CONVERSATION_FIELDS.has(f)) throw new SimulatorHttpError(400, `fields: "${f}" is not a conversation field`);
    }
    const call = dataset.callOf(id);
    if (!call || dataset.state(call, opts.now()) === 'hidden') throw new SimulatorHttpError(404, `conversation ${id} not found`);
    const attributes = sparse(dataset.conversation(call, opts.now()), fields);
    reply.type('application/vnd.api+json');
    return { data: { type: 'recording', id, attributes } };
  });
}

/** JSON:API sparse fieldsets: `recording` alone is the whole recording, `recording.x` picks parts of it. */
function sparse(attributes: Record<string, unknown>, fields: Set<string> | undefined): Record<string, unknown> {
  if (!fields) return attributes;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const [head, sub] = f.split('.', 2) as [string, string | undefined];
    const value = attributes[head];
    if (sub === undefined || value === null || typeof value !== 'object') {
      out[head] = value;
      continue;
    }
    if (fields.has(head)) continue;
    const part = (out[head] as Record<string, unknown> | undefined) ?? {};
    part[sub] = (value as Record<string, unknown>)[sub];
    out[head] = part;
  }
  return out;
}
