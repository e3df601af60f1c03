import { DateTime } from 'luxon';
import type { AdditionalMetric, InteractionMetrics } from '../../domain/interaction.js';
import type { Meeting, Transcript, TranscriptEntry, User } from '../../domain/resources.js';
import { formatInstant } from '../../metrics/buckets.js';
import type { InteractionDraft } from '../types.js';
import { normalizeEmail, resolveParties, speakerKey, type CompanyDirectory } from './participants.js';
import { startMillis, type FfTranscript, type FfUser, type FfUserAnalytics } from './schemas.js';

/** Pure Fireflies → unified mapping. Units are converted here, once. */

export function mapFfUser(u: FfUser): User {
  const email = u.email?.trim();
  const name = u.name?.trim();
  return {
    id: String(u.user_id),
    ...(name ? { name } : {}),
    emails: email ? [{ email, is_primary: true }] : [],
    remote_data: u,
  };
}

/** `date` is epoch milliseconds; `dateString` (ISO) is the fallback. */
export function transcriptStart(t: FfTranscript): DateTime | undefined {
  const ms = startMillis(t.date, t.dateString);
  return ms === undefined ? undefined : DateTime.fromMillis(ms, { zone: 'utc' });
}

/** `duration` is MINUTES (a float, e.g. 31.4); unified durations are seconds. */
export function durationSeconds(t: FfTranscript): number | undefined {
  if (typeof t.duration !== 'number' || !Number.isFinite(t.duration) || t.duration < 0) return undefined;
  return Math.round(t.duration * 60 * 1000) / 1000;
}

export function mapFfMeeting(t: FfTranscript, dir: CompanyDirectory): Meeting {
  const started = transcriptStart(t);
  const duration = durationSeconds(t);
  const parties = resolveParties(t, dir);
  const { sentences: _sentences, ...withoutSentences } = t;
  return {
    id: String(t.id),
    ...(t.title ? { title: t.title } : {}),
    start_time: started ? formatInstant(started) : String(t.dateString ?? t.date),
    ...(started && duration !== undefined ? { end_time: formatInstant(started.plus({ milliseconds: Math.round(duration * 1000) })) } : {}),
    ...(duration !== undefined ? { duration } : {}),
    ...(parties.hostUserId ? { host_user_id: parties.hostUserId } : {}),
    attendees: parties.attendees,
    ...(t.meeting_link ? { meeting_url: t.meeting_link } : {}),
    remote_data: withoutSentences,
  };
}

/**
 * Sentences → entries. Times are seconds from the meeting start (Fireflies' own SDK types them as
 * numbers; the schema says String, so numeric strings are parsed). A sentence whose times cannot
 * be read cannot be placed in the meeting and is left out. Undefined when the meeting has no
 * sentences yet (still processing, or nothing was said).
 */
export function mapFfTranscript(t: FfTranscript, dir: CompanyDirectory): Transcript | undefined {
  const sentences = t.sentences ?? [];
  if (sentences.length === 0) return undefined;
  const { speakers } = resolveParties(t, dir);
  const entries: TranscriptEntry[] = [];
  for (const s of sentences) {
    if (!Number.isFinite(s.start_time) || !Number.isFinite(s.end_time)) continue;
    const speakerId = speakerKey(s.speaker_id, s.speaker_name);
    const who = speakers.get(speakerId);
    const name = s.speaker_name?.trim() || who?.name;
    entries.push({
      speaker_id: speakerId,
      ...(name ? { speaker_name: name } : {}),
      speaker_side: who?.side ?? 'external',
      ...(who?.userId ? { user_id: who.userId } : {}),
      text: s.text ?? s.raw_text ?? '',
      start_time: s.start_time,
      end_time: s.end_time,
    });
  }
  return { id: String(t.id), meeting: { id: String(t.id) }, entries, remote_data: t };
}

/** `user_longest_monologue_sec` is the one analytics field that is a standard metric (seconds). */
const LONGEST_MONOLOGUE = 'user_longest_monologue_sec';

/**
 * One `analytics.users[]` row → a record for the bucket it was asked for. Fireflies reports no
 * patience, interactivity, customer story or question rate (`user_questions` is a count and the
 * unit of the per-user meeting `duration` is not documented), so those stay absent; every other
 * numeric field keeps its Fireflies name in additional_metrics (`meeting.count`, `meeting.duration`
 * for the per-user meeting stats).
 */
export function mapFfUserAnalytics(row: FfUserAnalytics): InteractionDraft {
  const metrics: InteractionMetrics = {};
  const additional: AdditionalMetric[] = [];
  for (const [name, value] of Object.entries(row.conversation ?? {})) {
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    if (name === LONGEST_MONOLOGUE) metrics.longest_monologue = value;
    else additional.push({ name, value });
  }
  for (const [name, value] of Object.entries(row.meeting ?? {})) {
    if (typeof value === 'number' && Number.isFinite(value)) additional.push({ name: `meeting.${name}`, value });
  }
  const email = normalizeEmail(row.user_email) ? row.user_email!.trim() : undefined;
  const name = row.user_name?.trim();
  return {
    user: { id: String(row.user_id), ...(name ? { name } : {}), emails: email ? [{ email, is_primary: true }] : [] },
    metrics,
    additional_metrics: additional,
    remote_data: row,
  };
}

/** A user with no meeting in the window is not reported (Fireflies lists every team member). */
export function hasActivity(row: FfUserAnalytics): boolean {
  const count = row.meeting?.count;
  return typeof count === 'number' ? count > 0 : true;
}
