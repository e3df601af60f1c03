import type { Meeting, Transcript } from '../domain/resources.js';
import { parseCall, type NormalizedCall } from './call.js';
import { computeCallMetrics } from './call-metrics.js';

/**
 * A unified meeting and its transcript → the engine's normalized call (METRICS.md input). Sides and
 * users come from the transcript entries first (the connector resolved them), then the attendees.
 * A meeting without a transcript yields no call: there is nothing to measure.
 */
export function meetingToCall(meeting: Meeting, transcript: Transcript | undefined): NormalizedCall | undefined {
  if (!transcript || transcript.entries.length === 0) return undefined;
  const participants = new Map<string, NormalizedCall['participants'][number]>();
  for (const a of meeting.attendees) {
    if (a.speaker_id === undefined) continue;
    participants.set(a.speaker_id, { speaker_id: a.speaker_id, side: a.side, ...(a.user_id ? { user_id: a.user_id } : {}) });
  }
  for (const e of transcript.entries) {
    if (participants.has(e.speaker_id)) continue;
    participants.set(e.speaker_id, { speaker_id: e.speaker_id, side: e.speaker_side, ...(e.user_id ? { user_id: e.user_id } : {}) });
  }
  return {
    id: meeting.id,
    started_at: meeting.start_time,
    ...(meeting.duration !== undefined ? { duration_s: meeting.duration } : {}),
    participants: [...participants.values()],
    utterances: transcript.entries.map((e) => ({
      speaker_id: e.speaker_id,
      start_s: e.start_time,
      end_s: e.end_time,
      text: e.text,
      ...(e.questions !== undefined ? { questions: e.questions } : {}),
    })),
  };
}

/** The per-call values of one internal user (METRICS.md "Per call"), as the store keeps them. */
export interface PerCallMetrics {
  meetingId: string;
  userId: string;
  startedAt: string;
  longest_monologue?: number;
  longest_customer_story?: number;
  interactivity?: number;
  patience?: number;
  question_rate?: number;
  talk_ratio?: number;
}

/**
 * A meeting and its transcript → one row per internal user with a valid utterance; no rows when
 * there is nothing to measure. Throws MetricsInputError when the vendor's data cannot be read as a
 * call (the caller skips that meeting and says so).
 */
export function perCallMetrics(meeting: Meeting, transcript: Transcript | undefined): PerCallMetrics[] {
  const call = meetingToCall(meeting, transcript);
  if (!call) return [];
  const computed = computeCallMetrics(parseCall(call));
  const rows: PerCallMetrics[] = [];
  for (const [userId, m] of computed.users) {
    const row: PerCallMetrics = { meetingId: meeting.id, userId, startedAt: meeting.start_time };
    for (const key of PER_CALL_KEYS) {
      const v = m[key];
      if (v !== undefined) row[key] = v;
    }
    rows.push(row);
  }
  return rows;
}

const PER_CALL_KEYS = ['longest_monologue', 'longest_customer_story', 'interactivity', 'patience', 'question_rate', 'talk_ratio'] as const;
