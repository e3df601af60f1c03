import { hashSeed } from '../shared/prng.js';
import { avomaUuid as encodedUuid, digitsOfAvomaUuid as digitsOfEncodedUuid } from '../avoma/dataset.js';
import type { GongDataset, GongParty, SimulatedCall } from '../gong/dataset.js';
import { isoUtc, syntheticWorld, unmatchedCohost, type SyntheticWorldOptions } from '../shared/synthetic-world.js';

/**
 * The synthetic Grain workspace. People, calls and conversations are the Gong simulator's synthetic
 * world (`GongDataset`), re-dressed in Grain's v2 shapes (https://developers.grain.com):
 * - recordings, participants, users, teams and meeting types have UUIDs; a recording's UUID encodes
 *   the call's id (the UUID scheme of the Avoma simulator), so any recording resolves from its id;
 * - a recording is listed once it has ended (and Grain has processed it for a minute), its
 *   `start_datetime` is when recording started, `duration_ms` its length in milliseconds;
 * - every call is recorded, phone calls too (`source: "aircall"`, `media_type: "audio"`);
 * - participants carry Grain's `scope` (`internal` | `external` | `unknown` for a dial-in number
 *   without an address) and `confirmed_attendee` (false for invitees who never joined);
 * - transcript sections (one per sentence here) carry the speaker's name, their participant id
 *   (null when Grain matched the voice to no participant: dial-in callers, and on some calls a
 *   co-host) and start/end in milliseconds from the recording start;
 * - a transcript arrives minutes to hours after the call (`SimulatedCall.transcriptReadyAt`; before,
 *   the transcript is an empty array), and a title edited after the call shows from then on.
 */

export interface GrainUserRecord {
  id: string;
  name: string;
  email: string;
}

export interface GrainParticipantRecord {
  id: string;
  name: string;
  email: string | null;
  scope: 'internal' | 'external' | 'unknown';
  confirmed_attendee: boolean;
}

export interface GrainRecordingRecord {
  id: string;
  title: string;
  source: 'aircall' | 'meet' | 'teams' | 'zoom' | 'other';
  url: string;
  media_type: 'audio' | 'video';
  tags: string[];
  start_datetime: string;
  end_datetime: string;
  duration_ms: number;
  thumbnail_url: string | null;
  teams: { id: string; name: string }[];
  meeting_type: { id: string; name: string; scope: 'internal' | 'external' } | null;
  participants?: GrainParticipantRecord[];
  highlights?: unknown[];
  ai_summary?: { text: string };
  ai_action_items?: unknown[];
  calendar_event?: { ical_uid: string } | null;
  hubspot?: { hubspot_company_ids: string[]; hubspot_deal_ids: string[] };
}

export interface GrainTranscriptSectionRecord {
  start: number;
  end: number;
  text: string;
  speaker: string;
  participant_id: string | null;
}

export interface GrainInclude {
  participants?: boolean;
  highlights?: boolean;
  ai_summary?: boolean;
  ai_action_items?: boolean;
  calendar_event?: boolean;
  hubspot?: boolean;
}

/** A recording of the listing, with what it is ordered by. */
export interface GrainRecordingEntry {
  call: SimulatedCall;
  id: string;
  /** newest first: start, then the call's index in its day */
  key: number;
}

/** after a call ends, Grain processes it this long before it lists the recording */
const PROCESSING_MS = 60_000;
/** share of co-hosted calls on which Grain matches the co-host's voice to no participant */
const UNMATCHED_COHOST_SHARE = 0.3;


export class GrainDataset {
  readonly seed: number;
  readonly world: GongDataset;
  readonly users: readonly GrainUserRecord[];

  constructor(options: SyntheticWorldOptions) {
    this.world = syntheticWorld(options);
    this.seed = this.world.seed;
    this.users = this.world.users.map((u) => ({ id: this.uuid('user', u.id), name: `${u.firstName} ${u.lastName}`, email: u.emailAddress }));
  }

  get historyStart(): string {
    return this.world.historyStart;
  }

  /** Whether the recording is listed at `asOf` (the call ended and Grain processed it). */
  visible(call: SimulatedCall, asOf: number): boolean {
    return asOf >= call.endedAt + PROCESSING_MS;
  }

  entry(call: SimulatedCall): GrainRecordingEntry {
    return { call, id: this.uuid('recording', call.id), key: Math.floor(call.startedAt / 1000) * 1000 + Number(call.id.slice(11, 14)) };
  }

  entryOf(id: string): GrainRecordingEntry | undefined {
    const digits = digitsOfEncodedUuid(this.seed, 'grain-recording', id);
    const call = digits ? this.world.call(digits.padStart(19, '0')) : undefined;
    return call ? this.entry(call) : undefined;
  }

  /** The recordings of one company-zone day, newest first. */
  entriesOfDay(date: string): GrainRecordingEntry[] {
    return this.world.callsOnDay(date).map((c) => this.entry(c)).sort((a, b) => b.key - a.key);
  }

  recording(entry: GrainRecordingEntry, asOf: number, include: GrainInclude): GrainRecordingRecord {
    const { call } = entry;
    const m = call.metaData;
    const host = this.world.user(m.primaryUserId)!;
    const team = /Success/.test(host.title) ? 'Customer Success' : 'Sales';
    const source = ({ Zoom: 'zoom', 'Google Meet': 'meet', 'Microsoft Teams': 'teams', Aircall: 'aircall' } as const)[m.system as 'Zoom'] ?? 'other';
    const audio = m.media === 'Audio';
    return {
      id: entry.id,
      title: this.world.metaDataAt(call, asOf).title,
      source,
      url: `https://grain.com/share/recording/${entry.id}`,
      media_type: audio ? 'audio' : 'video',
      tags: [],
      start_datetime: isoUtc(call.startedAt),
      end_datetime: isoUtc(call.endedAt),
      duration_ms: call.endedAt - call.startedAt,
      thumbnail_url: audio ? null : `https://media.grain.com/public_thumbnails/recordings/${entry.id.slice(0, 8)}`,
      teams: [{ id: this.uuid('team', String(hashSeed(team) % 1_000_000)), name: team }],
      meeting_type: m.purpose ? { id: this.uuid('meeting-type', String(hashSeed(m.purpose) % 1_000_000)), name: m.purpose, scope: 'external' } : null,
      ...(include.participants ? { participants: this.participants(call) } : {}),
      ...(include.highlights ? { highlights: [] } : {}),
      ...(include.ai_summary ? { ai_summary: { text: asOf >= call.transcriptReadyAt ? `## ${m.purpose ?? 'Meeting'}\n\n${call.customerName} and ${this.world.companyName} met.` : '' } } : {}),
      ...(include.ai_action_items ? { ai_action_items: [] } : {}),
      ...(include.calendar_event ? { calendar_event: audio ? null : { ical_uid: `${call.id}@calendar.example` } } : {}),
      ...(include.hubspot ? { hubspot: { hubspot_company_ids: [], hubspot_deal_ids: [] } } : {}),
    };
  }

  participants(call: SimulatedCall): GrainParticipantRecord[] {
    return call.parties.map((p, i) => ({
      id: this.participantId(call, i),
      name: p.name,
      email: p.emailAddress ?? null,
      scope: p.affiliation === 'Internal' ? 'internal' : p.affiliation === 'External' ? 'external' : 'unknown',
      confirmed_attendee: p.methods.includes('Attendee'),
    }));
  }

  /** The transcript sections, empty while Grain is still transcribing. */
  transcript(entry: GrainRecordingEntry, asOf: number): GrainTranscriptSectionRecord[] {
    const { call } = entry;
    if (asOf < call.transcriptReadyAt) return [];
    const index = new Map<string, { party: GongParty; i: number }>();
    call.parties.forEach((party, i) => {
      if (party.speakerId !== undefined) index.set(party.speakerId, { party, i });
    });
    const unmatched = this.unmatchedCohost(call);
    const out: GrainTranscriptSectionRecord[] = [];
    for (const mono of this.world.transcript(call)) {
      const found = index.get(mono.speakerId);
      const matched = found && found.party.affiliation !== 'Unknown' && (unmatched === undefined || found.party.userId !== unmatched);
      for (const s of mono.sentences) {
        out.push({ start: s.start, end: s.end, text: s.text, speaker: found?.party.name ?? 'Unknown speaker', participant_id: matched ? this.participantId(call, found.i) : null });
      }
    }
    return out;
  }

  /** The Gong user id of the co-host whose voice Grain matched to no participant on this call, if any. */
  unmatchedCohost(call: SimulatedCall): string | undefined {
    return unmatchedCohost(call, this.seed, 'grain-unmatched', UNMATCHED_COHOST_SHARE);
  }

  /** The Grain user id of a user of the synthetic world (by its Gong id), for expectations in tests. */
  userIdOfWorldUser(gongUserId: string): string {
    return this.uuid('user', gongUserId);
  }

  /** The Grain user id of a company address, for expectations in tests. */
  userIdByEmail(email: string): string | undefined {
    const e = email.toLowerCase();
    return this.users.find((u) => u.email.toLowerCase() === e)?.id;
  }

  localDate(ms: number): string {
    return this.world.localDate(ms);
  }

  previousDate(date: string): string {
    return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  }

  private participantId(call: SimulatedCall, index: number): string {
    return this.uuid('participant', `${call.id.slice(-15)}${String(index).padStart(2, '0')}`);
  }

  private uuid(kind: string, digits: string): string {
    return encodedUuid(this.seed, `grain-${kind}`, digits);
  }
}
