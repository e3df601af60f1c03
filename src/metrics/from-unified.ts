import type { Meeting, Transcript } from '../domain/resources.js';
import type { NormalizedCall } from './call.js';

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

