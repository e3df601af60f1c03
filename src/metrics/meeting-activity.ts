import type { Meeting } from '../domain/resources.js';
import type { ActivityMetrics } from '../domain/activity.js';
import { bucketIndexOf, type Bucket } from './buckets.js';

/**
 * Activity computed from meetings (CONTRACT.md "Activity", vendors without their own counters):
 * `calls_hosted` counts the meetings a user hosted (the meeting's host, else the attendee marked
 * host), `calls_attended` the meetings a company user took part in without hosting them (the same
 * meaning as Gong's `callsAttended`, so the numbers compare across vendors). Each meeting counts in
 * the bucket holding its start. Pure: the same meetings give the same numbers, live or stored.
 * When no meeting of the listing names its host (Grain names none), `calls_hosted` is not known and
 * is absent rather than 0.
 */
export interface MeetingActivityRow {
  bucket: number;
  user: { id: string; name?: string; email?: string };
  metrics: Pick<ActivityMetrics, 'calls_hosted'> & Required<Pick<ActivityMetrics, 'calls_attended'>>;
}

export function hostOf(m: Meeting): string | undefined {
  return m.host_user_id ?? m.attendees.find((a) => a.is_host && a.user_id)?.user_id;
}

export function meetingActivity(meetings: Iterable<Meeting>, buckets: readonly Bucket[], wanted?: ReadonlySet<string>): MeetingActivityRow[][] {
  const list = [...meetings];
  const hostsKnown = list.some((m) => hostOf(m) !== undefined);
  const perBucket: Map<string, MeetingActivityRow>[] = buckets.map(() => new Map());
  for (const m of list) {
    const b = bucketIndexOf(buckets, Date.parse(m.start_time));
    if (b < 0) continue;
    const rows = perBucket[b]!;
    const row = (id: string) => {
      let r = rows.get(id);
      if (!r) {
        r = { bucket: b, user: { id }, metrics: hostsKnown ? { calls_hosted: 0, calls_attended: 0 } : { calls_attended: 0 } };
        rows.set(id, r);
      }
      const a = m.attendees.find((x) => x.user_id === id);
      if (a?.name && !r.user.name) r.user.name = a.name;
      if (a?.email && !r.user.email) r.user.email = a.email;
      return r;
    };
    const host = hostOf(m);
    if (host && (!wanted || wanted.has(host))) {
      const r = row(host);
      r.metrics.calls_hosted = (r.metrics.calls_hosted ?? 0) + 1;
    }
    const attended = new Set(m.attendees.filter((a) => a.side === 'internal' && a.user_id && a.user_id !== host).map((a) => a.user_id!));
    for (const id of attended) if (!wanted || wanted.has(id)) row(id).metrics.calls_attended += 1;
  }
  return perBucket.map((rows) => [...rows.values()].sort((x, y) => (x.user.id < y.user.id ? -1 : x.user.id > y.user.id ? 1 : 0)));
}
