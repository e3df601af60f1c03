import { DateTime } from 'luxon';
import { createRng, hashSeed } from '../shared/prng.js';
import { GongDataset, type GongParty, type GongUserMetadata, type SimulatedCall } from '../gong/dataset.js';

/**
 * The synthetic Avoma organization. The people, the calls (generated lazily per day from the seed)
 * and the conversations are the Gong simulator's synthetic world (`GongDataset`), which is not
 * Gong-specific below its output shapes; this file re-dresses them in Avoma's shapes
 * (https://dev.avoma.com): UUIDs, `start_at`/`end_at` as the scheduled window, `duration` as the
 * actual length in seconds, and transcripts as speaker paragraphs with one START timestamp per word
 * (seconds from the actual start) and no end times. Meetings move with the clock: `in_progress`
 * while the recording processes, `completed` with `transcript_ready: false` until the world's
 * `transcriptReadyAt` (minutes to hours after the meeting), and a meeting renamed later (the
 * world's `edit`) shows its new `subject` and `modified` from then on.
 *
 * Every Avoma UUID encodes the underlying id (see `avomaUuid`), so any meeting, transcription or
 * user is found again from its UUID alone, on any day, without an index.
 */

export interface AvomaDatasetOptions {
  seed: number;
  /** active users (a departed one comes on top) */
  userCount: number;
  /** first day with meetings, YYYY-MM-DD; default 2023-01-01 */
  historyStart?: string;
}

/** An element of GET /v1/users/. */
export interface AvomaUserRecord {
  uuid: string;
  user: {
    email: string;
    first_name: string;
    last_name: string;
    is_active: boolean;
    job_function: string;
    position: string;
    profile_pic: string | null;
  };
  role: { uuid: string; name: 'admin' | 'manager' | 'member'; display_name: string; role_type: 'sys'; description: string | null };
  active: string;
  status: string;
  position: string;
  teams: string;
  is_admin: boolean;
}

export interface AvomaAttendeeRecord {
  email: string;
  name: string | null;
  response_status: 'needsaction' | 'accepted' | 'declined' | 'tentativelyaccepted';
  uuid: string;
}

export type AvomaMeetingState = 'scheduled' | 'in_progress' | 'completed' | 'not_recorded' | 'cancelled';

/** An element of GET /v1/meetings/ (and the body of GET /v1/meetings/{uuid}/). */
export interface AvomaMeetingRecord {
  uuid: string;
  subject: string;
  created: string;
  modified: string;
  is_private: boolean;
  is_internal: boolean;
  is_call: boolean;
  organizer_email: string;
  state: AvomaMeetingState;
  processing_status: string | null;
  start_at: string;
  end_at: string;
  /** actual length, seconds; null until recorded */
  duration: number | null;
  attendees: AvomaAttendeeRecord[];
  audio_ready: boolean;
  video_ready: boolean;
  notes_ready: boolean;
  transcript_ready: boolean;
  transcription_uuid: string | null;
  recording_uuid: string | null;
  recording_state: 'enabled' | 'disabled' | null;
  url: string | null;
  purpose: { label: string; uuid: string } | null;
  type: { label: string; uuid: string } | null;
  outcome: { label: string; uuid: string } | null;
  call_details: { external_id: string; frm: string; to: string } | null;
}

export interface AvomaSpeakerRecord {
  id: number;
  name: string | null;
  email: string;
  is_rep: boolean;
}

export interface AvomaParagraphRecord {
  transcript: string;
  /** one per word: seconds from the actual start of the meeting */
  timestamps: number[];
  speaker_id: number;
}

export interface AvomaTranscriptionRecord {
  uuid: string;
  meeting_uuid: string;
  transcript: AvomaParagraphRecord[];
  speakers: AvomaSpeakerRecord[];
  transcription_vtt_url: string;
}

/** A meeting with what the routes need to filter it. */
export interface AvomaMeetingEntry {
  call: SimulatedCall;
  uuid: string;
  /** scheduled start, epoch ms: what from_date/to_date and `o` act on */
  scheduledAt: number;
}

const HEX = '0123456789abcdef';
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** meetings Avoma did not record (bot refused, recording disabled) */
const NOT_RECORDED_SHARE = 0.04;
/** how long after a meeting ends its recording is still "in_progress" (processing) */
const PROCESSING_MS = 10 * 60 * 1000;
/** AI notes are written from the transcript, a few minutes after it */
const NOTES_AFTER_TRANSCRIPT_MS = 3 * 60 * 1000;
const DAY_MS = 86_400_000;

/**
 * A v4-shaped UUID that carries `digits` (≤ 19 decimal digits) in its last 19 free hex positions;
 * the other free positions are derived from (seed, kind, digits), so a UUID of one kind can never
 * pass for another kind's.
 */
export function avomaUuid(seed: number, kind: string, digits: string): string {
  const rng = createRng(hashSeed(seed, 'avoma-uuid', kind, digits));
  let free = '';
  for (let i = 0; i < 11; i++) free += HEX.charAt(rng.int(0, 15));
  free += digits.padStart(19, '0');
  const variant = '89ab'.charAt(rng.int(0, 3));
  const hex = `${free.slice(0, 12)}4${free.slice(12, 15)}${variant}${free.slice(15)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The digits a UUID of `kind` carries, or undefined when it is not one of ours. */
export function digitsOfAvomaUuid(seed: number, kind: string, uuid: string): string | undefined {
  const u = uuid.toLowerCase();
  if (!UUID_SHAPE.test(u)) return undefined;
  const hex = u.replace(/-/g, '');
  const free = hex.slice(0, 12) + hex.slice(13, 16) + hex.slice(17);
  const digits = free.slice(11).replace(/^0+/, '');
  if (!/^\d+$/.test(digits)) return undefined;
  return avomaUuid(seed, kind, digits) === u ? digits : undefined;
}

function isoUtc(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toISO({ suppressMilliseconds: true }) as string;
}

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

export class AvomaDataset {
  readonly seed: number;
  /** the synthetic world underneath: people, calls and conversations */
  readonly world: GongDataset;
  readonly users: readonly AvomaUserRecord[];
  private readonly userByUuid = new Map<string, AvomaUserRecord>();

  constructor(options: AvomaDatasetOptions) {
    this.seed = options.seed;
    // Business hours in New York; Avoma itself speaks UTC only.
    this.world = new GongDataset({
      seed: options.seed,
      timeZone: 'America/New_York',
      userCount: options.userCount,
      ...(options.historyStart ? { historyStart: options.historyStart } : {}),
    });
    this.users = this.world.users.map((u) => this.userRecord(u));
    for (const u of this.users) this.userByUuid.set(u.uuid, u);
  }

  user(uuid: string): AvomaUserRecord | undefined {
    return this.userByUuid.get(uuid.toLowerCase());
  }

  /** Meetings whose scheduled start is in [fromMs, toMs] (both inclusive, as Avoma filters). */
  meetingsBetween(fromMs: number, toMs: number): AvomaMeetingEntry[] {
    if (!(fromMs <= toMs)) return [];
    // Calls are generated by actual start, which is at most minutes away from the scheduled one.
    const calls = this.world.callsBetween(fromMs - DAY_MS, toMs + DAY_MS);
    const out: AvomaMeetingEntry[] = [];
    for (const call of calls) {
      const scheduledAt = Date.parse(call.metaData.scheduled);
      if (scheduledAt >= fromMs && scheduledAt <= toMs) out.push({ call, uuid: this.meetingUuid(call), scheduledAt });
    }
    return out;
  }

  meetingEntry(uuid: string): AvomaMeetingEntry | undefined {
    const id = digitsOfAvomaUuid(this.seed, 'meeting', uuid);
    const call = id ? this.world.call(id) : undefined;
    return call ? { call, uuid: this.meetingUuid(call), scheduledAt: Date.parse(call.metaData.scheduled) } : undefined;
  }

  /** The meeting of a transcription UUID. */
  meetingOfTranscription(uuid: string): AvomaMeetingEntry | undefined {
    const id = digitsOfAvomaUuid(this.seed, 'transcription', uuid);
    const call = id ? this.world.call(id) : undefined;
    return call ? { call, uuid: this.meetingUuid(call), scheduledAt: Date.parse(call.metaData.scheduled) } : undefined;
  }

  meetingUuid(call: SimulatedCall): string {
    return avomaUuid(this.seed, 'meeting', call.id);
  }

  state(call: SimulatedCall, asOf: number): AvomaMeetingState {
    if (this.notRecorded(call) && asOf >= call.endedAt) return 'not_recorded';
    if (asOf < call.startedAt) return 'scheduled';
    if (asOf < this.recordedAt(call)) return 'in_progress';
    return 'completed';
  }

  /** When the recording is in (the meeting `completed`, its duration known): minutes after it ends. */
  private recordedAt(call: SimulatedCall): number {
    return Math.min(call.endedAt + PROCESSING_MS, call.transcriptReadyAt);
  }

  /**
   * Whether the transcript is ready at `asOf`: Avoma transcribes after the recording is in, minutes
   * to hours after the meeting (the world's `transcriptReadyAt`); until then `transcript_ready` is
   * false, there is no `transcription_uuid`, and the transcriptions routes leave the meeting out.
   */
  transcriptReady(call: SimulatedCall, asOf: number): boolean {
    return this.state(call, asOf) === 'completed' && asOf >= call.transcriptReadyAt;
  }

  meeting(entry: AvomaMeetingEntry, asOf: number): AvomaMeetingRecord {
    const { call } = entry;
    const m = call.metaData;
    const state = this.state(call, asOf);
    const done = state === 'completed';
    const transcribed = this.transcriptReady(call, asOf);
    const notes = transcribed && asOf >= call.transcriptReadyAt + NOTES_AFTER_TRANSCRIPT_MS;
    // the last change: recorded, transcribed, notes written, or renamed (the world's `edit`)
    const changes = done ? [this.recordedAt(call), call.transcriptReadyAt, call.transcriptReadyAt + NOTES_AFTER_TRANSCRIPT_MS] : [];
    if (call.edit) changes.push(call.edit.at);
    const lastChange = Math.max(...changes.filter((t) => t <= asOf), -Infinity);
    const host = call.parties.find((p) => p.userId === m.primaryUserId);
    const phone = m.media === 'Audio';
    const plannedMinutes = Math.max(15, Math.ceil(m.duration / 60 / 15) * 15);
    const rng = createRng(hashSeed(this.seed, 'meeting-extra', call.id));
    const purpose = m.purpose ? { label: m.purpose, uuid: avomaUuid(this.seed, 'purpose', String(hashSeed(m.purpose) % 1_000_000)) } : null;
    return {
      uuid: entry.uuid,
      subject: this.world.metaDataAt(call, asOf).title,
      created: isoUtc(entry.scheduledAt - rng.int(1, 14) * DAY_MS - rng.int(0, 36_000) * 1000),
      modified: isoUtc(Number.isFinite(lastChange) ? lastChange : entry.scheduledAt - DAY_MS),
      is_private: m.isPrivate,
      is_internal: !call.parties.some((p) => p.affiliation !== 'Internal'),
      is_call: phone,
      organizer_email: host?.emailAddress ?? '',
      state,
      processing_status: notes ? 'notes_available' : state === 'not_recorded' ? 'bot_denied_entry' : asOf >= call.endedAt && state !== 'scheduled' ? 'processing' : null,
      start_at: isoUtc(entry.scheduledAt),
      end_at: isoUtc(entry.scheduledAt + plannedMinutes * 60_000),
      // Avoma reports the actual length to a tenth of a second.
      duration: done ? m.duration + rng.int(0, 9) / 10 : null,
      attendees: this.attendees(call),
      audio_ready: done,
      video_ready: done && !phone,
      notes_ready: notes,
      transcript_ready: transcribed,
      transcription_uuid: transcribed ? avomaUuid(this.seed, 'transcription', call.id) : null,
      recording_uuid: done ? avomaUuid(this.seed, 'recording', call.id) : null,
      recording_state: state === 'not_recorded' ? 'disabled' : 'enabled',
      url: m.meetingUrl ?? null,
      purpose,
      type: purpose,
      outcome: null,
      call_details: phone
        ? { external_id: `${m.system.toLowerCase()}-${call.id.slice(-10)}`, frm: '+1 415-555-0100', to: call.parties.find((p) => p.phoneNumber)?.phoneNumber ?? '' }
        : null,
    };
  }

  /** The transcription of a meeting, or undefined while it has none. */
  transcription(entry: AvomaMeetingEntry, asOf: number): AvomaTranscriptionRecord | undefined {
    if (!this.transcriptReady(entry.call, asOf)) return undefined;
    const { call } = entry;
    const speakers = call.parties.filter((p): p is GongParty & { speakerId: string } => p.speakerId !== undefined);
    const speakerIndex = new Map(speakers.map((p, i) => [p.speakerId, i]));
    const uuid = avomaUuid(this.seed, 'transcription', call.id);
    // Avoma's paragraphs: consecutive sentences of one speaker; a backchannel under a long turn
    // splits it, as a diarized transcript does.
    const transcript = this.world.transcript(call).map((mono) => {
      const text: string[] = [];
      const timestamps: number[] = [];
      for (const s of mono.sentences) {
        const w = words(s.text);
        text.push(...w);
        for (let k = 0; k < w.length; k++) timestamps.push(Math.round(s.start / 10 + (k * (s.end - s.start)) / w.length / 10) / 100);
      }
      return { transcript: text.join(' '), timestamps, speaker_id: speakerIndex.get(mono.speakerId) ?? speakers.length };
    });
    return {
      uuid,
      meeting_uuid: entry.uuid,
      transcript,
      speakers: speakers.map((p, i) => ({ id: i, name: p.name, email: p.emailAddress ?? '', is_rep: p.affiliation === 'Internal' })),
      transcription_vtt_url: `https://avoma-transcripts.example/vtt/${uuid}.vtt?Expires=${Math.floor(asOf / 1000) + 432_000}&Signature=${avomaUuid(this.seed, 'vtt', call.id).replace(/-/g, '')}`,
    };
  }

  /**
   * The unified expectation for tests: which Avoma user uuid each transcript speaker is (by the
   * speaker's email), or undefined for customers.
   */
  userUuidByEmail(email: string): string | undefined {
    const e = email.toLowerCase();
    return this.users.find((u) => u.user.email.toLowerCase() === e)?.uuid;
  }

  private notRecorded(call: SimulatedCall): boolean {
    return hashSeed(this.seed, 'not-recorded', call.id) / 2 ** 32 < NOT_RECORDED_SHARE;
  }

  private attendees(call: SimulatedCall): AvomaAttendeeRecord[] {
    // Calendar invitees with an address; a phone call's customer has none and is not an attendee.
    return call.parties
      .filter((p): p is GongParty & { emailAddress: string } => Boolean(p.emailAddress))
      .map((p, i) => ({
        email: p.emailAddress,
        name: p.name,
        response_status: p.methods.includes('Attendee') ? 'accepted' : i % 2 === 0 ? 'needsaction' : 'declined',
        uuid: avomaUuid(this.seed, 'attendee', `${call.id.slice(-15)}${String(i).padStart(2, '0')}`),
      }));
  }

  private userRecord(u: GongUserMetadata): AvomaUserRecord {
    const role: AvomaUserRecord['role']['name'] = /VP/.test(u.title) ? 'admin' : /Manager/.test(u.title) ? 'manager' : 'member';
    return {
      uuid: avomaUuid(this.seed, 'user', u.id),
      user: {
        email: u.emailAddress,
        first_name: u.firstName,
        last_name: u.lastName,
        is_active: u.active,
        job_function: u.title,
        position: u.title,
        profile_pic: null,
      },
      role: {
        uuid: avomaUuid(this.seed, 'role', String(['admin', 'manager', 'member'].indexOf(role) + 1)),
        name: role,
        display_name: role.charAt(0).toUpperCase() + role.slice(1),
        role_type: 'sys',
        description: null,
      },
      active: String(u.active),
      status: u.active ? 'active' : 'deactivated',
      position: u.title,
      teams: /Success/.test(u.title) ? 'Customer Success' : 'Sales',
      is_admin: role === 'admin',
    };
  }
}
