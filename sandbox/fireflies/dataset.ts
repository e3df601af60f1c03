import { createRng, hashSeed } from '../shared/prng.js';
import { GongDataset, type SimulatedCall, type GongUserMetadata } from '../gong/dataset.js';
import type { Utterance } from '../gong/conversation.js';

/**
 * The synthetic Fireflies team. The people, calendars and conversations are the vendor-neutral
 * synthetic sales team of the Gong sandbox (generated lazily per day from a seed: several company
 * users with calls on most weekdays, customers, backchannels, overlaps, pauses, questions), seen
 * through Fireflies' schema (https://docs.fireflies.ai/schema/transcript):
 * - meetings are "transcripts" with a ULID-like string id, `date` in epoch MILLISECONDS and
 *   `duration` in MINUTES; sentences carry seconds from the meeting start;
 * - speakers are numbered per meeting and named by display name — no email, no side;
 * - the first company user has no Fireflies seat (not in `users`): their voice is a company voice
 *   without a user, recognisable only by email domain; a dial-in guest is named by phone number;
 * - on some meetings `participants` is one comma-separated string of addresses (undocumented
 *   either way; it exercises a client's defensive splitting);
 * - a meeting is listed as soon as it ended, but Fireflies transcribes it minutes to hours later
 *   (the world's `transcriptReadyAt`): until then it has no `sentences` and no `speakers`, and
 *   `meeting_info.summary_status` reads `processing`; a meeting renamed later (`updateMeetingTitle`)
 *   shows its new title from the world's `edit.at` on.
 */

export interface FfSimUser {
  user_id: string;
  email: string;
  name: string;
  num_transcripts: number | null;
  recent_transcript: string | null;
  recent_meeting: string | null;
  minutes_consumed: number;
  is_admin: boolean;
  integrations: string[];
  user_groups: unknown[];
  is_calendar_in_sync: boolean;
}

export interface FfSimSentence {
  index: number;
  speaker_id: string;
  speaker_name: string;
  text: string;
  raw_text: string;
  /** seconds from the meeting start */
  start_time: number;
  end_time: number;
  ai_filters: Record<string, string | null>;
}

export interface FfSimTranscript {
  id: string;
  title: string;
  /** epoch ms */
  date: number;
  dateString: string;
  /** minutes */
  duration: number;
  organizer_email: string;
  host_email: string;
  user: FfSimUser | null;
  participants: string[];
  meeting_attendees: Array<{ displayName: string; email: string; phoneNumber: string | null; name: string | null; location: string | null }>;
  speakers: Array<{ id: number; name: string }>;
  sentences: FfSimSentence[];
  transcript_url: string;
  meeting_link: string | null;
  audio_url: string | null;
  video_url: string | null;
  calendar_id: string | null;
  cal_id: string | null;
  calendar_type: string | null;
  privacy: string;
  is_live: boolean;
  meeting_info: { fred_joined: boolean; silent_meeting: boolean; summary_status: string };
}

export interface FirefliesDatasetOptions {
  seed: number;
  /** company users (before the one without a seat is left out); default 8 */
  userCount?: number;
  /** the zone of the team's working hours (Fireflies itself reports UTC); default America/New_York */
  timeZone?: string;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ID_TAIL = 13;

function base32(n: bigint, width: number): string {
  let out = '';
  let v = n;
  while (v > 0n) {
    out = CROCKFORD.charAt(Number(v % 32n)) + out;
    v /= 32n;
  }
  return out.padStart(width, '0');
}

function fromBase32(s: string): bigint | undefined {
  let v = 0n;
  for (const c of s) {
    const d = CROCKFORD.indexOf(c);
    if (d < 0) return undefined;
    v = v * 32n + BigInt(d);
  }
  return v;
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

export class FirefliesDataset {
  readonly gong: GongDataset;
  /** team members with a seat, in team order; the first is the API key owner (an admin) */
  readonly users: readonly FfSimUser[];
  private readonly byGongId = new Map<string, FfSimUser>();
  private readonly seatless: ReadonlySet<string>;

  constructor(private readonly options: FirefliesDatasetOptions) {
    this.gong = new GongDataset({
      seed: options.seed,
      timeZone: options.timeZone ?? 'America/New_York',
      userCount: options.userCount ?? 8,
    });
    const active = this.gong.users.filter((u) => u.active);
    this.seatless = new Set(active.slice(0, 1).map((u) => u.id));
    const users: FfSimUser[] = [];
    for (const u of active) {
      if (this.seatless.has(u.id)) continue;
      const ff = this.toUser(u, users.length === 0);
      users.push(ff);
      this.byGongId.set(u.id, ff);
    }
    this.users = users;
  }

  user(userId: string): FfSimUser | undefined {
    return this.users.find((u) => u.user_id === userId);
  }

  /** The Fireflies id of a Gong-sandbox call: a ULID-like string whose tail encodes the call. */
  transcriptId(call: SimulatedCall): string {
    const rng = createRng(hashSeed(this.options.seed, 'ff-transcript', call.id));
    let head = '01';
    while (head.length < 26 - ID_TAIL) head += CROCKFORD.charAt(rng.int(0, 31));
    return head + base32(BigInt(call.id), ID_TAIL);
  }

  /** The recorded meetings that started in [from, to] (epoch ms) and had ended by `now`, newest first. */
  transcriptsBetween(from: number, to: number, now: number): SimulatedCall[] {
    const until = Math.min(to + 1, now);
    if (!(from < until)) return [];
    return this.gong
      .callsBetween(from, until)
      .filter((c) => c.endedAt <= now && this.recorder(c) !== undefined)
      .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? -1 : 1));
  }

  /** The meeting behind a transcript id, if it exists and is over by `now`. */
  callOf(transcriptId: string, now: number): SimulatedCall | undefined {
    if (!/^[0-9A-Z]{26}$/.test(transcriptId)) return undefined;
    const n = fromBase32(transcriptId.slice(-ID_TAIL));
    if (n === undefined) return undefined;
    const call = this.gong.call(String(n));
    if (!call || call.endedAt > now || this.recorder(call) === undefined || this.transcriptId(call) !== transcriptId) return undefined;
    return call;
  }

  /** Fred records for the host, or for a company co-host with a seat when the host has none. */
  recorder(call: SimulatedCall): FfSimUser | undefined {
    for (const id of call.internalUserIds) {
      const user = this.byGongId.get(id);
      if (user) return user;
    }
    return undefined;
  }

  /** The Fireflies user of a Gong-sandbox user id (undefined without a seat). */
  userOfGongId(gongUserId: string): FfSimUser | undefined {
    return this.byGongId.get(gongUserId);
  }

  utterances(call: SimulatedCall): readonly Utterance[] {
    return this.gong.utterances(call);
  }

  /** Whether Fireflies has finished transcribing the meeting by `asOf` (epoch ms). */
  isTranscribed(call: SimulatedCall, asOf: number): boolean {
    return call.transcriptReadyAt <= asOf;
  }

  /** The meeting as Fireflies shows it at `asOf` (epoch ms): before transcription, without sentences. */
  transcript(call: SimulatedCall, asOf: number): FfSimTranscript {
    const id = this.transcriptId(call);
    const transcribed = this.isTranscribed(call, asOf);
    const host = call.parties.find((p) => p.userId === call.internalUserIds[0]);
    const nameOfSpeaker = new Map(call.parties.filter((p) => p.speakerId).map((p) => [p.speakerId!, p.name]));
    const speakerIndex = new Map(call.speakers.map((s, i) => [s.speakerId, i]));
    const voices = call.speakers.map((s, i) => ({ id: i, name: nameOfSpeaker.get(s.speakerId) ?? `Speaker ${i + 1}` }));
    // speakers come out of transcription: none before it
    const speakers = transcribed ? voices : [];
    const emails = call.parties.map((p) => p.emailAddress).filter((e): e is string => Boolean(e));
    const joinedParticipants = hashSeed(this.options.seed, 'participants-format', call.id) % 10 === 0;
    const sentences = (): FfSimSentence[] => this.utterances(call).map((u, index): FfSimSentence => {
      const speaker = speakerIndex.get(u.speakerId) ?? 0;
      const question = u.text.includes('?');
      return {
        index,
        speaker_id: String(speaker),
        speaker_name: voices[speaker]?.name ?? `Speaker ${speaker + 1}`,
        text: u.text,
        raw_text: u.text,
        start_time: round(u.start / 1000, 2),
        end_time: round(u.end / 1000, 2),
        ai_filters: { task: null, pricing: null, metric: null, question: question ? u.text : null, date_and_time: null, text_cleanup: null, sentiment: null },
      };
    });
    return {
      id,
      title: this.gong.metaDataAt(call, asOf).title,
      date: call.startedAt,
      dateString: new Date(call.startedAt).toISOString(),
      duration: round(call.metaData.duration / 60, 2),
      organizer_email: host?.emailAddress ?? '',
      host_email: host?.emailAddress ?? '',
      user: this.recorder(call) ?? null,
      participants: joinedParticipants ? [emails.join(',')] : emails,
      meeting_attendees: call.parties
        .filter((p) => p.emailAddress && p.methods.includes('Invitee'))
        .map((p) => ({ displayName: p.name, email: p.emailAddress!, phoneNumber: null, name: null, location: null })),
      speakers,
      // generated on first read: a listing that does not select sentences never builds them
      get sentences() {
        return transcribed ? sentences() : [];
      },
      transcript_url: `https://app.fireflies.ai/view/${id}`,
      meeting_link: call.metaData.meetingUrl ?? null,
      audio_url: null,
      video_url: null,
      calendar_id: null,
      cal_id: null,
      calendar_type: call.metaData.meetingUrl ? 'google' : null,
      privacy: 'teammates',
      is_live: false,
      meeting_info: { fred_joined: true, silent_meeting: false, summary_status: transcribed ? 'processed' : 'processing' },
    };
  }

  private toUser(u: GongUserMetadata, admin: boolean): FfSimUser {
    const rng = createRng(hashSeed(this.options.seed, 'ff-user', u.id));
    let id = '01';
    while (id.length < 26) id += CROCKFORD.charAt(rng.int(0, 31));
    return {
      user_id: id,
      email: u.emailAddress,
      name: `${u.firstName} ${u.lastName}`,
      num_transcripts: null,
      recent_transcript: null,
      recent_meeting: null,
      minutes_consumed: rng.int(2_000, 40_000),
      is_admin: admin,
      integrations: rng.chance(0.6) ? ['zoom', 'google_calendar'] : ['google_calendar'],
      user_groups: [],
      is_calendar_in_sync: true,
    };
  }
}
