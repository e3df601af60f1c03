import { DateTime } from 'luxon';
import type { Meeting, MeetingAttendee, Side, Transcript, TranscriptEntry, User } from '../../domain/resources.js';
import { formatInstant } from '../../metrics/buckets.js';
import { atCompanyDomain, companyUserOf, nameKey, normalizedEmail, type CompanyDirectory } from '../company-directory.js';
import { deriveEndTimes } from '../end-times.js';
import type { FathomMeeting, FathomTeamMember, FathomTranscriptItem } from './schemas.js';

/**
 * Pure mapping Fathom → unified. Fathom names people by address and display name only:
 * - a user is a team member, identified by their address (Fathom gives team members no id);
 * - a speaker is the calendar invitee Fathom matched to the voice (`matched_calendar_invitee_email`),
 *   else only a display name; a company user by that address, else (no address) by that name;
 * - a side: a company user is internal; an attendee otherwise as Fathom's `is_external` says; a
 *   speaker otherwise by the company's domains (a transcript carries no `is_external`).
 */

/** A team member's id: their address, trimmed and lower-cased (Fathom has no user id). */
export function fathomUserId(email: string | null | undefined): string | undefined {
  return normalizedEmail(email);
}

export function mapFathomTeamMember(m: FathomTeamMember): User | undefined {
  const id = fathomUserId(m.email);
  if (!id) return undefined;
  const name = m.name?.trim();
  return {
    id,
    ...(name ? { name } : {}),
    emails: [{ email: m.email.trim(), is_primary: true }],
    ...(m.created_at ? { created_at: m.created_at } : {}),
    remote_data: m,
  };
}

/** When a recording started: its recording start, else its scheduled start, else its creation. */
export function recordingStart(m: FathomMeeting): DateTime | undefined {
  for (const v of [m.recording_start_time, m.scheduled_start_time, m.created_at]) {
    const t = v ? DateTime.fromISO(v, { setZone: true }) : undefined;
    if (t?.isValid) return t;
  }
  return undefined;
}

/**
 * The meeting as `remote_data`: what the listing gives without `include_transcript`. With it Fathom
 * adds the transcript and each invitee's `matched_speaker_display_name`; those are left out so that a
 * meeting reads the same whichever listing brought it (the transcript is its own resource).
 */
export function meetingRemoteData(m: FathomMeeting): FathomMeeting {
  const { transcript: _transcript, ...meeting } = m;
  if (!meeting.calendar_invitees) return meeting;
  return {
    ...meeting,
    calendar_invitees: meeting.calendar_invitees.map(({ matched_speaker_display_name: _matched, ...invitee }) => invitee),
  };
}

/** A Fathom meeting → unified; undefined when it cannot be placed in time. */
export function mapFathomMeeting(m: FathomMeeting, dir: CompanyDirectory): Meeting | undefined {
  const start = recordingStart(m);
  if (!start) return undefined;
  const endRaw = m.recording_start_time && m.recording_end_time ? DateTime.fromISO(m.recording_end_time, { setZone: true }) : undefined;
  const end = endRaw?.isValid && endRaw >= start ? endRaw : undefined;
  const recorder = normalizedEmail(m.recorded_by?.email);
  const host = recorder ? dir.userIdByEmail.get(recorder) : undefined;
  const attendees: MeetingAttendee[] = (m.calendar_invitees ?? []).map((i) => {
    const email = normalizedEmail(i.email);
    const userId = companyUserOf(dir, { email: i.email, name: i.name });
    const side: Side = userId ? 'internal' : typeof i.is_external === 'boolean' ? (i.is_external ? 'external' : 'internal') : atCompanyDomain(dir, i.email) ? 'internal' : 'external';
    return {
      ...(i.name ? { name: i.name } : {}),
      ...(i.email ? { email: i.email } : {}),
      side,
      ...(userId ? { user_id: userId } : {}),
      ...(recorder && email ? { is_host: email === recorder } : {}),
    };
  });
  const title = m.title?.trim() || m.meeting_title?.trim();
  return {
    id: String(m.recording_id),
    ...(title ? { title } : {}),
    start_time: formatInstant(start.toUTC()),
    ...(end ? { end_time: formatInstant(end.toUTC()), duration: end.diff(start).as('seconds') } : {}),
    ...(host ? { host_user_id: host } : {}),
    attendees,
    ...(m.url ? { meeting_url: m.url } : {}),
    ...(m.created_at ? { created_at: m.created_at } : {}),
    remote_data: meetingRemoteData(m),
  };
}

/** `HH:MM:SS` (hours may have more digits, seconds a fraction; `MM:SS` accepted) → seconds. */
export function timestampSeconds(value: string | null | undefined): number | undefined {
  const m = /^\s*(?:(\d+):)?([0-5]?\d):([0-5]?\d(?:\.\d+)?)\s*$/.exec(value ?? '');
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** The id transcript entries use for a speaker: the matched address, else the display name, else "unknown". */
export function fathomSpeakerId(item: FathomTranscriptItem): string {
  const email = normalizedEmail(item.speaker.matched_calendar_invitee_email);
  if (email) return email;
  const key = nameKey(item.speaker.display_name);
  return key ? `name:${key}` : 'unknown';
}

function wordCount(text: string): number {
  const t = text.trim();
  return t ? t.split(/\s+/).length : 0;
}

/**
 * A recording's transcript items → entries in Fathom's order, with derived ends (`end-times.ts`: one
 * timestamp per entry, so every word but the first is untimed). An item without a readable
 * timestamp is left out (it stays in remote_data). Undefined when nothing is left (not transcribed
 * yet). Only the transcript is used, never the meeting: a transcript read alone and one listed with
 * its meeting must map the same (so the meeting's end does not bound the last entry).
 */
export function mapFathomTranscript(recordingId: string, items: readonly FathomTranscriptItem[] | null | undefined, dir: CompanyDirectory): Transcript | undefined {
  const timed = (items ?? []).flatMap((item) => {
    const start = timestampSeconds(item.timestamp);
    return start === undefined ? [] : [{ item, start, speakerId: fathomSpeakerId(item) }];
  });
  if (timed.length === 0) return undefined;
  const spans = deriveEndTimes(timed.map((t) => ({ speakerId: t.speakerId, timestamps: [t.start], wordCount: wordCount(t.item.text ?? '') })));
  const entries: TranscriptEntry[] = timed.map(({ item, speakerId }, i) => {
    const matched = item.speaker.matched_calendar_invitee_email;
    const userId = companyUserOf(dir, { email: matched, name: item.speaker.display_name });
    const name = item.speaker.display_name?.trim();
    return {
      speaker_id: speakerId,
      ...(name ? { speaker_name: name } : {}),
      speaker_side: userId || atCompanyDomain(dir, matched) ? 'internal' : 'external',
      ...(userId ? { user_id: userId } : {}),
      text: item.text ?? '',
      start_time: spans[i]!.start,
      end_time: spans[i]!.end,
      end_time_derived: true,
    };
  });
  return { id: recordingId, meeting: { id: recordingId }, entries, remote_data: { transcript: items } };
}
