import type { DateTime } from 'luxon';
import type { UpstreamClient } from '../../upstream/client.js';
import { INSTANT_NATIVE_SOURCE, type NativeBucketQuery, type NativeBucketResult, type NativeInteractions } from '../types.js';
import { firefliesQuery } from './graphql.js';
import { hasActivity, mapFfUserAnalytics } from './mappers.js';
import { AnalyticsData } from './schemas.js';

/**
 * `analytics(start_time, end_time)` — https://docs.fireflies.ai/graphql-api/query/analytics: team
 * and per-user conversation stats over any ISO 8601 window. There is no period argument, so the
 * service asks once per bucket; and there is no company time zone, so buckets are cut in any zone.
 * Only one standard metric exists there (longest monologue): the default metrics source for
 * Fireflies stays `computed`, and `metrics_source=native` serves these numbers.
 */
const USER_CONVERSATION_FIELDS = [
  'talk_listen_pct',
  'talk_listen_ratio',
  'total_silence_duration',
  'total_silence_pct',
  'total_silence_ratio',
  'total_speak_duration',
  'total_speak_duration_with_user',
  'total_word_count',
  'user_filler_words',
  'user_longest_monologue_sec',
  'user_monologues_count',
  'user_questions',
  'user_speak_duration',
  'user_word_count',
  'user_words_per_minute',
].join(' ');

const ANALYTICS_QUERY = `query Analytics($startTime: String, $endTime: String) {
  analytics(start_time: $startTime, end_time: $endTime) {
    users {
      user_id user_name user_email
      conversation { ${USER_CONVERSATION_FIELDS} }
      meeting { count duration }
    }
  }
}`;

/**
 * The documented example asks for January as "2024-01-01T00:00:00Z" to "2024-01-31T23:59:59Z": the
 * end reads as inclusive. Parley's buckets are [start, end), so the last millisecond before the end
 * is sent.
 */
function inclusiveEnd(end: DateTime): string {
  return end.toUTC().minus({ milliseconds: 1 }).toISO() as string;
}

export function firefliesNativeInteractions(http: UpstreamClient): NativeInteractions {
  return {
    ...INSTANT_NATIVE_SOURCE,
    async listBucket(q: NativeBucketQuery): Promise<NativeBucketResult> {
      const data = await firefliesQuery(
        http,
        { name: 'Analytics', query: ANALYTICS_QUERY, variables: { startTime: q.start.toUTC().toISO(), endTime: inclusiveEnd(q.end) } },
        AnalyticsData,
      );
      // The query has no user filter: a users[][id] filter is applied to its answer.
      const wanted = q.userIds && q.userIds.length > 0 ? new Set(q.userIds) : undefined;
      const records = (data.analytics?.users ?? [])
        .filter((row) => hasActivity(row) && (!wanted || wanted.has(String(row.user_id))))
        .map((row) => mapFfUserAnalytics(row));
      return { records };
    },
  };
}
