import { createRng, hashSeed } from '../shared/prng.js';
import type { GongDataset, GongParty, GongUserMetadata, SimulatedCall } from '../gong/dataset.js';
import { isoUtc, syntheticWorld, unmatchedCohost, type SyntheticWorldOptions } from '../shared/synthetic-world.js';

/**
 * The synthetic Fathom team. People, calls and conversations are the Gong simulator's synthetic
 * world (`GongDataset`), re-dressed in Fathom's shapes (https://developers.fathom.ai):
 * - a meeting is a recording with an integer `recording_id` that encodes its day and its position
 *   in the day, so any id resolves without an index;
 * - Fathom records video meetings only (a bot or desktop app in Zoom, Meet, Teams): phone calls of
 *   the synthetic world are not Fathom meetings; private calls are not shared with the team;
 * - `created_at` is when Fathom created the recording, shortly after it ended (the docs' example:
 *   35 s after `recording_end_time`); listings filter and order on it;
 * - transcript entries carry the speaker's display name, the calendar invitee address Fathom
 *   matched to them (null when it matched none) and a start `timestamp` as `HH:MM:SS` from the
 *   recording start; no end. One entry per sentence here (Fathom does not document its cut);
 * - a transcript arrives minutes to hours after the call (`SimulatedCall.transcriptReadyAt`), and
 *   a title edited after the call (`SimulatedCall.edit`) shows from then on.
 */

export interface FathomUserRecord {
  name: string;
  email: string;
  email_domain: string;
  team: string | null;
}

/** An element of GET /team_members. */
export interface FathomTeamMemberRecord {
  name: string;
  email: string;
  created_at: string;
}

export interface FathomInviteeRecord {
  name: string;
  /** only with include_transcript, once the transcript exists (Fathom: meetings after 2025-02-01) */
  matched_speaker_display_name: string | null;
  email: string;
  email_domain: string;
  is_external: boolean;
}

export interface FathomTranscriptItemRecord {
  speaker: { display_name: string; matched_calendar_invitee_email: string | null };
  text: string;
  /** HH:MM:SS from the recording start */
  timestamp: string;
}

/** An element of GET /meetings. */
export interface FathomMeetingRecord {
  title: string;
  meeting_title: string | null;
  recording_id: number;
  url: string;
  share_url: string;
  created_at: string;
  scheduled_start_time: string;
  scheduled_end_time: string;
  recording_start_time: string;
  recording_end_time: string;
  calendar_invitees_domains_type: 'only_internal' | 'one_or_more_external';
  transcript_language: string;
  calendar_invitees: FathomInviteeRecord[];
  recorded_by: FathomUserRecord;
  transcript?: FathomTranscriptItemRecord[] | null;
  default_summary?: { template_name: string; markdown_formatted: string } | null;
  action_items?: unknown[] | null;
  crm_matches?: { error: string } | null;
}

/** A meeting with what listings filter and order on. */
export interface FathomMeetingEntry {
  call: SimulatedCall;
  recordingId: number;
  /** epoch ms, whole seconds */
  createdAt: number;
}

const DAY_MS = 86_400_000;
/** Recording ids are this plus day number × 1000 plus the call's index in its day. */
const RECORDING_ID_BASE = 100_000_000;
/** seconds between a recording's end and its `created_at` (uniform in this range) */
const CREATED_LAG_S: readonly [number, number] = [20, 90];
/** share of co-hosted calls on which Fathom matches no invitee address to the co-host's voice */
const UNMATCHED_COHOST_SHARE = 0.35;


function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function dateOfDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

function hhmmss(ms: number): string {
  const s = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

export class FathomDataset {
  readonly seed: number;
  readonly world: GongDataset;
  readonly teamMembers: readonly FathomTeamMemberRecord[];

  constructor(options: SyntheticWorldOptions) {
    this.world = syntheticWorld(options);
    this.seed = this.world.seed;
    this.teamMembers = this.world.users.map((u) => ({
      name: `${u.firstName} ${u.lastName}`,
      email: u.emailAddress,
      created_at: isoUtc(Date.parse(u.created)),
    }));
  }

  /** Whether the synthetic world's call is a meeting Fathom recorded and shares with the team. */
  isFathomMeeting(call: SimulatedCall): boolean {
    return call.metaData.media === 'Video' && !call.metaData.isPrivate;
  }

  entry(call: SimulatedCall): FathomMeetingEntry {
    const index = Number(call.id.slice(11, 14));
    const lag = createRng(hashSeed(this.seed, 'fathom-created', call.id)).int(CREATED_LAG_S[0], CREATED_LAG_S[1]);
    return {
      call,
      recordingId: RECORDING_ID_BASE + dayNumber(call.localDate) * 1000 + index,
      createdAt: Math.floor(call.endedAt / 1000) * 1000 + lag * 1000,
    };
  }

  /** The meeting of a recording id, or undefined when there is none (or it is not Fathom's). */
  entryOf(recordingId: number): FathomMeetingEntry | undefined {
    if (!Number.isSafeInteger(recordingId) || recordingId < RECORDING_ID_BASE) return undefined;
    const n = recordingId - RECORDING_ID_BASE;
    const call = this.world.callsOnDay(dateOfDayNumber(Math.floor(n / 1000)))[n % 1000];
    return call && this.isFathomMeeting(call) ? this.entry(call) : undefined;
  }

  /**
   * Fathom meetings of one company-zone day (calls that started on it), newest `created_at` first
   * (ties: higher recording id first).
   */
  entriesOfDay(date: string): FathomMeetingEntry[] {
    return this.world
      .callsOnDay(date)
      .filter((c) => this.isFathomMeeting(c))
      .map((c) => this.entry(c))
      .sort((a, b) => b.createdAt - a.createdAt || b.recordingId - a.recordingId);
  }

  /** The company-zone date of an instant, and the first date with meetings. */
  localDate(ms: number): string {
    return this.world.localDate(ms);
  }

  get historyStart(): string {
    return this.world.historyStart;
  }

  previousDate(date: string): string {
    return dateOfDayNumber(dayNumber(date) - 1);
  }

  meeting(entry: FathomMeetingEntry, asOf: number, include: { transcript: boolean; summary: boolean; actionItems: boolean; crmMatches: boolean }): FathomMeetingRecord {
    const { call } = entry;
    const m = call.metaData;
    const host = call.parties.find((p) => p.userId === m.primaryUserId)!;
    const transcript = include.transcript ? this.transcript(entry, asOf) : undefined;
    const spoke = new Set((transcript ?? []).map((t) => t.speaker.matched_calendar_invitee_email).filter((e): e is string => e !== null));
    const scheduledAt = Date.parse(m.scheduled);
    const planned = Math.max(15, Math.ceil(m.duration / 60 / 15) * 15) * 60_000;
    const invitees = call.parties.filter((p): p is GongParty & { emailAddress: string } => Boolean(p.emailAddress));
    const external = invitees.some((p) => !this.isCompanyAddress(p.emailAddress));
    return {
      title: this.world.metaDataAt(call, asOf).title,
      meeting_title: m.title,
      recording_id: entry.recordingId,
      url: `https://fathom.video/calls/${entry.recordingId}`,
      share_url: `https://fathom.video/share/${createRng(hashSeed(this.seed, 'fathom-share', call.id)).digits(12)}`,
      created_at: isoUtc(entry.createdAt),
      scheduled_start_time: isoUtc(scheduledAt),
      scheduled_end_time: isoUtc(scheduledAt + planned),
      recording_start_time: isoUtc(call.startedAt),
      recording_end_time: isoUtc(call.endedAt),
      calendar_invitees_domains_type: external ? 'one_or_more_external' : 'only_internal',
      transcript_language: 'en',
      calendar_invitees: invitees.map((p) => ({
        name: p.name,
        matched_speaker_display_name: include.transcript && spoke.has(p.emailAddress) ? p.name : null,
        email: p.emailAddress,
        email_domain: domainOf(p.emailAddress),
        is_external: !this.isCompanyAddress(p.emailAddress),
      })),
      recorded_by: this.userRecord(this.world.user(host.userId!)!),
      ...(include.transcript ? { transcript: transcript ?? null } : {}),
      ...(include.summary
        ? { default_summary: asOf >= call.transcriptReadyAt ? { template_name: 'general', markdown_formatted: `## ${m.purpose ?? 'Meeting'}\n\n${call.customerName} and ${this.world.companyName} met.\n` } : null }
        : {}),
      ...(include.actionItems ? { action_items: asOf >= call.transcriptReadyAt ? [] : null } : {}),
      ...(include.crmMatches ? { crm_matches: { error: 'no CRM connected' } } : {}),
    };
  }

  /** The transcript entries, or undefined while Fathom is still transcribing. */
  transcript(entry: FathomMeetingEntry, asOf: number): FathomTranscriptItemRecord[] | undefined {
    const { call } = entry;
    if (asOf < call.transcriptReadyAt) return undefined;
    const parties = new Map(call.parties.filter((p) => p.speakerId !== undefined).map((p) => [p.speakerId!, p]));
    const unmatched = this.unmatchedCohost(call);
    const out: FathomTranscriptItemRecord[] = [];
    for (const mono of this.world.transcript(call)) {
      const party = parties.get(mono.speakerId);
      const email = party?.emailAddress && (unmatched === undefined || party.userId !== unmatched) ? party.emailAddress : null;
      for (const s of mono.sentences) {
        out.push({ speaker: { display_name: party?.name ?? 'Unknown speaker', matched_calendar_invitee_email: email }, text: s.text, timestamp: hhmmss(s.start) });
      }
    }
    return out;
  }

  /** The Gong user id of the co-host whose voice Fathom matched to no invitee on this call, if any. */
  unmatchedCohost(call: SimulatedCall): string | undefined {
    return unmatchedCohost(call, this.seed, 'fathom-unmatched', UNMATCHED_COHOST_SHARE);
  }

  /** The team member with this address (case-insensitive). */
  teamMember(email: string): FathomTeamMemberRecord | undefined {
    const e = email.toLowerCase();
    return this.teamMembers.find((u) => u.email.toLowerCase() === e);
  }

  /** The Fathom team of a team member (the synthetic company has two). */
  teamOf(email: string): string {
    const user = this.world.users.find((u) => u.emailAddress.toLowerCase() === email.toLowerCase());
    return user && /Success/.test(user.title) ? 'Customer Success' : 'Sales';
  }

  isCompanyAddress(email: string): boolean {
    return domainOf(email) === this.world.companyDomain;
  }

  private userRecord(u: GongUserMetadata): FathomUserRecord {
    return {
      name: `${u.firstName} ${u.lastName}`,
      email: u.emailAddress,
      email_domain: domainOf(u.emailAddress),
      team: this.teamOf(u.emailAddress),
    };
  }
}
