import type { z } from 'zod';
import type { DateTime } from 'luxon';
import type { UpstreamClient } from '../upstream/client.js';
import type { Clock } from '../domain/clock.js';
import type { Interaction } from '../domain/interaction.js';
import type { Meeting, Transcript, User } from '../domain/resources.js';
import type { AggregationPeriod } from '../metrics/buckets.js';
import type { Activity } from '../domain/activity.js';
import type { Scorecard, ScorecardTemplate } from '../domain/scorecard.js';

/**
 * What every connector provides. A connector knows its vendor and nothing of HTTP routes; the
 * service layer knows this interface and nothing of any vendor.
 */

export interface RateLimit {
  perSecond: number;
  windows?: { limit: number; windowMs: number }[];
}

/** Pure data about a vendor (the provider registry entry). */
export interface ProviderInfo {
  slug: string;
  name: string;
  docsUrl: string;
  defaultBaseUrl: string;
  /** validates the `credentials` object of POST /integrated-accounts */
  credentials: z.ZodType<Record<string, unknown>>;
  /**
   * The vendor's published budget, paced before sending. A function when it depends on the
   * account (Fireflies' limits differ by plan: a per-account setting with a safe default).
   */
  rateLimit: RateLimit | ((credentials: Record<string, unknown>) => RateLimit);
  /** how a request authenticates, from validated credentials */
  authHeaders(credentials: Record<string, unknown>): Record<string, string>;
  baseUrl(credentials: Record<string, unknown>): string;
  /**
   * The unified resources this vendor serves and where their numbers come from (GET /integrations,
   * the README table and each connector page are generated from, or checked against, this).
   */
  resources: Partial<Record<UnifiedResource, readonly ResourceSource[]>>;
  /** how the vendor's JSON bodies are parsed; default JSON.parse (Gong: lossless, its ids are 64-bit numbers) */
  parseJson?: (text: string) => unknown;
  /** how an account of this vendor can be connected (GET /integrations, the connect page) */
  auth: readonly AuthKind[];
  /** one sentence for the connect page: where in the vendor's app the credentials are found */
  credentialsHelp: string;
  /**
   * The cheap request that proves credentials work (at create and PATCH): it needs no extra scope,
   * so a 401/403 to it means the credentials themselves are wrong.
   */
  verification: CredentialCheck;
  /** OAuth 2 (authorization code) when `auth` includes 'oauth2' */
  oauth?: OAuthProviderInfo;
}

export type AuthKind = 'api_key' | 'oauth2';

export interface CredentialCheck {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** a vendor that answers a rejection with 200 (GraphQL errors): true when the body says so */
  rejected?(body: unknown): boolean;
}

export interface OAuthProviderInfo {
  authorizeUrl: string;
  tokenUrl: string;
  scopes: readonly string[];
  /** the token response field holding the account's API base URL (Gong: api_base_url_for_customer) */
  baseUrlField?: string;
}

export const UNIFIED_RESOURCES = ['users', 'meetings', 'transcripts', 'interactions', 'activity', 'scorecards', 'scorecard_templates'] as const;
export type UnifiedResource = (typeof UNIFIED_RESOURCES)[number];
/** native: the vendor's own records or numbers; computed: Parley derives them (METRICS.md, or from meetings) */
export type ResourceSource = 'native' | 'computed';

export interface ConnectorContext {
  accountId: string;
  credentials: Record<string, unknown>;
  /** non-secret facts learnt earlier (e.g. the company time zone) */
  settings: Record<string, unknown>;
  saveSettings(patch: Record<string, unknown>): Promise<void>;
  http: UpstreamClient;
  /** the calendar ("today"); never read Date.now() for it */
  clock: Clock;
}

/**
 * What a connector knows of one unified interaction record: the user and the vendor's numbers. The
 * service adds the id, the bucket's start_time and end_time, the timezone and the aggregation_period.
 */
export type InteractionDraft = Pick<Interaction, 'user' | 'metrics' | 'additional_metrics' | 'created_at' | 'updated_at' | 'remote_data'>;

/**
 * The settings of a vendor whose own numbers can be asked for any instant range (Fireflies
 * analytics, Clari per-call metrics): any zone, no company zone, never all five metrics.
 */
export const INSTANT_NATIVE_SOURCE = {
  reportsAllStandardMetrics: false,
  granularity: 'instant',
  zone: 'any',
  knownZone: () => undefined,
  // calls cannot start in the future: the end of today keeps today's bucket (and its id) stable
  reportableUntil: (now: DateTime, zone: string) => now.setZone(zone).startOf('day').plus({ days: 1 }),
} as const satisfies Omit<NativeInteractions, 'listBucket'>;

export interface NativeBucketQuery {
  /** the bucket, in `zone` */
  start: DateTime;
  end: DateTime;
  period: AggregationPeriod;
  zone: string;
  userIds?: readonly string[];
  /** names and emails already known (a sync passes its synced users): the connector need not list users */
  directory?: ReadonlyMap<string, User>;
}

export interface NativeBucketResult {
  records: InteractionDraft[];
  /** the zone the vendor cut the bucket in, as it names it */
  zone?: string;
}

/** Interaction metrics the vendor computes itself, served bucket by bucket. */
export interface NativeInteractions {
  /** all five standard metrics come from the vendor: then `native` is the default metrics_source */
  reportsAllStandardMetrics: boolean;
  /** 'day': the vendor takes dates only; date-times are widened to whole days */
  granularity: 'day' | 'instant';
  /** 'company': the vendor reports only in its own zone; another zone is a client error */
  zone: 'company' | 'any';
  /** the vendor's zone if known without a request (learnt earlier), else undefined */
  knownZone(): string | undefined;
  /** the last instant the vendor can report up to, given now (Gong: the start of today) */
  reportableUntil(now: DateTime, zone: string): DateTime;
  /** every record of one bucket, all vendor pages followed */
  listBucket(q: NativeBucketQuery): Promise<NativeBucketResult>;
}

/** One page as the vendor cut it; `next` is the vendor's own continuation, opaque to Parley. */
export interface VendorPage<T> {
  records: T[];
  next?: string;
}

export interface UsersReader {
  list(next?: string): Promise<VendorPage<User>>;
  get(id: string): Promise<User | undefined>;
}

export interface MeetingsQuery {
  /** meetings that started in [start, end) */
  start?: DateTime;
  end?: DateTime;
}

export interface MeetingsReader {
  list(q: MeetingsQuery, next?: string): Promise<VendorPage<Meeting>>;
  get(id: string): Promise<Meeting | undefined>;
}

export interface TranscriptsReader {
  /** undefined when the meeting exists but has no transcript (yet) */
  forMeeting(meetingId: string): Promise<Transcript | undefined>;
}

export interface Conversation {
  meeting: Meeting;
  transcript?: Transcript;
}

/**
 * Reads a sync run makes in fewer vendor requests than the live readers would (all optional: without
 * them a sync lists meetings and asks each meeting's transcript). Each call is one vendor page: the
 * sync commits what it returns together with its checkpoint before it asks for more.
 */
export interface SyncReaders {
  /** a page of meetings together with their transcripts, in one request (Fireflies lists sentences with meetings) */
  conversationsPage?(q: MeetingsQuery, next?: string): Promise<VendorPage<Conversation>>;
  /**
   * The transcripts of meetings already listed (and stored), by one bulk request where the vendor has
   * one (Gong: /v2/calls/transcript by callIds); a meeting without a transcript (yet) maps to undefined.
   */
  transcriptsOf?(meetings: readonly Meeting[]): Promise<Map<string, Transcript | undefined>>;
  /** the most meetings `transcriptsOf` takes at once */
  transcriptsBatch?: number;
}

/**
 * What a connector knows of one Activity record: the user and the vendor's counters, and for
 * answers cut by period, the instant the vendor's period starts (the service puts it in its bucket).
 */
export type ActivityDraft = Pick<Activity, 'user' | 'metrics' | 'additional_metrics' | 'remote_data'> & { periodStart?: DateTime };

export interface NativeActivityQuery {
  start: DateTime;
  end: DateTime;
  /** day, week (from Monday), month: one record per user per period; total: one per user for the range */
  period: AggregationPeriod;
  zone: string;
  userIds?: readonly string[];
  /** names and emails already known (a sync passes its synced users) */
  directory?: ReadonlyMap<string, User>;
}

/** Activity counters the vendor keeps itself (Gong), for a whole range in one listing. */
export interface NativeActivity {
  granularity: 'day';
  zone: 'company';
  knownZone(): string | undefined;
  reportableUntil(now: DateTime, zone: string): DateTime;
  /** every record of [start, end), all vendor pages followed */
  list(q: NativeActivityQuery): Promise<{ records: ActivityDraft[]; zone?: string }>;
}

export interface ScorecardsQuery {
  /** dates of the call and of the review, in `zone` (the vendor takes dates: the service widens) */
  callFrom?: DateTime;
  callTo?: DateTime;
  reviewFrom?: DateTime;
  reviewTo?: DateTime;
  zone: string;
  revieweeIds?: readonly string[];
  templateIds?: readonly string[];
  reviewMethod?: 'manual' | 'automatic' | 'both';
  /** names and emails already known (a sync passes its synced users): the connector need not list users */
  directory?: ReadonlyMap<string, User>;
  /** templates already known (a sync passes its synced templates): question texts without another request */
  templates?: readonly ScorecardTemplate[];
}

/** Answered scorecards and their templates, as the vendor keeps them. */
export interface ScorecardsReader {
  list(q: ScorecardsQuery, next?: string): Promise<VendorPage<Scorecard>>;
  templates(): Promise<ScorecardTemplate[]>;
}

export interface ConnectorSession {
  nativeInteractions?: NativeInteractions;
  /** the vendor's own activity counters (others: computed from meetings by the service) */
  activity?: NativeActivity;
  scorecards?: ScorecardsReader;
  sync?: SyncReaders;
  users?: UsersReader;
  meetings?: MeetingsReader;
  transcripts?: TranscriptsReader;
  /**
   * Meetings with their transcripts that started in [start, end), for computed metrics. Vendors with
   * a bulk transcript endpoint implement it; otherwise the service lists meetings and asks each one.
   */
  conversations?(q: { start: DateTime; end: DateTime }): AsyncIterable<Conversation>;
  /** the vendor's own time zone for calendar buckets, when it has one (Gong: the company zone) */
  sourceZone?(): Promise<string | undefined>;
}

export interface Connector {
  provider: ProviderInfo;
  open(ctx: ConnectorContext): ConnectorSession;
}
