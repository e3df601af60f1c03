import type { DateTime } from 'luxon';
import { BadRequestError } from '../../domain/errors.js';
import type { Meeting } from '../../domain/resources.js';
import type { UpstreamClient } from '../../upstream/client.js';
import type { MeetingsQuery, MeetingsReader, VendorPage } from '../types.js';
import { chorusGet, nextContinuation } from './paging.js';
import { ChorusEngagementsPage, type ChorusEngagement } from './schemas.js';
import { engagementNeedsDirectory, mapChorusEngagement } from './mappers.js';
import { chorusDirectory } from './users.js';

/**
 * GET /v3/engagements — https://api-docs.chorus.ai ("Get conversations"). Engagements are meetings,
 * dialer calls, emails and other activity; only the recorded conversations are meetings here, and
 * `engagement_type` takes one value, so the listing is one continuation run per type, in this order.
 */
export const CONVERSATION_ENGAGEMENT_TYPES = ['meeting', 'dialer'] as const;
const ENGAGEMENTS_PATH = '/v3/engagements';
const WHERE = `GET ${ENGAGEMENTS_PATH}`;

/** Chorus engagement and conversation ids are 32 hex characters; anything else is not sent upstream. */
export const ENGAGEMENT_ID = /^[0-9A-Za-z]{8,64}$/;

function iso(t: DateTime): string {
  return t.toUTC().toISO({ suppressMilliseconds: true })!;
}

/**
 * `min_date`/`max_date` are date-times; whether `max_date` is inclusive is not documented, so the
 * range sent is [start, end] and an engagement starting exactly at `end` (or, defensively, outside
 * the range) is dropped here to keep Parley's [start, end).
 */
function inRange(e: ChorusEngagement, q: MeetingsQuery): boolean {
  const ms = e.date_time * 1000;
  return (!q.start || ms >= q.start.toMillis()) && (!q.end || ms < q.end.toMillis());
}

/**
 * Parley's continuation for this listing: "<type index>:<Chorus continuation_key>", so that one
 * opaque string says which engagement type is being listed and where it stands.
 */
function readNext(next: string | undefined): { type: number; key?: string } {
  if (next === undefined) return { type: 0 };
  const m = /^(\d+):([\s\S]*)$/.exec(next);
  const type = m ? Number(m[1]) : NaN;
  if (!m || !(type >= 0 && type < CONVERSATION_ENGAGEMENT_TYPES.length)) {
    throw new BadRequestError('next_cursor is malformed; pass back the value of the previous page unchanged');
  }
  return { type, ...(m[2] ? { key: m[2] } : {}) };
}

async function mapEngagements(accountId: string, http: UpstreamClient, engagements: ChorusEngagement[]): Promise<Meeting[]> {
  const directory = engagements.some(engagementNeedsDirectory) ? await chorusDirectory(accountId, http) : undefined;
  return engagements.map((e) => mapChorusEngagement(e, directory));
}

export function chorusMeetings(accountId: string, http: UpstreamClient): MeetingsReader {
  return {
    async list(q, next): Promise<VendorPage<Meeting>> {
      const at = readNext(next);
      const type = CONVERSATION_ENGAGEMENT_TYPES[at.type]!;
      const page = (await chorusGet(
        http,
        {
          path: ENGAGEMENTS_PATH,
          query: {
            engagement_type: type,
            min_date: q.start ? iso(q.start) : undefined,
            max_date: q.end ? iso(q.end) : undefined,
            continuation_key: at.key,
          },
        },
        ChorusEngagementsPage,
      ))!;
      const key = nextContinuation(at.key, page.continuation_key, WHERE, page);
      const following = key !== undefined ? `${at.type}:${key}` : at.type + 1 < CONVERSATION_ENGAGEMENT_TYPES.length ? `${at.type + 1}:` : undefined;
      const records = await mapEngagements(accountId, http, page.engagements.filter((e) => inRange(e, q)));
      return { records, ...(following ? { next: following } : {}) };
    },
    async get(id) {
      if (!ENGAGEMENT_ID.test(id)) return undefined;
      const page = (await chorusGet(http, { path: ENGAGEMENTS_PATH, query: { engagement_id: id } }, ChorusEngagementsPage))!;
      const found = page.engagements.find(
        (e) => String(e.engagement_id) === id && (CONVERSATION_ENGAGEMENT_TYPES as readonly string[]).includes(e.engagement_type ?? 'meeting'),
      );
      return found ? (await mapEngagements(accountId, http, [found]))[0] : undefined;
    },
  };
}

