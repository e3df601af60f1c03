import { DateTime } from 'luxon';
import { hashSeed } from '../shared/prng.js';
import { GongDataset, type GongParty, type GongUserMetadata, type SimulatedCall } from '../gong/dataset.js';
import type { Utterance } from '../gong/conversation.js';
import { COMPANY, COMPETITORS } from '../gong/people.js';
import type { NormalizedCall } from '../../src/metrics/call.js';

/**
 * The synthetic Chorus tenant. People, calls and conversations come from the vendor-neutral
 * generator behind the Gong simulator (same company, customers, days and speech: backchannels,
 * overlaps, pauses, questions), generated lazily per day from the seed; this file gives them
 * Chorus's shapes and ids:
 * - users: integer `id` and `person_id` (the spec's examples: 305921, 18272271);
 * - engagements and conversations: 32 uppercase hex characters; the id encodes the day and the
 *   position in it, so any id resolves without a registry (also across restarts);
 * - times: engagement `date_time` epoch seconds, `duration` seconds, utterance `snippet_time` and
 *   `snippet_length` seconds from the recording start (the simulator's reading of undocumented units).
 *
 * Modelled behaviour that Chorus documents: private recordings are never returned. Modelled
 * behaviour that is an assumption of this simulator (so connectors meet it): a call is listed
 * once it ended and stays `processing` (no utterances, clusters, metrics or question counts) until
 * the world's `transcriptReadyAt`, minutes to hours later; a call renamed afterwards (the world's
 * `edit`) shows its new `subject`/`name` from then on, with `_modified_at`; dial-in callers have no
 * address and an `unknown` speaker type; and on some calls Chorus fails to link a company
 * co-host — their voice cluster is `unknown` (match_method `guess`), their participant entry has no
 * `type` nor `user_id`, and only their company address tells who they are.
 */

export interface ChorusDatasetOptions {
  seed: number;
  /** active company users (a departed one is added, as in the Gong tenant) */
  userCount: number;
  /** the company's working zone: when calls happen (Chorus reports no zone) */
  timeZone?: string;
  /**
   * minutes after a call ends during which it is still `processing`, the same for every call;
   * default: each call's own transcript lag in the synthetic world (`transcriptReadyAt`)
   */
  processingMinutes?: number;
  /** share of calls with a co-host on which the co-host is left unlinked */
  unlinkedShare?: number;
}

/** A user as the simulator's GET /v3/users lists it (fields of Chorus's v1 `User`, flat). */
export interface ChorusUserRecord {
  id: number;
  person_id: number;
  email: string;
  first_name: string;
  last_name: string;
  name: string;
  title: string;
  type: string;
  role: string;
  license_type: 'RECORDER' | 'LISTENER';
  manager_id: number | null;
  team_ids: number[];
  primary_team: number;
  created_on: string;
  utc_offset: number;
  language: string;
  invalidated: boolean;
}

export interface ChorusParticipantRecord {
  company_name: string | null;
  email: string | null;
  name: string;
  person_id: number;
  title: string | null;
  type: string | null;
  user_id: number | null;
}

/** One voice of a call, as Chorus matched (or failed to match) it. */
export interface SpeakerRecord {
  gongSpeakerId: string;
  clusterId: number;
  personId: number;
  name: string;
  /** utterance `speaker_type` (null when Chorus could not tell) */
  speakerType: 'rep' | 'cust' | 'unknown' | null;
  clusterType: 'rep' | 'cust' | 'unknown';
  matchMethod: 'user' | 'voice' | 'guess';
  /** Chorus user id when linked */
  userId: number | null;
  /** the truth, whatever Chorus matched: for expectations in tests */
  truth: { side: 'internal' | 'external'; userId?: number };
}

export type ConversationState = 'hidden' | 'processing' | 'done';

const DAY_MS = 86_400_000;
const TEAM_ID = 4101;

function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

function hex(value: number, width: number): string {
  return (value >>> 0).toString(16).toUpperCase().padStart(width, '0').slice(-width);
}

function questionCount(text: string): number {
  return (text.match(/[?!.…]*\?[?!.…]*/g) ?? []).length;
}

export class ChorusDataset {
  readonly source: GongDataset;
  readonly seed: number;
  readonly companyName = COMPANY.name;
  readonly companyDomain = COMPANY.domain;
  readonly users: readonly ChorusUserRecord[];
  /** a fixed processing time for every call, when the options set one */
  private readonly processingMs: number | undefined;
  private readonly unlinkedShare: number;
  private readonly byGongUser = new Map<string, ChorusUserRecord>();

  constructor(options: ChorusDatasetOptions) {
    this.seed = options.seed;
    this.processingMs = options.processingMinutes === undefined ? undefined : options.processingMinutes * 60_000;
    this.unlinkedShare = options.unlinkedShare ?? 0.3;
    this.source = new GongDataset({ seed: options.seed, timeZone: options.timeZone ?? 'America/New_York', userCount: options.userCount });
    const used = new Set<number>();
    const users: ChorusUserRecord[] = [];
    for (const g of this.source.users) {
      let id = 100_000 + (hashSeed(this.seed, 'chorus-user', g.id) % 900_000);
      while (used.has(id)) id += 1;
      used.add(id);
      const record = this.userRecord(g, id);
      users.push(record);
      this.byGongUser.set(g.id, record);
    }
    for (const g of this.source.users) {
      const manager = g.managerId ? this.byGongUser.get(g.managerId) : undefined;
      this.byGongUser.get(g.id)!.manager_id = manager ? manager.id : null;
    }
    this.users = users;
  }

  userOfGong(gongUserId: string): ChorusUserRecord | undefined {
    return this.byGongUser.get(gongUserId);
  }

  /** 32 hex: 16 of hash, then the company-zone day (5) and the index in that day (3), then 8 of hash. */
  engagementId(call: SimulatedCall): string {
    const index = this.source.callsOnDay(call.localDate).indexOf(call);
    return this.idFor(call.id, dayNumber(call.localDate), index);
  }

  private idFor(gongCallId: string, day: number, index: number): string {
    const a = hashSeed(this.seed, 'engagement-a', gongCallId);
    const b = hashSeed(this.seed, 'engagement-b', gongCallId);
    const c = hashSeed(this.seed, 'engagement-c', gongCallId);
    return `${hex(a, 8)}${hex(b, 8)}${hex(day, 5)}${hex(index, 3)}${hex(c, 8)}`;
  }

  /** The call behind an engagement id (whatever its visibility), or undefined. */
  callOf(engagementId: string): SimulatedCall | undefined {
    if (!/^[0-9A-F]{32}$/.test(engagementId)) return undefined;
    const day = parseInt(engagementId.slice(16, 21), 16);
    const index = parseInt(engagementId.slice(21, 24), 16);
    const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    const call = this.source.callsOnDay(date)[index];
    return call && this.idFor(call.id, day, index) === engagementId ? call : undefined;
  }

  /** Chorus never returns private recordings; a call appears once it ended, then processes a while. */
  state(call: SimulatedCall, nowMs: number): ConversationState {
    if (call.metaData.isPrivate || call.endedAt > nowMs) return 'hidden';
    return nowMs < this.processedAt(call) ? 'processing' : 'done';
  }

  /** When Chorus has finished processing the call (utterances and all). */
  processedAt(call: SimulatedCall): number {
    return this.processingMs === undefined ? call.transcriptReadyAt : call.endedAt + this.processingMs;
  }

  /** The call's title at `nowMs`: renamed from the world's `edit.at` on. */
  subject(call: SimulatedCall, nowMs: number): string {
    return this.source.metaDataAt(call, nowMs).title;
  }

  /** When the conversation last changed as seen at `nowMs`: created, processed, or renamed later. */
  private modifiedAt(call: SimulatedCall, nowMs: number): number {
    const processedAt = this.processedAt(call);
    const changed = nowMs < processedAt ? Math.min(nowMs, this.createdAt(call)) : processedAt;
    return call.edit && call.edit.at <= nowMs ? Math.max(changed, call.edit.at) : changed;
  }

  /** The conversation is created a minute after the call ends. */
  private createdAt(call: SimulatedCall): number {
    return call.endedAt + 60_000;
  }

  /** Visible calls that started in [fromMs, toMs], ascending by start then id. */
  conversationsBetween(fromMs: number, toMs: number, nowMs: number): SimulatedCall[] {
    const from = Math.max(fromMs, this.source.startOfDay(this.source.historyStart));
    const to = Math.min(toMs, nowMs);
    if (!(from <= to)) return [];
    return this.source.callsBetween(from, to + 1).filter((c) => this.state(c, nowMs) !== 'hidden');
  }

  isDialer(call: SimulatedCall): boolean {
    return call.metaData.direction !== 'Conference';
  }

  /** The voices of a call as Chorus matched them. */
  speakers(call: SimulatedCall): SpeakerRecord[] {
    const internal = call.parties.filter((p) => p.affiliation === 'Internal');
    const unlinkedUser =
      internal.length >= 2 && hashSeed(this.seed, 'unlinked', call.id) / 2 ** 32 < this.unlinkedShare ? internal[1]!.userId : undefined;
    return call.parties
      .filter((p): p is GongParty & { speakerId: string } => p.speakerId !== undefined)
      .map((p) => {
        const user = p.userId ? this.byGongUser.get(p.userId) : undefined;
        const base = {
          gongSpeakerId: p.speakerId,
          clusterId: 1_000_000 + (hashSeed(this.seed, 'cluster', call.id, p.speakerId) % 9_000_000),
          personId: this.personId(p),
          name: p.name,
          truth: p.affiliation === 'Internal' ? { side: 'internal' as const, userId: user?.id } : { side: 'external' as const },
        };
        if (user && p.userId === unlinkedUser) {
          return { ...base, speakerType: null, clusterType: 'unknown', matchMethod: 'guess', userId: null };
        }
        if (user) return { ...base, speakerType: 'rep', clusterType: 'rep', matchMethod: 'user', userId: user.id };
        if (p.affiliation === 'External') return { ...base, speakerType: 'cust', clusterType: 'cust', matchMethod: 'voice', userId: null };
        return { ...base, speakerType: 'unknown', clusterType: 'unknown', matchMethod: 'guess', userId: null };
      });
  }

  private personId(p: GongParty): number {
    const user = p.userId ? this.byGongUser.get(p.userId) : undefined;
    return user ? user.person_id : 10_000_000 + (hashSeed(this.seed, 'person', p.emailAddress ?? p.name) % 90_000_000);
  }

  participants(call: SimulatedCall): ChorusParticipantRecord[] {
    const speakers = new Map(this.speakers(call).map((s) => [s.gongSpeakerId, s]));
    return call.parties.map((p) => {
      const user = p.userId ? this.byGongUser.get(p.userId) : undefined;
      const unlinked = p.speakerId !== undefined && speakers.get(p.speakerId)?.matchMethod === 'guess' && user !== undefined;
      const type = p.affiliation === 'External' ? 'cust' : user && !unlinked ? 'rep' : null;
      return {
        company_name: p.affiliation === 'Internal' ? COMPANY.name : p.affiliation === 'External' ? call.customerName : null,
        email: p.emailAddress ?? null,
        name: p.name,
        person_id: this.personId(p),
        title: p.title ?? null,
        type,
        user_id: user && !unlinked ? user.id : null,
      };
    });
  }

  utterances(call: SimulatedCall): readonly Utterance[] {
    return this.source.utterances(call);
  }

  /** A GET /v3/engagements element. */
  engagement(call: SimulatedCall, nowMs: number, withTrackers: boolean): Record<string, unknown> {
    const id = this.engagementId(call);
    const host = this.byGongUser.get(call.metaData.primaryUserId)!;
    const speakers = new Map(this.speakers(call).map((s) => [s.gongSpeakerId, s]));
    const done = this.state(call, nowMs) === 'done';
    let custQuestions = 0;
    let repQuestions = 0;
    // question counts come out of processing: none before it
    for (const u of done ? this.utterances(call) : []) {
      const side = speakers.get(u.speakerId)?.truth.side;
      if (side === 'external') custQuestions += questionCount(u.text);
      else if (side === 'internal') repQuestions += questionCount(u.text);
    }
    const dialer = this.isDialer(call);
    const disposition = call.metaData.sdrDisposition;
    return {
      account_id: String(100 + (hashSeed(this.seed, 'account', call.customerName) % 900)),
      account_name: call.customerName,
      compliance: 'compliant',
      date_time: call.startedAt / 1000,
      ...(dialer
        ? {
            disposition_connected: disposition !== 'Got the gatekeeper',
            disposition_gatekeeper: disposition === 'Got the gatekeeper',
            disposition_tree: false,
            disposition_voicemail: false,
          }
        : {}),
      duration: call.metaData.duration,
      engagement_id: id,
      engagement_type: dialer ? 'dialer' : 'meeting',
      initiator: host.email,
      language: 'en',
      no_show: false,
      num_cust_questions: done ? custQuestions : null,
      num_engaging_questions: done ? repQuestions : null,
      opportunity_id: null,
      opportunity_name: null,
      participants: this.participants(call),
      processing_state: this.state(call, nowMs),
      subject: this.subject(call, nowMs),
      ...(withTrackers ? { tracker_matches: done ? this.trackerMatches(call) : [] } : {}),
      url: `https://chorus.ai/meeting/${id}`,
      user_email: host.email,
      user_id: host.id,
      user_name: host.name,
    };
  }

  private trackerMatches(call: SimulatedCall): Array<{ name: string; num_matches: number; type: string }> {
    const text = this.utterances(call).map((u) => u.text).join(' ');
    const count = (re: RegExp) => (text.match(re) ?? []).length;
    return [
      { name: 'Competitors', num_matches: count(new RegExp(COMPETITORS.join('|'), 'g')), type: 'chorus' },
      { name: 'Pricing', num_matches: count(/pric|budget|seat/gi), type: 'chorus' },
      { name: "Next Steps & To Do's", num_matches: count(/follow-up|next time|send (it|over)/gi), type: 'chorus' },
    ].filter((t) => t.num_matches > 0);
  }

  /** The attributes of GET /api/v1/conversations/{id} (all fields; the route applies `fields`). */
  conversation(call: SimulatedCall, nowMs: number): Record<string, unknown> {
    const state = this.state(call, nowMs);
    const host = this.byGongUser.get(call.metaData.primaryUserId)!;
    const speakers = this.speakers(call);
    const bySpeaker = new Map(speakers.map((s) => [s.gongSpeakerId, s]));
    const utterances = state === 'done' ? this.utterances(call) : [];
    const start = DateTime.fromMillis(call.startedAt, { zone: 'utc' });
    const iso = (ms: number) => DateTime.fromMillis(ms, { zone: 'utc' }).toISO({ suppressMilliseconds: true });
    const meetingUrl = call.metaData.meetingUrl;
    return {
      _created_at: iso(this.createdAt(call)),
      _modified_at: iso(this.modifiedAt(call, nowMs)),
      account: { ext_id: null, id: 100 + (hashSeed(this.seed, 'account', call.customerName) % 900), name: call.customerName, type: null, zi_company_id: null },
      company_name: COMPANY.name,
      deal: { close_date: null, current_stage: null, engaged: null, id: null, initial_amount: null, initial_stage: null, name: null },
      language: 'en',
      meeting: meetingUrl ? { calendar_id: null, ical_uid: null, id: this.engagementId(call).slice(0, 12).toLowerCase(), meeting_url: meetingUrl } : null,
      // Names are undocumented; these two are invented, and a connector must not rely on them.
      metrics: state === 'done' ? this.callMetrics(utterances, bySpeaker) : [],
      name: this.subject(call, nowMs),
      owner: { email: host.email, name: host.name, person_id: host.person_id, user_id: host.id },
      participants: this.participants(call).map((p) => ({ ...p, is_my_team: p.type === 'rep' })),
      private: false,
      source: this.isDialer(call) ? 'dialer' : call.metaData.system.toLowerCase().replace(/\s+/g, '_'),
      status: state,
      recording: {
        audio_only: this.isDialer(call),
        autojoin: !this.isDialer(call),
        autojoin_reason: '',
        unrecorded_reason: '',
        clusters: state === 'done' ? this.clusters(call, speakers, utterances) : [],
        duration: call.metaData.duration,
        end_reason: 'meeting_ended',
        has_meeting_summary: false,
        recordable: true,
        schedule_start_time: iso(DateTime.fromISO(call.metaData.scheduled).toMillis()),
        schedule_end_time: iso(DateTime.fromISO(call.metaData.scheduled).toMillis() + call.metaData.duration * 1000),
        start_time: start.toISO({ suppressMilliseconds: true }),
        thumbnails: [],
        trackers: [],
        utterances: utterances.map((u, index) => {
          const s = bySpeaker.get(u.speakerId)!;
          const isQuestion = questionCount(u.text) > 0;
          return {
            date_time: iso(call.startedAt + u.start),
            engaging: s.truth.side === 'internal' && isQuestion,
            expired: false,
            id: `${this.engagementId(call)}-${index}`,
            index,
            participant: s.personId,
            snippet: u.text,
            snippet_length: (u.end - u.start) / 1000,
            snippet_time: u.start / 1000,
            snippet_word_count: u.text.split(/\s+/).filter(Boolean).length,
            speaker_id: s.clusterId,
            speaker_name: s.name,
            speaker_type: s.speakerType,
          };
        }),
      },
    };
  }

  private clusters(call: SimulatedCall, speakers: SpeakerRecord[], utterances: readonly Utterance[]): unknown[] {
    return speakers.map((s) => {
      // talk ranges: consecutive utterances of the speaker merged while the gap is under 2 s
      const ranges: Array<{ start: number; length: number; talk_time: number }> = [];
      for (const u of utterances) {
        if (u.speakerId !== s.gongSpeakerId) continue;
        const last = ranges[ranges.length - 1];
        if (last && u.start / 1000 - (last.start + last.length) <= 2) {
          last.length = u.end / 1000 - last.start;
          last.talk_time += (u.end - u.start) / 1000;
        } else {
          ranges.push({ start: u.start / 1000, length: (u.end - u.start) / 1000, talk_time: (u.end - u.start) / 1000 });
        }
      }
      const party = call.parties.find((p) => p.speakerId === s.gongSpeakerId);
      return {
        company_name: s.truth.side === 'internal' ? COMPANY.name : party?.affiliation === 'External' ? call.customerName : null,
        display_name: s.name,
        id: s.clusterId,
        match_method: s.matchMethod,
        participant: s.truth.side === 'internal' || s.clusterType !== 'unknown' ? s.personId : null,
        ranges,
        speaker_name: s.name,
        title: party?.title ?? null,
        type: s.clusterType,
        user_id: s.userId,
      };
    });
  }

  private callMetrics(utterances: readonly Utterance[], bySpeaker: Map<string, SpeakerRecord>): Array<{ name: string; value: number }> {
    let rep = 0;
    let all = 0;
    for (const u of utterances) {
      const length = (u.end - u.start) / 1000;
      all += length;
      if (bySpeaker.get(u.speakerId)?.truth.side === 'internal') rep += length;
    }
    const engaging = utterances.filter((u) => bySpeaker.get(u.speakerId)?.truth.side === 'internal' && questionCount(u.text) > 0).length;
    return [
      { name: 'talk_ratio', value: all > 0 ? Math.round((rep / all) * 100) / 100 : 0 },
      { name: 'engaging_questions', value: engaging },
    ];
  }

  /** The call as Parley's metrics engine should see it (true sides and users, seconds): for tests. */
  normalizedCall(call: SimulatedCall): NormalizedCall {
    const speakers = this.speakers(call);
    return {
      id: this.engagementId(call),
      started_at: new Date(call.startedAt).toISOString(),
      duration_s: call.metaData.duration,
      participants: speakers.map((s) => ({
        speaker_id: String(s.clusterId),
        side: s.truth.side,
        ...(s.truth.userId !== undefined ? { user_id: String(s.truth.userId) } : {}),
      })),
      utterances: this.utterances(call).map((u) => ({
        speaker_id: String(speakers.find((s) => s.gongSpeakerId === u.speakerId)!.clusterId),
        start_s: u.start / 1000,
        end_s: u.end / 1000,
        text: u.text,
      })),
    };
  }

  private userRecord(g: GongUserMetadata, id: number): ChorusUserRecord {
    const rng = hashSeed(this.seed, 'chorus-person', g.id);
    const zone = this.source.timeZone;
    return {
      id,
      person_id: 10_000_000 + (rng % 90_000_000),
      email: g.emailAddress,
      first_name: g.firstName,
      last_name: g.lastName,
      name: `${g.firstName} ${g.lastName}`,
      title: g.title,
      type: 'Sales Rep',
      role: /manager|vp/i.test(g.title) ? 'manager' : 'rep',
      license_type: 'RECORDER',
      manager_id: null,
      team_ids: [TEAM_ID],
      primary_team: TEAM_ID,
      created_on: DateTime.fromISO(g.created).toUTC().toISO({ suppressMilliseconds: true })!,
      utc_offset: DateTime.fromISO(g.created, { zone }).offset / 60,
      language: 'en',
      invalidated: !g.active,
    };
  }
}
