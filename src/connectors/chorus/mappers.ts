import { companyDomains, emailDomain } from '../company-domains.js';
import { DateTime } from 'luxon';
import type { Meeting, MeetingAttendee, Side, Transcript, TranscriptEntry, User } from '../../domain/resources.js';
import { formatInstant } from '../../metrics/buckets.js';
import type { ChorusCluster, ChorusEngagement, ChorusParticipant, ChorusRecordingDoc, ChorusUser, ChorusUtterance } from './schemas.js';

/**
 * Chorus does not state the unit of `snippet_time` (offset from the recording start) and
 * `snippet_length`. Assumed seconds: the engagement `duration` next to them is in seconds and the
 * values seen in public examples (1.9, 1.5) read as seconds. If a tenant proves otherwise (e.g.
 * milliseconds), this one constant changes (to 0.001).
 */
export const SNIPPET_SECONDS_PER_UNIT = 1;

/** What the company's users tell about everyone else: their email domains and who owns an address. */
export interface CompanyDirectory {
  domains: ReadonlySet<string>;
  userIdByEmail: ReadonlyMap<string, string>;
}

export function chorusUserId(u: ChorusUser): string {
  return String(u.id ?? u.user_id);
}

/** The company domains are the domains of its users' addresses (Chorus has no company setting for it). */
export function companyDirectory(users: readonly ChorusUser[]): CompanyDirectory {
  const userIdByEmail = new Map<string, string>();
  for (const u of users) {
    if (emailDomain(u.email)) userIdByEmail.set(u.email!.trim().toLowerCase(), chorusUserId(u));
  }
  return { domains: companyDomains(users.map((u) => u.email)), userIdByEmail };
}

export function mapChorusUser(u: ChorusUser): User {
  const name = u.name?.trim() || [u.first_name, u.last_name].filter((p) => p && p.trim()).join(' ').trim();
  return {
    id: chorusUserId(u),
    ...(name ? { name } : {}),
    emails: u.email ? [{ email: u.email, is_primary: true }] : [],
    ...(u.created_on ? { created_at: u.created_on } : {}),
    remote_data: u,
  };
}

/** Chorus's own rep/customer signal: `speaker_type`, cluster `type` ("cust" | "rep" | "unknown"), participant `type`. */
export function sideFromChorusType(type: string | null | undefined): Side | undefined {
  switch (type?.trim().toLowerCase()) {
    case 'rep':
      return 'internal';
    case 'cust':
    case 'customer':
      return 'external';
    default:
      return undefined;
  }
}

export interface ResolvedSpeaker {
  side: Side;
  userId?: string;
  /** false when a directory (the company's users) could still change the answer */
  settled: boolean;
}

/**
 * Side and company user of one person on a call. Chorus's type wins; without one, an address in a
 * company domain means internal. A company person's user id comes from Chorus (`user_id`) or, failing
 * that, from the users list by address. Nobody is internal without evidence.
 */
export function resolvePerson(
  signals: { types: (string | null | undefined)[]; userIds: (string | number | null | undefined)[]; email?: string | null },
  directory: CompanyDirectory | undefined,
): ResolvedSpeaker {
  const email = signals.email?.trim().toLowerCase() || undefined;
  const found = signals.userIds.find((id) => id !== undefined && id !== null);
  const fromChorus = found === undefined || found === null ? undefined : String(found);
  let side: Side | undefined;
  for (const t of signals.types) side ??= sideFromChorusType(t);
  // Without Chorus's word, and with an address but no directory yet, the directory may decide.
  if (side === undefined && email && !directory) return { side: 'external', settled: false };
  side ??= email && directory?.domains.has(emailDomain(email)!) ? 'internal' : 'external';
  if (side === 'external') return { side, settled: true };
  const userId = fromChorus ?? (email ? directory?.userIdByEmail.get(email) : undefined);
  const settled = fromChorus !== undefined || !email || directory !== undefined;
  return { side, ...(userId ? { userId } : {}), settled };
}

function participantSignals(p: ChorusParticipant) {
  return { types: [p.type], userIds: [p.user_id], email: p.email };
}

function epochSecondsToIso(seconds: number): string {
  return formatInstant(DateTime.fromMillis(Math.round(seconds * 1000), { zone: 'utc' }));
}

/** Whether mapping this engagement needs the company's users (someone without Chorus's signal). */
export function engagementNeedsDirectory(e: ChorusEngagement): boolean {
  return (e.participants ?? []).some((p) => !resolvePerson(participantSignals(p), undefined).settled);
}

/**
 * A v3 engagement → unified Meeting. `date_time` is epoch seconds and `duration` seconds. Attendees
 * carry no speaker id: an engagement does not say which voice is whose (the transcript does).
 */
export function mapChorusEngagement(e: ChorusEngagement, directory?: CompanyDirectory): Meeting {
  const start = epochSecondsToIso(e.date_time);
  const duration = typeof e.duration === 'number' && Number.isFinite(e.duration) ? e.duration : undefined;
  const host = e.user_id !== undefined && e.user_id !== null ? String(e.user_id) : undefined;
  const attendees: MeetingAttendee[] = (e.participants ?? []).map((p) => {
    const who = resolvePerson(participantSignals(p), directory);
    return {
      ...(p.person_id !== undefined && p.person_id !== null ? { id: String(p.person_id) } : {}),
      ...(p.name ? { name: p.name } : {}),
      ...(p.email ? { email: p.email } : {}),
      side: who.side,
      ...(who.userId ? { user_id: who.userId } : {}),
      ...(who.userId && host ? { is_host: who.userId === host } : {}),
    };
  });
  return {
    id: String(e.engagement_id),
    ...(e.subject ? { title: e.subject } : {}),
    start_time: start,
    ...(duration !== undefined ? { end_time: epochSecondsToIso(e.date_time + duration), duration } : {}),
    ...(host ? { host_user_id: host } : {}),
    attendees,
    ...(e.url ? { meeting_url: e.url } : {}),
    remote_data: e,
  };
}

interface RecordingIndex {
  clusters: Map<string, ChorusCluster>;
  participants: Map<string, ChorusParticipant>;
}

function indexRecording(doc: ChorusRecordingDoc): RecordingIndex {
  const attrs = doc.data.attributes;
  const clusters = new Map<string, ChorusCluster>();
  for (const c of attrs.recording?.clusters ?? []) clusters.set(String(c.id), c);
  const participants = new Map<string, ChorusParticipant>();
  for (const p of attrs.participants ?? []) if (p.person_id !== undefined && p.person_id !== null) participants.set(String(p.person_id), p);
  return { clusters, participants };
}

/**
 * An utterance's speaker. Assumed joins (the spec names the fields, not their relations):
 * `speaker_id` is the id of the speaker cluster in `recording.clusters`, and `participant` (on the
 * utterance or its cluster) is the `person_id` of a conversation participant.
 */
function speakerOf(u: ChorusUtterance, idx: RecordingIndex, directory: CompanyDirectory | undefined) {
  const cluster = u.speaker_id !== undefined && u.speaker_id !== null ? idx.clusters.get(String(u.speaker_id)) : undefined;
  const personId = u.participant ?? cluster?.participant;
  const participant = personId !== undefined && personId !== null ? idx.participants.get(String(personId)) : undefined;
  const who = resolvePerson(
    { types: [u.speaker_type, cluster?.type, participant?.type], userIds: [cluster?.user_id, participant?.user_id], email: participant?.email },
    directory,
  );
  const speakerId =
    u.speaker_id !== undefined && u.speaker_id !== null
      ? String(u.speaker_id)
      : personId !== undefined && personId !== null
        ? `participant-${personId}`
        : 'unknown';
  const name = u.speaker_name ?? cluster?.speaker_name ?? participant?.name ?? undefined;
  return { speakerId, name, who };
}

export function transcriptNeedsDirectory(doc: ChorusRecordingDoc): boolean {
  const idx = indexRecording(doc);
  return (doc.data.attributes.recording?.utterances ?? []).some((u) => !speakerOf(u, idx, undefined).who.settled);
}

/**
 * `recording.utterances` → unified entries, seconds from the recording start (see
 * SNIPPET_SECONDS_PER_UNIT). Undefined when the conversation has no utterances (yet): still
 * processing, not recorded, or no speech.
 */
export function mapChorusTranscript(meetingId: string, doc: ChorusRecordingDoc, directory?: CompanyDirectory): Transcript | undefined {
  const utterances = doc.data.attributes.recording?.utterances ?? [];
  if (utterances.length === 0) return undefined;
  const idx = indexRecording(doc);
  const ordered = utterances
    .map((u, i) => ({ u, i }))
    .sort((a, b) => (a.u.index ?? a.i) - (b.u.index ?? b.i) || a.i - b.i)
    .map(({ u }) => u);
  const entries: TranscriptEntry[] = ordered.map((u) => {
    const { speakerId, name, who } = speakerOf(u, idx, directory);
    const start = u.snippet_time * SNIPPET_SECONDS_PER_UNIT;
    return {
      speaker_id: speakerId,
      ...(name ? { speaker_name: name } : {}),
      speaker_side: who.side,
      ...(who.userId ? { user_id: who.userId } : {}),
      text: u.snippet ?? '',
      start_time: start,
      end_time: start + u.snippet_length * SNIPPET_SECONDS_PER_UNIT,
    };
  });
  return { id: String(doc.data.id), meeting: { id: meetingId }, entries, remote_data: doc.data };
}
