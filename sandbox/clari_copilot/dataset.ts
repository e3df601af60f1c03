import { DateTime } from 'luxon';
import { GongDataset, type GongParty, type GongUserMetadata, type SimulatedCall } from '../gong/dataset.js';
import type { Utterance } from '../gong/conversation.js';
import { hashSeed } from '../shared/prng.js';
import { clariCallMetrics, type ClariCallMetricsRecord, type MetricsSpeaker } from './call-metrics.js';

/**
 * The synthetic Clari Copilot workspace. The people, calls and conversations are the Gong
 * sandbox's synthetic company (sandbox/gong/dataset.ts: generated lazily per day from a seed),
 * seen the way Copilot records them: only calls with a Copilot user on them, Clari's ids and
 * shapes (`User`, `Call`, `CallDetails` of https://api-doc.copilot.clari.com/spec.yaml), statuses
 * that move with the clock (a call is PROCESSING, without transcript or metrics, until the world's
 * `transcriptReadyAt`), titles renamed after the call (the world's `edit`, with
 * `last_modified_time`), transcripts in seconds, and Clari-style per-call metrics.
 *
 * Seats: the solutions engineers have no Copilot seat. They are not listed by /users, calls they
 * host alone are never recorded, and on other calls they appear as participants with a company
 * email — the case where only the email domain tells a connector they are internal.
 */

export type ClariCallStatus =
  | 'SCHEDULED'
  | 'INPROGRESS'
  | 'PROCESSING'
  | 'PROCESSED'
  | 'POST_PROCESSING_DONE'
  | 'NOBODY_JOINED_CALL'
  | 'CALL_DID_NOT_HAPPEN';

export const CALL_STATUSES: readonly string[] = [
  'SCHEDULED', 'INITIATED', 'INPROGRESS', 'WAITING_IN_QUEUE', 'PROCESSING', 'PROCESSED', 'ERROR_IN_TRANSCRIBE',
  'ERROR_IN_PROCESSING', 'ERROR_IN_RECORDING', 'UNABLE_TO_JOIN', 'CALL_DID_NOT_HAPPEN', 'IGNORED_BY_USER',
  'BOTJOIN_DISABLED', 'POST_PROCESSING_DONE', 'NO_DATA_INCALL', 'NOBODY_JOINED_CALL', 'BOTJOIN_DENIED',
];

export interface ClariUserJson {
  id: string;
  email: string;
  name: string;
  role: 'REP' | 'MANAGER' | 'OBSERVER';
  is_recording: boolean;
  manager_id?: string;
}

export interface ClariCallUserJson {
  userId: string;
  userEmail: string;
  isOrganizer: boolean;
  personId: number;
}

export interface ClariParticipantJson {
  name?: string;
  email?: string;
  phone?: string;
  personId: number;
}

export interface ClariTranscriptTurnJson {
  text: string;
  /** seconds from the start of the recording */
  start: number;
  end: number;
  personId: number;
  annotations: unknown[];
}

export type ClariCallJson = Record<string, unknown> & { id: string; time: string; status: ClariCallStatus };

/** A recorded call: the underlying synthetic conversation and Clari's view of it. */
export interface ClariSimCall {
  id: string;
  /** epoch ms of Clari's `time`: the scheduled start, or the actual start of a dialer call */
  time: number;
  isPrivate: boolean;
  dialer: boolean;
  gong: SimulatedCall;
}

export interface ClariDatasetOptions {
  seed: number;
  /** active people of the company (seatless ones included) */
  userCount: number;
  /** the zone of the company's working day; default America/New_York */
  timeZone?: string;
  /** first day with calls, YYYY-MM-DD; default 2023-01-01 */
  historyStart?: string;
}

/** Share of processed calls that go on to POST_PROCESSING_DONE (summaries and the like), and how much later. */
const POST_PROCESSED_SHARE = 0.75;
const POST_PROCESSING_MINUTES: readonly [number, number] = [5, 30];
const SEATLESS_TITLES = new Set(['Solutions Engineer']);
const MANAGER_TITLES = new Set(['VP of Sales', 'Sales Manager']);
const CALL_TYPES: Record<string, string> = {
  Zoom: 'ZOOM',
  'Google Meet': 'GOOGLE_MEET',
  'Microsoft Teams': 'MS_TEAMS',
  Aircall: 'AIRCALL_RECORDING',
  Outreach: 'OUTREACH',
};
const DEAL_STAGES = ['Discovery', 'Qualification', 'Solution Fit', 'Proposal', 'Negotiation'];

const unit = (...parts: Array<string | number>): number => hashSeed(...parts) / 2 ** 32;

export class ClariDataset {
  readonly seed: number;
  readonly world: GongDataset;
  readonly companyDomain: string;
  /** current Copilot users (GET /users) */
  readonly users: readonly ClariUserJson[];

  private readonly clariIdOfGong = new Map<string, string>();
  private readonly seated = new Set<string>();
  private readonly metricsCache = new Map<string, ClariCallMetricsRecord>();

  constructor(options: ClariDatasetOptions) {
    this.seed = options.seed;
    this.world = new GongDataset({
      seed: options.seed,
      timeZone: options.timeZone ?? 'America/New_York',
      userCount: options.userCount,
      ...(options.historyStart ? { historyStart: options.historyStart } : {}),
    });
    this.companyDomain = this.world.companyDomain;
    for (const u of this.world.users) {
      this.clariIdOfGong.set(u.id, this.userId(u.id));
      if (!SEATLESS_TITLES.has(u.title)) this.seated.add(u.id);
    }
    this.users = this.world.users.filter((u) => u.active && this.seated.has(u.id)).map((u) => this.userJson(u));
  }

  /** Clari user id of a person of the company (24 hex digits, stable in the seed). */
  userId(gongUserId: string): string {
    const known = this.clariIdOfGong.get(gongUserId);
    if (known) return known;
    return [0, 1, 2].map((i) => hashSeed(this.seed, 'clari-user', gongUserId, i).toString(16).padStart(8, '0')).join('');
  }

  /** The Clari user with this id, current or departed. */
  userById(id: string): ClariUserJson | undefined {
    for (const u of this.world.users) if (this.clariIdOfGong.get(u.id) === id && this.seated.has(u.id)) return this.userJson(u);
    return undefined;
  }

  /** Clari call ids are hexadecimal here; they encode the synthetic call, so any day resolves lazily. */
  call(id: string): ClariSimCall | undefined {
    if (!/^[0-9a-f]{1,16}$/.test(id)) return undefined;
    const gong = this.world.call(BigInt(`0x${id}`).toString());
    const call = gong ? this.wrap(gong) : undefined;
    return call && call.id === id ? call : undefined;
  }

  /** Recorded calls with `time` in [fromMs, toMs] (both inclusive, as Clari's filters), time ascending. */
  callsBetween(fromMs: number, toMs: number): ClariSimCall[] {
    const history = this.world.startOfDay(this.world.historyStart);
    const from = Math.max(fromMs, history);
    if (!(from <= toMs)) return [];
    // `time` may precede the actual start by minutes (scheduled) or not: widen by a day and filter.
    const out = this.world
      .callsBetween(from - 86_400_000, toMs + 86_400_000)
      .map((g) => this.wrap(g))
      .filter((c): c is ClariSimCall => c !== undefined && c.time >= from && c.time <= toMs);
    return out.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * Where the call is at `nowMs`: statuses move with the clock. A call is PROCESSING from its end
   * until Copilot has transcribed it (the world's `transcriptReadyAt`, minutes to hours later), then
   * PROCESSED; most calls reach POST_PROCESSING_DONE a little later.
   */
  status(call: ClariSimCall, nowMs: number): ClariCallStatus {
    const g = call.gong;
    if (nowMs < Math.min(call.time, g.startedAt)) return 'SCHEDULED';
    const missed = this.missed(call);
    if (missed) return missed;
    if (nowMs < g.startedAt) return 'SCHEDULED';
    if (nowMs < g.endedAt) return 'INPROGRESS';
    if (nowMs < g.transcriptReadyAt) return 'PROCESSING';
    const post = this.postProcessedAt(call);
    return post !== undefined && nowMs >= post ? 'POST_PROCESSING_DONE' : 'PROCESSED';
  }

  /** When the call reaches POST_PROCESSING_DONE; undefined for a call that stays PROCESSED. */
  private postProcessedAt(call: ClariSimCall): number | undefined {
    if (unit(this.seed, 'processed', call.id) >= POST_PROCESSED_SHARE) return undefined;
    const [min, max] = POST_PROCESSING_MINUTES;
    return call.gong.transcriptReadyAt + Math.round((min + unit(this.seed, 'post-processing', call.id) * (max - min)) * 60_000);
  }

  /** When the call last changed as Copilot shows it at `nowMs`: its last status change, or a rename after it. */
  private lastModified(call: ClariSimCall, status: ClariCallStatus, nowMs: number): number {
    const g = call.gong;
    const since: Record<ClariCallStatus, number> = {
      SCHEDULED: call.time - 2 * 86_400_000,
      INPROGRESS: g.startedAt,
      PROCESSING: g.endedAt,
      PROCESSED: g.transcriptReadyAt,
      POST_PROCESSING_DONE: this.postProcessedAt(call) ?? g.transcriptReadyAt,
      NOBODY_JOINED_CALL: Math.max(call.time, Math.min(nowMs, g.endedAt)),
      CALL_DID_NOT_HAPPEN: Math.max(call.time, Math.min(nowMs, g.endedAt)),
    };
    const renamed = g.edit && g.edit.at <= nowMs ? g.edit.at : -Infinity;
    return Math.max(since[status], renamed);
  }

  isProcessed(call: ClariSimCall, nowMs: number): boolean {
    const s = this.status(call, nowMs);
    return s === 'PROCESSED' || s === 'POST_PROCESSING_DONE';
  }

  /** The call as GET /calls lists it. */
  callJson(call: ClariSimCall, nowMs: number, media: { audio?: boolean; video?: boolean } = {}): ClariCallJson {
    const g = call.gong;
    const status = this.status(call, nowMs);
    const happened = !['SCHEDULED', 'NOBODY_JOINED_CALL', 'CALL_DID_NOT_HAPPEN'].includes(status);
    const processed = status === 'PROCESSED' || status === 'POST_PROCESSING_DONE';
    const internal = g.parties.filter((p) => p.affiliation === 'Internal');
    const others = g.parties.filter((p) => p.affiliation !== 'Internal');
    const users: ClariCallUserJson[] = internal
      .filter((p) => p.userId && this.seated.has(p.userId))
      .map((p) => ({
        userId: this.userId(p.userId!),
        userEmail: p.emailAddress ?? '',
        isOrganizer: p.userId === g.metaData.primaryUserId,
        personId: this.personId(p),
      }));
    // Invited people Copilot does not know as users: customers, and colleagues without a seat.
    const invited = [...internal.filter((p) => !p.userId || !this.seated.has(p.userId)), ...others].filter(
      (p) => call.dialer || p.methods.includes('Invitee'),
    );
    const joined = happened ? g.parties.filter((p) => p.speakerId !== undefined) : [];
    const externals = others.filter((p) => p.affiliation === 'External');
    const modified = this.lastModified(call, status, nowMs);
    const json: ClariCallJson = {
      id: call.id,
      source_id: g.metaData.meetingUrl?.split('/').pop() ?? g.id,
      title: this.world.metaDataAt(g, nowMs).title,
      users,
      externalParticipants: invited.map((p) => this.participantJson(p)),
      joinedParticipants: joined.map((p) => this.participantJson(p)),
      status,
      ...(status === 'NOBODY_JOINED_CALL' ? { bot_not_join_reason: [] } : {}),
      type: CALL_TYPES[g.metaData.system] ?? 'ZOOM',
      time: new Date(call.time).toISOString(),
      ...(call.dialer ? {} : { icaluid: `${g.id}@calendar.${this.companyDomain}`, calendar_id: internal[0]?.emailAddress ?? '' }),
      last_modified_time: new Date(Math.min(modified, Math.max(nowMs, call.time))).toISOString(),
      ...(call.dialer ? { disposition: happened ? 'CALL_CONNECTED_WITH_PROSPECT' : 'CALL_DID_NOT_CONNECT_WITH_PROSPECT' } : {}),
      deal_name: `${g.customerName} - New Business`,
      deal_value: String(5000 * (1 + Math.floor(unit(this.seed, 'deal', g.customerName) * 40))),
      deal_stage_before_call: DEAL_STAGES[Math.floor(unit(this.seed, 'stage', call.id) * DEAL_STAGES.length)],
      account_name: g.customerName,
      contact_names: externals.map((p) => p.name),
      crm_info: { source_crm: 'SALESFORCE', account_id: `001${hashSeed(this.seed, 'crm', g.customerName).toString(36).toUpperCase()}` },
      bookmark_timestamps: [],
      ...(processed ? { metrics: this.metrics(call) } : {}),
      call_review_page_url: `https://copilot.clari.com/call/${call.id}`,
      ...(media.audio && processed ? { audio_url: `https://media.copilot-sandbox.example/${call.id}.mp3?expires=${nowMs + 4 * 3_600_000}` } : {}),
      ...(media.video && processed && !call.dialer ? { video_url: `https://media.copilot-sandbox.example/${call.id}.mp4?expires=${nowMs + 4 * 3_600_000}` } : {}),
    };
    return json;
  }

  /** The call as GET /call-details answers it: the listing's fields plus transcript and summary. */
  detailsJson(call: ClariSimCall, nowMs: number, media: { audio?: boolean; video?: boolean } = {}): ClariCallJson {
    const base = this.callJson(call, nowMs, media);
    const processed = this.isProcessed(call, nowMs);
    const transcript = processed ? this.transcript(call) : [];
    const topics = processed ? [...new Set(this.world.utterances(call.gong).map((u) => u.topic).filter((t): t is string => Boolean(t)))] : [];
    return {
      ...base,
      deal_stage_live: base.deal_stage_before_call,
      transcript,
      summary: processed
        ? {
            full_summary: `${base.title as string}: ${topics.join(', ')}.`,
            topics_discussed: topics.map((name) => ({ name, start_timestamp: '', end_timestamp: '', summary: name })),
            key_action_items: [],
          }
        : {},
      competitor_sentiments: [],
    };
  }

  /** Transcript turns: one per sentence, seconds from the start of the recording, speakers by personId. */
  transcript(call: ClariSimCall): ClariTranscriptTurnJson[] {
    const bySpeaker = new Map<string, number>();
    for (const p of call.gong.parties) if (p.speakerId) bySpeaker.set(p.speakerId, this.personId(p));
    return this.world.utterances(call.gong).map((u: Utterance) => ({
      text: u.text,
      start: u.start / 1000,
      end: u.end / 1000,
      personId: bySpeaker.get(u.speakerId) ?? 0,
      annotations: [],
    }));
  }

  /** Clari-style metrics of a call (sandbox definitions: call-metrics.ts). */
  metrics(call: ClariSimCall): ClariCallMetricsRecord {
    const cached = this.metricsCache.get(call.id);
    if (cached) return cached;
    const speakers = new Map<string, MetricsSpeaker>();
    for (const p of call.gong.parties) {
      if (!p.speakerId) continue;
      const seated = p.userId !== undefined && this.seated.has(p.userId);
      speakers.set(p.speakerId, { rep: seated, name: p.name, ...(seated ? { userId: this.userId(p.userId!) } : {}) });
    }
    const m = clariCallMetrics(this.world.utterances(call.gong), speakers, call.gong.metaData.duration);
    if (this.metricsCache.size > 20_000) this.metricsCache.clear();
    this.metricsCache.set(call.id, m);
    return m;
  }

  /** A person's Clari `personId`: the same number on every call they are on. */
  personId(p: GongParty): number {
    const key = (p.emailAddress ?? p.phoneNumber ?? p.name).toLowerCase();
    return 100_000 + (hashSeed(this.seed, 'person', key) % 2_000_000_000);
  }

  private wrap(g: SimulatedCall): ClariSimCall | undefined {
    // Copilot records a call only when one of its users is on it.
    if (!g.parties.some((p) => p.affiliation === 'Internal' && p.userId && this.seated.has(p.userId))) return undefined;
    const dialer = g.metaData.direction !== 'Conference';
    const time = DateTime.fromISO(dialer ? g.metaData.started : g.metaData.scheduled, { setZone: true }).toMillis();
    return { id: BigInt(g.id).toString(16), time, isPrivate: g.metaData.isPrivate, dialer, gong: g };
  }

  /** Some meetings never happen: decided once per call. */
  private missed(call: ClariSimCall): ClariCallStatus | undefined {
    if (call.dialer) return undefined;
    const roll = unit(this.seed, 'missed', call.id);
    if (roll < 0.04) return 'NOBODY_JOINED_CALL';
    if (roll < 0.06) return 'CALL_DID_NOT_HAPPEN';
    return undefined;
  }

  private participantJson(p: GongParty): ClariParticipantJson {
    return {
      name: p.name,
      ...(p.emailAddress ? { email: p.emailAddress } : {}),
      ...(p.phoneNumber ? { phone: p.phoneNumber } : {}),
      personId: this.personId(p),
    };
  }

  private userJson(u: GongUserMetadata): ClariUserJson {
    const manager = u.managerId ? this.world.user(u.managerId) : undefined;
    return {
      id: this.userId(u.id),
      email: u.emailAddress,
      name: `${u.firstName} ${u.lastName}`,
      role: MANAGER_TITLES.has(u.title) ? 'MANAGER' : 'REP',
      is_recording: true,
      ...(manager && this.seated.has(manager.id) ? { manager_id: this.userId(manager.id) } : {}),
    };
  }
}
