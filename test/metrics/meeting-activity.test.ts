import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { buckets } from '../../src/metrics/buckets.js';
import { meetingActivity } from '../../src/metrics/meeting-activity.js';
import type { Meeting } from '../../src/domain/resources.js';

/** calls_hosted and calls_attended from meetings (CONTRACT.md "Activity", computed). */
const day = buckets({ start: DateTime.fromISO('2025-06-02', { zone: 'UTC' }), end: DateTime.fromISO('2025-06-04', { zone: 'UTC' }), period: 'day', zone: 'UTC' });
const meeting = (id: string, start: string, host: string | undefined, attendees: Meeting['attendees']): Meeting => ({
  id,
  start_time: start,
  ...(host ? { host_user_id: host } : {}),
  attendees,
});

describe('meetingActivity', () => {
  it('counts the host once as hosted, every other company attendee once as attended, in the bucket of the start', () => {
    const rows = meetingActivity(
      [
        meeting('m1', '2025-06-02T10:00:00Z', 'u1', [
          { user_id: 'u1', side: 'internal', name: 'Ann', email: 'ann@x.example' },
          { user_id: 'u2', side: 'internal', name: 'Bo' },
          { user_id: 'u2', side: 'internal' }, // listed twice: one call
          { name: 'Customer', side: 'external' },
        ]),
        meeting('m2', '2025-06-02T23:59:59Z', undefined, [{ user_id: 'u2', side: 'internal', is_host: true }, { user_id: 'u1', side: 'internal' }]),
        meeting('m3', '2025-06-03T00:00:00Z', 'u3', []),
        meeting('m4', '2025-06-04T00:00:00Z', 'u1', []), // outside
      ],
      day,
    );
    expect(rows[0]).toEqual([
      { bucket: 0, user: { id: 'u1', name: 'Ann', email: 'ann@x.example' }, metrics: { calls_hosted: 1, calls_attended: 1 } },
      { bucket: 0, user: { id: 'u2', name: 'Bo' }, metrics: { calls_hosted: 1, calls_attended: 1 } },
    ]);
    expect(rows[1]).toEqual([{ bucket: 1, user: { id: 'u3' }, metrics: { calls_hosted: 1, calls_attended: 0 } }]);
  });

  it('no host known anywhere (Grain): calls_hosted is absent, not 0; a users filter keeps only those users', () => {
    const rows = meetingActivity([meeting('m1', '2025-06-02T10:00:00Z', undefined, [{ user_id: 'u1', side: 'internal' }, { user_id: 'u2', side: 'internal' }])], day, new Set(['u2']));
    expect(rows[0]).toEqual([{ bucket: 0, user: { id: 'u2' }, metrics: { calls_attended: 1 } }]);
  });
});
