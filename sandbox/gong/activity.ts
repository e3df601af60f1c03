import { DateTime } from 'luxon';
import { createRng, hashSeed } from '../shared/prng.js';
import type { GongDataset, SimulatedCall } from './dataset.js';

/**
 * What Gong's activity stats and scorecards say about the simulated calls. Every counter comes
 * from an event on a call: hosting and attending from the call itself (host = primaryUserId,
 * attended = an internal party who spoke and is not the host), the rest (listening, feedback,
 * comments, sharing, "mark as reviewed") drawn per call from the seed and dated on the call's day,
 * scorecards dated on their review. So activity counts match the calls each user hosted and
 * attended, and every answered scorecard's call exists. Ids Gong declares as int64 are 19 digits,
 * above 2^53, and are served as JSON numbers (routes write them losslessly).
 */

export const GONG_ACTIVITY_COUNTERS = [
  'callsAsHost',
  'callsGaveFeedback',
  'callsRequestedFeedback',
  'callsReceivedFeedback',
  'ownCallsListenedTo',
  'othersCallsListenedTo',
  'callsSharedInternally',
  'callsSharedExternally',
  'callsScorecardsFilled',
  'callsScorecardsReceived',
  'callsAttended',
  'callsCommentsGiven',
  'callsCommentsReceived',
  'callsMarkedAsFeedbackGiven',
  'callsMarkedAsFeedbackReceived',
] as const;
export type GongActivityCounter = (typeof GONG_ACTIVITY_COUNTERS)[number];
export type ActivityCounters = Record<GongActivityCounter, number>;

interface ActivityEvent {
  userId: string;
  counter: GongActivityCounter;
  /** epoch ms: when it happened (visible from then on) */
  at: number;
}

export interface SimulatedQuestion {
  questionId: string;
  questionRevisionId: string;
  questionText: string;
  isOverall: boolean;
  questionType: 'SCALE' | 'SINGLE_SELECT' | 'TEXT';
  answerGuide: string;
  minRange?: number;
  maxRange?: number;
  answerOptions?: Array<{ id: number; text: string }>;
}

export interface SimulatedTemplate {
  scorecardId: string;
  scorecardName: string;
  workspaceId: string;
  enabled: boolean;
  updaterUserId: string;
  created: string;
  updated: string;
  reviewMethod: 'MANUAL' | 'AUTOMATIC';
  questions: SimulatedQuestion[];
}

export interface SimulatedAnswer {
  questionId: string;
  questionRevisionId: string;
  isOverall: boolean;
  score?: number;
  answerText?: string;
  notApplicable: boolean;
  selectedOptions?: string[];
}

export interface SimulatedScorecard {
  answeredScorecardId: string;
  scorecardId: string;
  scorecardName: string;
  callId: string;
  callStartTime: string;
  reviewedUserId: string;
  reviewerUserId?: string;
  reviewMethod: 'MANUAL' | 'AUTOMATIC';
  reviewTime: string;
  /** epoch ms of reviewTime */
  reviewedAt: number;
  /** calendar date of the call in the company zone */
  callDate: string;
  visibilityType: 'PUBLIC' | 'PRIVATE' | 'MANAGERS' | 'MANAGERS_AND_REVIEWEE';
  answers: SimulatedAnswer[];
}

const HOUR_MS = 3_600_000;

export class GongActivityWorld {
  readonly templates: readonly SimulatedTemplate[];
  private readonly perCall = new Map<string, { events: ActivityEvent[]; scorecards: SimulatedScorecard[] }>();

  constructor(private readonly dataset: GongDataset) {
    this.templates = buildTemplates(dataset);
  }

  /** The events and scorecards of one call (whatever the time: callers filter by `asOf`). */
  private ofCall(call: SimulatedCall): { events: ActivityEvent[]; scorecards: SimulatedScorecard[] } {
    const cached = this.perCall.get(call.id);
    if (cached) return cached;
    const rng = createRng(hashSeed(this.dataset.seed, 'activity', call.id));
    const host = call.metaData.primaryUserId;
    // hosting and attending count on the day the call started
    const events: ActivityEvent[] = [{ userId: host, counter: 'callsAsHost', at: call.startedAt }];
    const attendees = [...new Set(call.parties.filter((p) => p.userId && p.speakerId !== undefined && p.userId !== host).map((p) => p.userId as string))];
    for (const u of attendees) events.push({ userId: u, counter: 'callsAttended', at: call.startedAt });
    const manager = this.reviewerFor(host, rng.int(0, 1_000_000));
    const later = (maxHours: number) => call.endedAt + rng.int(1, maxHours) * HOUR_MS;
    const sameDay = () => Math.min(later(6), this.dataset.startOfDay(addDay(call.localDate)) - 1);
    if (rng.chance(0.4)) events.push({ userId: host, counter: 'ownCallsListenedTo', at: sameDay() });
    if (manager && rng.chance(0.3)) events.push({ userId: manager, counter: 'othersCallsListenedTo', at: sameDay() });
    if (rng.chance(0.1)) events.push({ userId: host, counter: 'callsRequestedFeedback', at: sameDay() });
    if (manager && rng.chance(0.15)) {
      const at = sameDay();
      events.push({ userId: manager, counter: 'callsGaveFeedback', at }, { userId: host, counter: 'callsReceivedFeedback', at });
    }
    if (manager && rng.chance(0.2)) {
      const at = sameDay();
      events.push({ userId: manager, counter: 'callsCommentsGiven', at }, { userId: host, counter: 'callsCommentsReceived', at });
    }
    if (rng.chance(0.1)) events.push({ userId: host, counter: 'callsSharedInternally', at: sameDay() });
    if (rng.chance(0.05)) events.push({ userId: host, counter: 'callsSharedExternally', at: sameDay() });
    if (manager && rng.chance(0.1)) {
      const at = sameDay();
      events.push({ userId: manager, counter: 'callsMarkedAsFeedbackGiven', at }, { userId: host, counter: 'callsMarkedAsFeedbackReceived', at });
    }
    const scorecards: SimulatedScorecard[] = [];
    const manual = this.templates.find((t) => t.reviewMethod === 'MANUAL')!;
    const automatic = this.templates.find((t) => t.reviewMethod === 'AUTOMATIC')!;
    if (manager && rng.chance(0.3)) {
      const reviewedAt = later(96);
      scorecards.push(this.answer(call, manual, host, manager, reviewedAt, rng.digits(19), rng.int(0, 1_000_000)));
      events.push({ userId: manager, counter: 'callsScorecardsFilled', at: reviewedAt }, { userId: host, counter: 'callsScorecardsReceived', at: reviewedAt });
    }
    if (rng.chance(0.25)) scorecards.push(this.answer(call, automatic, host, undefined, call.endedAt + 20 * 60_000, rng.digits(19), rng.int(0, 1_000_000)));
    const out = { events, scorecards };
    if (this.perCall.size > 50_000) this.perCall.clear();
    this.perCall.set(call.id, out);
    return out;
  }

  /** The user's manager, else another active user (deterministic); undefined for a one-person company. */
  private reviewerFor(host: string, pick: number): string | undefined {
    const user = this.dataset.user(host);
    if (user?.managerId && user.managerId !== host) return user.managerId;
    const others = this.dataset.users.filter((u) => u.id !== host && u.active);
    return others.length > 0 ? others[pick % others.length]!.id : undefined;
  }

  private answer(call: SimulatedCall, t: SimulatedTemplate, host: string, reviewer: string | undefined, reviewedAt: number, id: string, salt: number): SimulatedScorecard {
    const rng = createRng(hashSeed(this.dataset.seed, 'answers', id, salt));
    const answers = t.questions.map((q): SimulatedAnswer => {
      const base = { questionId: q.questionId, questionRevisionId: q.questionRevisionId, isOverall: q.isOverall };
      if (!q.isOverall && rng.chance(0.1)) return { ...base, notApplicable: true };
      if (q.questionType === 'SCALE') return { ...base, score: rng.int(q.minRange ?? 1, q.maxRange ?? 5), notApplicable: false };
      if (q.questionType === 'SINGLE_SELECT') return { ...base, selectedOptions: [String(rng.pick(q.answerOptions ?? [{ id: 1, text: '' }]).id)], notApplicable: false };
      return { ...base, answerText: rng.pick(['Clear next steps agreed.', 'Good rapport; pricing left open.', 'Needs a sharper agenda.']), notApplicable: false };
    });
    return {
      answeredScorecardId: id,
      scorecardId: t.scorecardId,
      scorecardName: t.scorecardName,
      callId: call.id,
      callStartTime: call.metaData.started,
      reviewedUserId: host,
      ...(reviewer ? { reviewerUserId: reviewer } : {}),
      reviewMethod: t.reviewMethod,
      reviewTime: this.dataset.formatInstant(reviewedAt),
      reviewedAt,
      callDate: call.localDate,
      visibilityType: reviewer ? rng.pick(['PUBLIC', 'MANAGERS_AND_REVIEWEE', 'MANAGERS'] as const) : 'PUBLIC',
      answers,
    };
  }

  /** Counters per user over the calls that ended in [from, to) (with their events up to `asOf`), keyed by a period label. */
  counters(q: { from: number; to: number; asOf: number; userIds?: readonly string[]; periodOf: (at: number) => string }): Map<string, Map<string, ActivityCounters>> {
    const wanted = q.userIds ? new Set(q.userIds) : undefined;
    const out = new Map<string, Map<string, ActivityCounters>>();
    // reviews come up to 4 days after the call: look that far back for events dated in the range
    for (const call of this.dataset.callsBetween(q.from - 5 * 24 * HOUR_MS, q.to)) {
      if (call.endedAt > q.asOf) continue;
      for (const e of this.ofCall(call).events) {
        if (e.at < q.from || e.at >= q.to || (e.counter !== 'callsAsHost' && e.counter !== 'callsAttended' && e.at > q.asOf) || (wanted && !wanted.has(e.userId))) continue;
        const periods = out.get(e.userId) ?? new Map<string, ActivityCounters>();
        out.set(e.userId, periods);
        const label = q.periodOf(e.at);
        const c = periods.get(label) ?? emptyCounters();
        periods.set(label, c);
        c[e.counter] += 1;
      }
    }
    return out;
  }

  /** Answered scorecards of calls that started in [callFrom, callTo) and were reviewed in [reviewFrom, reviewTo) by `asOf`. */
  scorecards(q: { callFrom: number; callTo: number; reviewFrom?: number; reviewTo?: number; asOf: number }): SimulatedScorecard[] {
    const from = Math.max(q.callFrom, q.reviewFrom !== undefined ? q.reviewFrom - 5 * 24 * HOUR_MS : Number.NEGATIVE_INFINITY);
    const to = Math.min(q.callTo, q.reviewTo ?? Number.POSITIVE_INFINITY, q.asOf);
    if (!(from < to)) return [];
    const out: SimulatedScorecard[] = [];
    for (const call of this.dataset.callsBetween(from, to)) {
      if (call.endedAt > q.asOf) continue;
      for (const s of this.ofCall(call).scorecards) {
        if (s.reviewedAt > q.asOf) continue;
        if (q.reviewFrom !== undefined && s.reviewedAt < q.reviewFrom) continue;
        if (q.reviewTo !== undefined && s.reviewedAt >= q.reviewTo) continue;
        out.push(s);
      }
    }
    return out;
  }
}

export function emptyCounters(): ActivityCounters {
  return Object.fromEntries(GONG_ACTIVITY_COUNTERS.map((c) => [c, 0])) as ActivityCounters;
}

function addDay(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toISODate() as string;
}

function buildTemplates(dataset: GongDataset): SimulatedTemplate[] {
  const rng = createRng(hashSeed(dataset.seed, 'scorecard-templates'));
  const id = () => rng.digits(19);
  const admin = dataset.users[0]?.id ?? id();
  const created = dataset.formatInstant(dataset.startOfDay(dataset.historyStart));
  const q = (text: string, type: SimulatedQuestion['questionType'], isOverall: boolean, extra: Partial<SimulatedQuestion> = {}): SimulatedQuestion => ({
    questionId: id(),
    questionRevisionId: id(),
    questionText: text,
    isOverall,
    questionType: type,
    answerGuide: isOverall ? 'Rate the call as a whole.' : `Consider: ${text.toLowerCase()}`,
    ...extra,
  });
  return [
    {
      scorecardId: id(),
      scorecardName: 'Discovery call review',
      workspaceId: dataset.workspaceId,
      enabled: true,
      updaterUserId: admin,
      created,
      updated: created,
      reviewMethod: 'MANUAL',
      questions: [
        q('Overall, how well did the rep run this call?', 'SCALE', true, { minRange: 1, maxRange: 5 }),
        q('Did the rep uncover the customer pain?', 'SCALE', false, { minRange: 1, maxRange: 5 }),
        q('Which next step was agreed?', 'SINGLE_SELECT', false, { answerOptions: [{ id: 1, text: 'Demo' }, { id: 2, text: 'Proposal' }, { id: 3, text: 'None' }] }),
        q('Coaching notes', 'TEXT', false),
      ],
    },
    {
      scorecardId: id(),
      scorecardName: 'AI call quality',
      workspaceId: dataset.workspaceId,
      enabled: true,
      updaterUserId: admin,
      created,
      updated: created,
      reviewMethod: 'AUTOMATIC',
      questions: [
        q('Overall call quality', 'SCALE', true, { minRange: 1, maxRange: 10 }),
        q('Did the rep set an agenda?', 'SCALE', false, { minRange: 1, maxRange: 10 }),
      ],
    },
  ];
}
