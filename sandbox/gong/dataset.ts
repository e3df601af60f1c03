import { DateTime } from 'luxon';
import { createRng, hashSeed, type Rng } from '../shared/prng.js';
import { generateConversation, toMonologues, type CallKind, type GongMonologue, type SpeakerPlan, type Utterance } from './conversation.js';
import { computeNativeCallStats, userInteractionStats, type GongStat, type NativeCallStats, type NativeUserCallStats } from './native-stats.js';
import {
  COMPANY,
  CUSTOMER_ACCOUNTS,
  CUSTOMER_TITLES,
  FIRST_NAMES,
  LAST_NAMES,
  ROLE_TITLES,
  type CustomerAccount,
  type InternalRole,
} from './people.js';

/**
 * The synthetic Gong tenant: users, and calls generated lazily per calendar day (company time
 * zone) from (seed, date), so any range is stable across runs and processes without generating
 * what nobody asks for. Transcripts and stats are derived per call on demand and cached.
 *
 * Shapes are Gong's own (UserMetadata, CallBasicData, Party, Monologue), so tests can compare
 * what the simulator serves with what they compute from here.
 */

export interface GongDatasetOptions {
  seed: number;
  /** the company zone, as Gong names it (e.g. `US/Pacific`) */
  timeZone: string;
  /** active users besides the departed one and the avatar */
  userCount: number;
  /** first day with calls (YYYY-MM-DD, company zone); default 2023-01-01 */
  historyStart?: string;
}

export interface GongUserSettings {
  webConferencesRecorded: boolean;
  preventWebConferenceRecording: boolean;
  telephonyCallsImported: boolean;
  emailsImported: boolean;
  preventEmailImport: boolean;
  nonRecordedMeetingsImported: boolean;
  gongConnectEnabled: boolean;
}

/** Gong's `UserMetadata`. */
export interface GongUserMetadata {
  id: string;
  emailAddress: string;
  created: string;
  active: boolean;
  emailAliases: string[];
  trustedEmailAddress: string;
  firstName: string;
  lastName: string;
  title: string;
  phoneNumber?: string;
  extension?: string;
  personalMeetingUrls: string[];
  settings: GongUserSettings;
  managerId?: string;
  meetingConsentPageUrl: string;
  conferencingProviders: Array<{ provider: string; isDefault: boolean }>;
  spokenLanguages: Array<{ language: string; primary: boolean }>;
}

/** Gong's `CallBasicData`. */
export interface GongCallMetaData {
  id: string;
  url: string;
  title: string;
  scheduled: string;
  started: string;
  /** seconds */
  duration: number;
  primaryUserId: string;
  direction: 'Inbound' | 'Outbound' | 'Conference' | 'Unknown';
  system: string;
  scope: 'Internal' | 'External' | 'Unknown';
  media: 'Video' | 'Audio';
  language: string;
  workspaceId: string;
  sdrDisposition?: string;
  purpose?: string;
  meetingUrl?: string;
  isPrivate: boolean;
}

/** Gong's `Party`. */
export interface GongParty {
  id: string;
  emailAddress?: string;
  name: string;
  title?: string;
  userId?: string;
  /** absent for invitees who never joined */
  speakerId?: string;
  affiliation: 'Internal' | 'External' | 'Unknown';
  phoneNumber?: string;
  methods: Array<'Invitee' | 'Attendee'>;
}

export interface SimulatedCall {
  id: string;
  /** calendar date of `started` in the company zone */
  localDate: string;
  kind: CallKind;
  /** epoch ms */
  startedAt: number;
  /** startedAt + duration: the call is only visible in Gong after it ended */
  endedAt: number;
  /**
   * When its transcript becomes available: Gong transcribes after the call, minutes to hours later
   * (epoch ms; the transcript endpoint leaves the call out before then).
   */
  transcriptReadyAt: number;
  /** some calls are edited after they end (a rep renames the call): from `at` on, the title reads `title` */
  edit?: { at: number; title: string };
  metaData: GongCallMetaData;
  parties: GongParty[];
  /** Gong user ids of the internal participants who spoke, host first */
  internalUserIds: string[];
  /** who speaks, for the conversation generator */
  readonly speakers: readonly SpeakerPlan[];
  readonly presenterId: string;
  readonly customerName: string;
}

/** A call in the input shape of Parley's METRICS.md (seconds), for computing expectations. */
export interface MetricsCallInput {
  id: string;
  started_at: string;
  duration_s: number;
  participants: Array<{ speaker_id: string; side: 'internal' | 'external'; user_id?: string }>;
  utterances: Array<{ speaker_id: string; start_s: number; end_s: number; text: string }>;
}

export interface InteractionStatsQuery {
  /** YYYY-MM-DD, inclusive, company zone */
  fromDate: string;
  /** YYYY-MM-DD, exclusive, company zone */
  toDate: string;
  userIds?: readonly string[];
  /** only users created in [createdFrom, createdTo) (epoch ms) */
  createdFrom?: number;
  createdTo?: number;
  /** only calls that had ended by then (epoch ms); default: all */
  asOf?: number;
}

/** One element of Gong's `peopleInteractionStats`. */
export interface GongPersonInteractionStats {
  userId: string;
  userEmailAddress: string;
  personInteractionStats: GongStat[];
}

interface UserProfile {
  index: number;
  role: InternalRole;
  metadata: GongUserMetadata;
  isAvatar: boolean;
  /** first local date with calls */
  firstDay: string;
  /** first local date without calls again (departed users) */
  lastDayExclusive?: string;
  /** multiplies the role's call rate */
  activity: number;
  wordsPerSecond: number;
  fillerRate: number;
  reportsFillerWords: boolean;
  managerIndex?: number;
}

/** Mean number of calls hosted per weekday, by role. */
const HOSTED_PER_WEEKDAY: Record<InternalRole, number> = {
  vp: 0.15,
  manager: 0.4,
  ae: 2.2,
  'senior-ae': 2.0,
  sdr: 3.0,
  se: 0.3,
  csm: 1.6,
};
const WEEKEND_FACTOR = 0.04;
const VACATION_WEEK_PROBABILITY = 0.07;
const DAY_OFF_PROBABILITY = 0.03;
const ROLE_PATTERN: InternalRole[] = ['vp', 'manager', 'ae', 'ae', 'sdr', 'se', 'manager', 'senior-ae', 'ae', 'sdr', 'csm', 'ae'];
const EXTRA_ROLES: InternalRole[] = ['ae', 'sdr', 'ae', 'csm', 'se', 'senior-ae'];
/** The user at this index joins after history starts, so early periods lack them. */
const LATE_JOINER_INDEX = 11;
const LATE_JOINER_DELAY_DAYS = 400;
const DEPARTED_AFTER_DAYS = 240;

const KINDS_BY_ROLE: Record<InternalRole, ReadonlyArray<readonly [CallKind, number]>> = {
  vp: [['exec-alignment', 1]],
  manager: [['exec-alignment', 0.6], ['pricing', 0.4]],
  ae: [['discovery', 0.35], ['demo', 0.35], ['pricing', 0.15], ['check-in', 0.15]],
  'senior-ae': [['discovery', 0.25], ['demo', 0.35], ['pricing', 0.25], ['exec-alignment', 0.15]],
  sdr: [['cold-call', 1]],
  se: [['deep-dive', 1]],
  csm: [['check-in', 0.45], ['qbr', 0.3], ['onboarding', 0.25]],
};
/** minutes */
const DURATION_BY_KIND: Record<CallKind, readonly [number, number]> = {
  discovery: [25, 45],
  demo: [35, 60],
  pricing: [20, 40],
  'check-in': [10, 30],
  'cold-call': [10, 20],
  qbr: [40, 60],
  onboarding: [30, 50],
  'deep-dive': [30, 60],
  'exec-alignment': [20, 40],
};
const PURPOSE_BY_KIND: Record<CallKind, string> = {
  discovery: 'Discovery',
  demo: 'Demo',
  pricing: 'Pricing Review',
  'check-in': 'Check-in',
  'cold-call': 'Qualification',
  qbr: 'Quarterly Business Review',
  onboarding: 'Onboarding',
  'deep-dive': 'Technical Deep Dive',
  'exec-alignment': 'Executive Alignment',
};

const DAY_MS = 86_400_000;

/**
 * The most days one query may generate calls for. Generation is synchronous; a vendor pages or
 * refuses an absurd range rather than stall, and so does the simulator: callers clip ranges at
 * their "now" and at `historyStart`, and anything still longer is refused.
 */
export const MAX_DAYS_PER_QUERY = 3660;

/** A range longer than MAX_DAYS_PER_QUERY; simulators answer it with their vendor's 400. */
export class QueryTooLargeError extends RangeError {
  readonly statusCode = 400;
}

function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

function dateOfDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return dateOfDayNumber(dayNumber(date) + days);
}

/** A small insertion-ordered cache that forgets its oldest entries. */
class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  set(key: K, value: V): V {
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
    return value;
  }
}

interface Contact {
  firstName: string;
  lastName: string;
  title: string;
  email: string;
  phone: string;
}

/** Minutes between a call's end and its transcript (uniform in this range). */
const TRANSCRIPT_LAG_MINUTES: readonly [number, number] = [10, 240];
/** Share of calls renamed after they end. */
const EDITED_SHARE = 0.1;
const EDIT_NOTES = ['rescheduled', 'follow-up', 'notes added', 'renewal'] as const;

export class GongDataset {
  readonly seed: number;
  readonly timeZone: string;
  readonly historyStart: string;
  readonly workspaceId: string;
  readonly companyName = COMPANY.name;
  readonly companyDomain = COMPANY.domain;
  /** the company's users (active and departed); avatars are listed separately */
  readonly users: readonly GongUserMetadata[];
  /** synthetic Gong-employee users, listed by /v2/users only with includeAvatars=true */
  readonly avatars: readonly GongUserMetadata[];

  private readonly profiles: UserProfile[];
  private readonly profileById = new Map<string, UserProfile>();
  private readonly days = new BoundedCache<string, SimulatedCall[]>(1500);
  private readonly utteranceCache = new BoundedCache<string, Utterance[]>(256);
  private readonly statsCache = new BoundedCache<string, NativeCallStats>(100_000);
  private readonly contactCache = new Map<string, Contact[]>();

  constructor(options: GongDatasetOptions) {
    this.seed = options.seed;
    this.timeZone = options.timeZone;
    this.historyStart = options.historyStart ?? '2023-01-01';
    if (!DateTime.now().setZone(this.timeZone).isValid) throw new RangeError(`unknown time zone ${this.timeZone}`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(this.historyStart)) throw new RangeError(`historyStart must be YYYY-MM-DD`);
    this.workspaceId = createRng(hashSeed(this.seed, 'workspace')).digits(18);
    this.profiles = this.buildProfiles(Math.max(1, Math.floor(options.userCount)));
    for (const p of this.profiles) this.profileById.set(p.metadata.id, p);
    this.users = this.profiles.filter((p) => !p.isAvatar).map((p) => p.metadata);
    this.avatars = this.profiles.filter((p) => p.isAvatar).map((p) => p.metadata);
  }

  /** A user or avatar by Gong id. */
  user(id: string): GongUserMetadata | undefined {
    return this.profileById.get(id)?.metadata;
  }

  /** Whether the simulator reports the extra "Filler Words" stat for this user. */
  reportsFillerWords(userId: string): boolean {
    return this.profileById.get(userId)?.reportsFillerWords ?? false;
  }

  /** The company-zone calendar date of an instant. */
  localDate(instant: Date | number): string {
    return DateTime.fromMillis(typeof instant === 'number' ? instant : instant.getTime(), { zone: this.timeZone }).toISODate() as string;
  }

  /** Midnight starting `date` in the company zone, as epoch ms. */
  startOfDay(date: string): number {
    return DateTime.fromISO(date, { zone: this.timeZone }).toMillis();
  }

  /** The instant as Gong prints it: ISO 8601 with the company's offset, whole seconds. */
  formatInstant(epochMs: number): string {
    return formatWithOffset(epochMs, DateTime.fromMillis(epochMs, { zone: this.timeZone }).offset);
  }

  /** Calls that started on this company-zone date, in order of start. */
  callsOnDay(date: string): readonly SimulatedCall[] {
    const cached = this.days.get(date);
    if (cached) return cached;
    return this.days.set(date, this.generateDay(date));
  }

  /**
   * Calls with `startedAt` in [from, to), in order of start. Strings are ISO 8601; without an
   * offset (or date-only) they are company-zone local times.
   */
  callsBetween(from: Date | number | string, to: Date | number | string): readonly SimulatedCall[] {
    const fromMs = this.toEpochMs(from);
    const toMs = this.toEpochMs(to);
    if (!(fromMs < toMs)) return [];
    const firstDay = this.localDate(Math.max(fromMs, this.startOfDay(this.historyStart)));
    const lastDay = Number.isFinite(toMs) ? this.localDate(toMs - 1) : undefined;
    const days = lastDay === undefined ? Infinity : dayNumber(lastDay) - dayNumber(firstDay) + 1;
    if (days > MAX_DAYS_PER_QUERY) {
      throw new QueryTooLargeError(`a query may cover at most ${MAX_DAYS_PER_QUERY} days of calls; narrow the date range`);
    }
    const out: SimulatedCall[] = [];
    for (let n = dayNumber(firstDay), end = dayNumber(lastDay!); n <= end; n++) {
      for (const call of this.callsOnDay(dateOfDayNumber(n))) {
        if (call.startedAt >= fromMs && call.startedAt < toMs) out.push(call);
      }
    }
    return out;
  }

  /** A call by id, from any day (the id encodes its day). */
  call(id: string): SimulatedCall | undefined {
    if (!/^\d{19}$/.test(id)) return undefined;
    const day = dateOfDayNumber(Number(id.slice(6, 11)));
    const call = this.callsOnDay(day)[Number(id.slice(11, 14))];
    return call && call.id === id ? call : undefined;
  }

  /** The call's sentences, sorted by start (ms from call start). */
  utterances(call: SimulatedCall | string): readonly Utterance[] {
    const c = this.resolve(call);
    const cached = this.utteranceCache.get(c.id);
    if (cached) return cached;
    return this.utteranceCache.set(
      c.id,
      generateConversation({
        kind: c.kind,
        durationMs: c.metaData.duration * 1000,
        speakers: c.speakers,
        presenterId: c.presenterId,
        customerName: c.customerName,
        seed: hashSeed(this.seed, 'transcript', c.id),
      }),
    );
  }

  /** Gong's `transcript` of the call: monologues of sentences, times in ms from call start. */
  transcript(call: SimulatedCall | string): GongMonologue[] {
    return toMonologues(this.utterances(call));
  }

  /** The simulator's native (Gong-like) stats of one call. */
  callStats(call: SimulatedCall | string): NativeCallStats {
    const c = this.resolve(call);
    const cached = this.statsCache.get(c.id);
    if (cached) return cached;
    const speakers = c.parties
      .filter((p): p is GongParty & { speakerId: string } => p.speakerId !== undefined)
      .map((p) => ({ speakerId: p.speakerId, company: p.affiliation === 'Internal', ...(p.userId ? { userId: p.userId } : {}) }));
    return this.statsCache.set(c.id, computeNativeCallStats(this.utterances(c), speakers, c.metaData.duration));
  }

  /**
   * What /v2/stats/interaction reports for [fromDate, toDate): one entry per user with calls in
   * the window, in user order. Empty when nobody had calls (the route answers 404 then).
   */
  interactionStats(query: InteractionStatsQuery): GongPersonInteractionStats[] {
    const from = this.startOfDay(query.fromDate);
    const to = this.startOfDay(query.toDate);
    const wanted = query.userIds ? new Set(query.userIds) : undefined;
    const perUser = new Map<string, NativeUserCallStats[]>();
    for (const call of this.callsBetween(from, to)) {
      if (query.asOf !== undefined && call.endedAt > query.asOf) continue;
      for (const [userId, stats] of this.callStats(call).users) {
        if (wanted && !wanted.has(userId)) continue;
        const list = perUser.get(userId) ?? [];
        list.push(stats);
        perUser.set(userId, list);
      }
    }
    const out: GongPersonInteractionStats[] = [];
    for (const profile of this.profiles) {
      const calls = perUser.get(profile.metadata.id);
      if (!calls) continue;
      const created = Date.parse(profile.metadata.created);
      if (query.createdFrom !== undefined && created < query.createdFrom) continue;
      if (query.createdTo !== undefined && created >= query.createdTo) continue;
      out.push({
        userId: profile.metadata.id,
        userEmailAddress: profile.metadata.emailAddress,
        personInteractionStats: userInteractionStats(calls, profile.reportsFillerWords),
      });
    }
    return out;
  }

  /** The call in Parley's METRICS.md input shape (seconds from call start). */
  metricsInput(call: SimulatedCall | string): MetricsCallInput {
    const c = this.resolve(call);
    return {
      id: c.id,
      started_at: new Date(c.startedAt).toISOString(),
      duration_s: c.metaData.duration,
      participants: c.parties
        .filter((p): p is GongParty & { speakerId: string } => p.speakerId !== undefined)
        .map((p) => ({
          speaker_id: p.speakerId,
          side: p.affiliation === 'Internal' ? ('internal' as const) : ('external' as const),
          ...(p.userId ? { user_id: p.userId } : {}),
        })),
      utterances: this.utterances(c).map((u) => ({ speaker_id: u.speakerId, start_s: u.start / 1000, end_s: u.end / 1000, text: u.text })),
    };
  }

  private toEpochMs(value: Date | number | string): number {
    if (typeof value === 'number') return value;
    if (value instanceof Date) return value.getTime();
    const parsed = DateTime.fromISO(value, { zone: this.timeZone });
    if (!parsed.isValid) throw new RangeError(`not an ISO 8601 date or date-time: ${value}`);
    return parsed.toMillis();
  }

  private resolve(call: SimulatedCall | string): SimulatedCall {
    if (typeof call !== 'string') return call;
    const found = this.call(call);
    if (!found) throw new RangeError(`no call ${call}`);
    return found;
  }

  // ---------------------------------------------------------------- users

  private buildProfiles(userCount: number): UserProfile[] {
    const rng = createRng(hashSeed(this.seed, 'users'));
    const usedNames = new Set<string>();
    const usedIds = new Set<string>();
    const profiles: UserProfile[] = [];
    const newId = (): string => {
      let id: string;
      do id = rng.digits(rng.chance(0.3) ? 18 : 19);
      while (usedIds.has(id));
      usedIds.add(id);
      return id;
    };
    const newName = (): [string, string] => {
      for (;;) {
        const first = rng.pick(FIRST_NAMES);
        const last = rng.pick(LAST_NAMES);
        if (!usedNames.has(`${first} ${last}`)) {
          usedNames.add(`${first} ${last}`);
          return [first, last];
        }
      }
    };
    const historyStart = this.historyStart;
    const createdAt = (date: string): string => {
      const dt = DateTime.fromISO(date, { zone: this.timeZone }).set({ hour: rng.int(8, 18), minute: rng.int(0, 59), second: rng.int(0, 59) });
      return dt.toISO({ suppressMilliseconds: true }) as string;
    };

    const make = (index: number, role: InternalRole, kind: 'active' | 'departed' | 'avatar'): UserProfile => {
      const [firstName, lastName] = kind === 'avatar' ? ['Gong', 'Support'] : newName();
      const local = `${firstName}.${lastName}`.toLowerCase();
      const email = kind === 'avatar' ? 'support.avatar@gong.example' : `${local}@${COMPANY.domain}`;
      const aliases: string[] = [];
      if (kind !== 'avatar' && rng.chance(0.35)) aliases.push(`${firstName.charAt(0)}${lastName}`.toLowerCase() + `@${COMPANY.domain}`);
      if (kind !== 'avatar' && rng.chance(0.2)) aliases.push(`${local}@${COMPANY.formerDomain}`);
      let createdDay = addDays(historyStart, -rng.int(30, 900));
      let lastDayExclusive: string | undefined;
      if (kind === 'active' && index === LATE_JOINER_INDEX) createdDay = addDays(historyStart, LATE_JOINER_DELAY_DAYS);
      if (kind === 'departed') lastDayExclusive = addDays(historyStart, DEPARTED_AFTER_DAYS);
      if (kind === 'avatar') createdDay = historyStart;
      // Calls start the day after the account exists.
      const firstDay = addDays(createdDay, 1);
      const metadata: GongUserMetadata = {
        id: newId(),
        emailAddress: email,
        created: createdAt(createdDay),
        active: kind !== 'departed',
        emailAliases: aliases,
        trustedEmailAddress: email,
        firstName,
        lastName,
        title: kind === 'avatar' ? 'Gong Customer Success' : ROLE_TITLES[role],
        personalMeetingUrls: kind === 'avatar' ? [] : [`https://zoom.us/j/${rng.digits(10)}`],
        settings: {
          webConferencesRecorded: kind !== 'avatar',
          preventWebConferenceRecording: false,
          telephonyCallsImported: role === 'sdr',
          emailsImported: kind !== 'avatar',
          preventEmailImport: false,
          nonRecordedMeetingsImported: kind !== 'avatar',
          gongConnectEnabled: role === 'sdr',
        },
        meetingConsentPageUrl: `https://join.gong.io/lumenharbor/${local}?tkn=${base62(rng, 22)}`,
        conferencingProviders: [{ provider: rng.chance(0.8) ? 'zoom' : 'google-meet', isDefault: true }],
        spokenLanguages: [{ language: 'en-US', primary: true }, ...(rng.chance(0.2) ? [{ language: 'es-ES', primary: false }] : [])],
      };
      if (kind !== 'avatar') {
        metadata.phoneNumber = `+1 415-555-${String(rng.int(100, 9999)).padStart(4, '0')}`;
        if (rng.chance(0.4)) metadata.extension = String(rng.int(100, 999));
      }
      const reportsFillerWords = kind !== 'avatar' && index % 3 === 1;
      return {
        index,
        role,
        metadata,
        isAvatar: kind === 'avatar',
        firstDay,
        ...(lastDayExclusive ? { lastDayExclusive } : {}),
        activity: rng.float(0.7, 1.3),
        wordsPerSecond: rng.float(2.3, 3.1),
        fillerRate: reportsFillerWords ? rng.float(0.12, 0.2) : rng.float(0.02, 0.1),
        reportsFillerWords,
      };
    };

    for (let i = 0; i < userCount; i++) {
      const role = i < ROLE_PATTERN.length ? (ROLE_PATTERN[i] as InternalRole) : (EXTRA_ROLES[(i - ROLE_PATTERN.length) % EXTRA_ROLES.length] as InternalRole);
      profiles.push(make(i, role, 'active'));
    }
    profiles.push(make(userCount, 'ae', 'departed'));
    profiles.push(make(userCount + 1, 'csm', 'avatar'));

    // Reporting lines: the VP leads the managers; everyone else reports to one of the managers.
    const managers = profiles.filter((p) => p.role === 'manager' && !p.isAvatar);
    const vp = profiles.find((p) => p.role === 'vp');
    let turn = 0;
    for (const p of profiles) {
      if (p.isAvatar || p.role === 'vp') continue;
      const manager = p.role === 'manager' || managers.length === 0 ? vp : managers[turn++ % managers.length];
      if (manager && manager !== p) {
        p.metadata.managerId = manager.metadata.id;
        p.managerIndex = manager.index;
      }
    }
    // Keep Gong's key order (managerId after settings) for readable dumps.
    for (const p of profiles) p.metadata = reorderUser(p.metadata);
    return profiles;
  }

  private available(profile: UserProfile, date: string, isoWeek: string): boolean {
    if (profile.isAvatar) return false;
    if (date < profile.firstDay) return false;
    if (profile.lastDayExclusive && date >= profile.lastDayExclusive) return false;
    if (hashSeed(this.seed, 'vacation', profile.index, isoWeek) / 2 ** 32 < VACATION_WEEK_PROBABILITY) return false;
    if (hashSeed(this.seed, 'day-off', profile.index, date) / 2 ** 32 < DAY_OFF_PROBABILITY) return false;
    return true;
  }

  // ---------------------------------------------------------------- calls

  private generateDay(date: string): SimulatedCall[] {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date < this.historyStart) return [];
    const calendar = DateTime.fromISO(date, { zone: 'utc' }); // calendar facts only: no zone lookups
    if (!calendar.isValid) return [];
    const isoWeek = `${calendar.weekYear}-W${calendar.weekNumber}`;
    const weekend = calendar.weekday >= 6;
    // Zone lookups dominate generation time, so take the offset once per day. Calls happen
    // 08:00–19:00 local, and zones change offset at night, so noon's offset holds for all of them.
    const offsetMinutes = DateTime.fromObject({ year: calendar.year, month: calendar.month, day: calendar.day, hour: 12 }, { zone: this.timeZone }).offset;
    const day: WorkingDay = { date, utcMidnight: calendar.toMillis(), offsetMinutes };
    const rng = createRng(hashSeed(this.seed, 'day', date));
    const present = this.profiles.filter((p) => this.available(p, date, isoWeek));
    const drafts: DraftedCall[] = [];
    for (const host of present) {
      const mean = HOSTED_PER_WEEKDAY[host.role] * host.activity * (weekend ? WEEKEND_FACTOR : 1);
      const count = rng.poisson(mean);
      for (let k = 0; k < count; k++) drafts.push(this.draftCall(host, present, day, rng.fork(`${host.index}:${k}`)));
    }
    drafts.sort((a, b) => a.startedAt - b.startedAt);
    return drafts.slice(0, 1000).map((d, index) => this.finishCall(d, date, index));
  }

  private draftCall(
    host: UserProfile,
    present: readonly UserProfile[],
    day: WorkingDay,
    rng: Rng,
  ): DraftedCall {
    const kind = rng.weighted(KINDS_BY_ROLE[host.role]);
    const [minMinutes, maxMinutes] = DURATION_BY_KIND[kind];
    const durationSeconds = rng.int(minMinutes * 60, maxMinutes * 60);
    const scheduledAt = day.utcMidnight + (8 * 60 + 15 * rng.int(0, 38) - day.offsetMinutes) * 60_000; // 08:00–17:30 local
    const startedAt = scheduledAt + rng.int(-60, 360) * 1000;
    const phone = kind === 'cold-call' && rng.chance(0.7);

    // A second company voice joins some calls.
    const others = present.filter((p) => p !== host);
    const pickRole = (...roles: InternalRole[]): UserProfile | undefined => {
      const fitting = others.filter((p) => roles.includes(p.role));
      return fitting.length ? rng.pick(fitting) : undefined;
    };
    const roll = rng.next();
    let cohost: UserProfile | undefined;
    if (!phone) {
      if (['ae', 'senior-ae'].includes(host.role) && ['discovery', 'demo', 'pricing'].includes(kind)) {
        if (roll < 0.35) cohost = pickRole('se');
        else if (roll < 0.45) cohost = others.find((p) => p.index === host.managerIndex);
      } else if (host.role === 'csm' && roll < 0.1) cohost = pickRole('ae', 'senior-ae');
      else if ((host.role === 'manager' || host.role === 'vp') && roll < 0.2) cohost = pickRole('ae', 'senior-ae');
      else if (host.role === 'se' && roll < 0.4) cohost = pickRole('ae', 'senior-ae');
      else if (host.role === 'sdr' && roll < 0.05) cohost = others.find((p) => p.index === host.managerIndex);
    }

    const accountIndex = rng.int(0, CUSTOMER_ACCOUNTS.length - 1);
    const account = CUSTOMER_ACCOUNTS[accountIndex] as CustomerAccount;
    const contacts = this.contacts(accountIndex);
    const externalCount = phone ? 1 : rng.weighted([[1, 0.45], [2, 0.35], [3, 0.2]] as const);
    const chosen: Contact[] = [];
    const pool = [...contacts];
    for (let i = 0; i < externalCount; i++) chosen.push(pool.splice(rng.int(0, pool.length - 1), 1)[0] as Contact);
    const dialIn = !phone && externalCount >= 2 && rng.chance(0.05);
    const noShow = !phone && pool.length > 0 && rng.chance(0.2) ? pool[rng.int(0, pool.length - 1)] : undefined;

    const draft: CallDraft = {
      host,
      cohost,
      account,
      externals: dialIn ? chosen.slice(0, -1) : chosen,
      dialIn: dialIn ? `+1 ${rng.int(201, 989)}-555-${String(rng.int(100, 199)).padStart(4, '0')}` : undefined,
      noShow,
      phone,
      system: phone ? rng.pick(['Aircall', 'Outreach']) : rng.pick(['Zoom', 'Zoom', 'Google Meet', 'Microsoft Teams']),
      isPrivate: rng.chance(0.03),
      partyIds: Array.from({ length: 8 }, () => rng.digits(rng.int(14, 17))),
      speakerIds: Array.from({ length: 8 }, () => rng.digits(19)),
      meetingCode: rng.digits(10),
      scheduledAt,
      offsetMinutes: day.offsetMinutes,
      durationSeconds,
      sdrDisposition: kind === 'cold-call' ? rng.pick(['Meeting booked', 'Follow up later', 'Not interested', 'Got the gatekeeper']) : undefined,
    };

    const speakers: SpeakerPlan[] = [
      { speakerId: draft.speakerIds[0] as string, side: 'company', role: 'host', firstName: host.metadata.firstName, wordsPerSecond: host.wordsPerSecond, fillerRate: host.fillerRate },
    ];
    if (cohost) {
      // Managers often sit in only to listen.
      const quiet = (cohost.role === 'manager' || cohost.role === 'vp') && rng.chance(0.7);
      speakers.push({
        speakerId: draft.speakerIds[1] as string,
        side: 'company',
        role: 'cohost',
        firstName: cohost.metadata.firstName,
        wordsPerSecond: cohost.wordsPerSecond,
        fillerRate: cohost.fillerRate,
        ...(quiet ? { quiet } : {}),
      });
    }
    draft.externals.forEach((contact, i) => {
      speakers.push({
        speakerId: draft.speakerIds[2 + i] as string,
        side: 'customer',
        role: i === 0 ? 'champion' : 'guest',
        firstName: contact.firstName,
        wordsPerSecond: rng.float(2.2, 3.2),
        fillerRate: rng.float(0.02, 0.12),
      });
    });
    if (draft.dialIn) {
      speakers.push({ speakerId: draft.speakerIds[5] as string, side: 'customer', role: 'guest', firstName: 'Caller', wordsPerSecond: 2.6, fillerRate: 0.05 });
    }
    const presenterId = cohost && cohost.role === 'se' && ['demo', 'deep-dive', 'pricing'].includes(kind) ? (speakers[1] as SpeakerPlan).speakerId : (speakers[0] as SpeakerPlan).speakerId;

    return {
      localDate: day.date,
      kind,
      startedAt,
      endedAt: startedAt + durationSeconds * 1000,
      internalUserIds: [host.metadata.id, ...(cohost ? [cohost.metadata.id] : [])],
      speakers,
      presenterId,
      customerName: account.name,
      draft,
    };
  }

  /** Ids are assigned once the day's calls are in start order, so the id encodes day and index. */
  private finishCall(d: DraftedCall, date: string, index: number): SimulatedCall {
    const { draft, ...rest } = d;
    const idRng = createRng(hashSeed(this.seed, 'call-id', date, index));
    const id = `${idRng.digits(6)}${String(dayNumber(date)).padStart(5, '0')}${String(index).padStart(3, '0')}${idRng.digits(5)}`;
    const { host, cohost, account } = draft;
    const conference = !draft.phone;
    const meetingUrl =
      draft.system === 'Zoom'
        ? `https://zoom.us/j/${draft.meetingCode}`
        : draft.system === 'Google Meet'
          ? `https://meet.google.com/${letters(draft.meetingCode)}`
          : draft.system === 'Microsoft Teams'
            ? `https://teams.microsoft.com/l/meetup-join/${draft.meetingCode}`
            : undefined;
    const metaData: GongCallMetaData = {
      id,
      url: `https://app.gong.io/call?id=${id}`,
      title: conference ? `${account.name} <> ${COMPANY.name} | ${PURPOSE_BY_KIND[d.kind]}` : `Call with ${(draft.externals[0] as Contact).firstName} ${(draft.externals[0] as Contact).lastName} (${account.name})`,
      scheduled: formatWithOffset(draft.scheduledAt, draft.offsetMinutes),
      started: formatWithOffset(d.startedAt, draft.offsetMinutes),
      duration: draft.durationSeconds,
      primaryUserId: host.metadata.id,
      direction: conference ? 'Conference' : 'Outbound',
      system: draft.system,
      scope: 'External',
      media: conference ? 'Video' : 'Audio',
      language: 'eng',
      workspaceId: this.workspaceId,
      ...(draft.sdrDisposition ? { sdrDisposition: draft.sdrDisposition } : {}),
      purpose: PURPOSE_BY_KIND[d.kind],
      ...(meetingUrl ? { meetingUrl } : {}),
      isPrivate: draft.isPrivate,
    };
    const internalParty = (p: UserProfile, slot: number): GongParty => ({
      id: draft.partyIds[slot] as string,
      emailAddress: p.metadata.emailAddress,
      name: `${p.metadata.firstName} ${p.metadata.lastName}`,
      title: p.metadata.title,
      userId: p.metadata.id,
      speakerId: draft.speakerIds[slot] as string,
      affiliation: 'Internal',
      methods: conference ? ['Invitee', 'Attendee'] : ['Attendee'],
    });
    const parties: GongParty[] = [internalParty(host, 0)];
    if (cohost) parties.push(internalParty(cohost, 1));
    draft.externals.forEach((c, i) => {
      parties.push({
        id: draft.partyIds[2 + i] as string,
        ...(conference ? { emailAddress: c.email } : {}),
        name: `${c.firstName} ${c.lastName}`,
        title: c.title,
        speakerId: draft.speakerIds[2 + i] as string,
        affiliation: 'External',
        ...(conference ? {} : { phoneNumber: c.phone }),
        methods: conference ? ['Invitee', 'Attendee'] : ['Attendee'],
      });
    });
    if (draft.dialIn) {
      parties.push({ id: draft.partyIds[5] as string, name: draft.dialIn, speakerId: draft.speakerIds[5] as string, affiliation: 'Unknown', phoneNumber: draft.dialIn, methods: ['Attendee'] });
    }
    if (draft.noShow) {
      parties.push({ id: draft.partyIds[6] as string, emailAddress: draft.noShow.email, name: `${draft.noShow.firstName} ${draft.noShow.lastName}`, title: draft.noShow.title, affiliation: 'External', methods: ['Invitee'] });
    }
    const later = createRng(hashSeed(this.seed, 'after-the-call', id));
    const transcriptReadyAt = d.endedAt + Math.round(later.float(TRANSCRIPT_LAG_MINUTES[0], TRANSCRIPT_LAG_MINUTES[1]) * 60_000);
    const edit = later.next() < EDITED_SHARE
      ? { at: d.endedAt + Math.round(later.float(2, 48) * 3_600_000), title: `${metaData.title} (${later.pick(EDIT_NOTES)})` }
      : undefined;
    return { id, ...rest, transcriptReadyAt, ...(edit ? { edit } : {}), metaData, parties };
  }

  /** The call's metadata as Gong shows it at `asOf` (after an edit, the edited title). */
  metaDataAt(call: SimulatedCall, asOf: number): GongCallMetaData {
    return call.edit && asOf >= call.edit.at ? { ...call.metaData, title: call.edit.title } : call.metaData;
  }

  /** The people of one customer account, the same on every call with that account. */
  private contacts(accountIndex: number): Contact[] {
    const key = String(accountIndex);
    const cached = this.contactCache.get(key);
    if (cached) return cached;
    const account = CUSTOMER_ACCOUNTS[accountIndex] as CustomerAccount;
    const rng = createRng(hashSeed(this.seed, 'contacts', accountIndex));
    const contacts: Contact[] = [];
    const used = new Set<string>();
    while (contacts.length < 6) {
      const firstName = rng.pick(FIRST_NAMES);
      const lastName = rng.pick(LAST_NAMES);
      if (used.has(firstName + lastName)) continue;
      used.add(firstName + lastName);
      contacts.push({
        firstName,
        lastName,
        title: rng.pick(CUSTOMER_TITLES),
        email: `${firstName}.${lastName}@${account.domain}`.toLowerCase(),
        phone: `+1 ${rng.int(201, 989)}-555-${String(rng.int(200, 999)).padStart(4, '0')}`,
      });
    }
    this.contactCache.set(key, contacts);
    return contacts;
  }
}

interface WorkingDay {
  date: string;
  /** epoch ms of 00:00 UTC on `date` */
  utcMidnight: number;
  /** the company zone's UTC offset during working hours */
  offsetMinutes: number;
}

/** ISO 8601 with an offset, whole seconds, `Z` for UTC (as Java's ISO_OFFSET_DATE_TIME prints it). */
function formatWithOffset(epochMs: number, offsetMinutes: number): string {
  const local = new Date(Math.floor(epochMs / 1000) * 1000 + offsetMinutes * 60_000).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${local}Z`;
  const abs = Math.abs(offsetMinutes);
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A call before its id exists: what `finishCall` turns into Gong's shapes. */
type DraftedCall = Omit<SimulatedCall, 'id' | 'metaData' | 'parties' | 'transcriptReadyAt' | 'edit'> & { draft: CallDraft };

interface CallDraft {
  host: UserProfile;
  cohost: UserProfile | undefined;
  account: CustomerAccount;
  externals: Contact[];
  dialIn: string | undefined;
  noShow: Contact | undefined;
  phone: boolean;
  system: string;
  isPrivate: boolean;
  partyIds: string[];
  speakerIds: string[];
  meetingCode: string;
  scheduledAt: number;
  /** the company zone's UTC offset on that working day */
  offsetMinutes: number;
  durationSeconds: number;
  sdrDisposition: string | undefined;
}

function base62(rng: Rng, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet.charAt(rng.int(0, alphabet.length - 1));
  return out;
}

/** a Google Meet style code (abc-defg-hij) from digits */
function letters(digits: string): string {
  const s = [...digits, ...digits].map((d) => String.fromCharCode(97 + ((Number(d) * 7 + 3) % 26))).join('');
  return `${s.slice(0, 3)}-${s.slice(3, 7)}-${s.slice(7, 10)}`;
}

function reorderUser(u: GongUserMetadata): GongUserMetadata {
  const ordered: GongUserMetadata = {
    id: u.id,
    emailAddress: u.emailAddress,
    created: u.created,
    active: u.active,
    emailAliases: u.emailAliases,
    trustedEmailAddress: u.trustedEmailAddress,
    firstName: u.firstName,
    lastName: u.lastName,
    title: u.title,
    ...(u.phoneNumber ? { phoneNumber: u.phoneNumber } : {}),
    ...(u.extension ? { extension: u.extension } : {}),
    personalMeetingUrls: u.personalMeetingUrls,
    settings: u.settings,
    ...(u.managerId ? { managerId: u.managerId } : {}),
    meetingConsentPageUrl: u.meetingConsentPageUrl,
    conferencingProviders: u.conferencingProviders,
    spokenLanguages: u.spokenLanguages,
  };
  return ordered;
}
