import { DateTime } from 'luxon';
import type { ActivityCounter, ActivityMetrics } from '../../domain/activity.js';
import type { AdditionalMetric } from '../../domain/interaction.js';
import type { Scorecard, ScorecardAnswer, ScorecardTemplate } from '../../domain/scorecard.js';
import type { ActivityDraft } from '../types.js';
import { gongUserInfo } from './mappers.js';
import type { GongUser } from './schemas.js';
import type { GongAnsweredScorecard, GongScorecardTemplate } from './activity-schemas.js';

/** Gong's 15 activity counters (AggregateActivity in its OpenAPI document) → unified counter names. */
export const GONG_ACTIVITY_COUNTERS: Readonly<Record<string, ActivityCounter>> = {
  callsAsHost: 'calls_hosted',
  callsAttended: 'calls_attended',
  ownCallsListenedTo: 'calls_listened_own',
  othersCallsListenedTo: 'calls_listened_others',
  callsGaveFeedback: 'feedback_given',
  callsReceivedFeedback: 'feedback_received',
  callsRequestedFeedback: 'feedback_requested',
  callsCommentsGiven: 'comments_given',
  callsCommentsReceived: 'comments_received',
  callsSharedInternally: 'calls_shared_internally',
  callsSharedExternally: 'calls_shared_externally',
  callsScorecardsFilled: 'scorecards_filled',
  callsScorecardsReceived: 'scorecards_received',
  callsMarkedAsFeedbackGiven: 'calls_marked_as_feedback_given',
  callsMarkedAsFeedbackReceived: 'calls_marked_as_feedback_received',
};

// the period's bounds sit among the counters in by-period answers
const NOT_COUNTERS = new Set(['fromDate', 'toDate']);

/**
 * Gong's counters → metrics and additional_metrics. A counter Gong left out (or sent as null) is
 * absent, never 0; a numeric field Parley does not know keeps Gong's name in additional_metrics.
 */
export function mapGongActivityCounters(counters: Record<string, unknown>): Pick<ActivityDraft, 'metrics' | 'additional_metrics'> {
  const metrics: ActivityMetrics = {};
  const additional: AdditionalMetric[] = [];
  for (const [name, value] of Object.entries(counters)) {
    if (NOT_COUNTERS.has(name) || typeof value !== 'number' || !Number.isFinite(value)) continue;
    const key = GONG_ACTIVITY_COUNTERS[name];
    if (key && Number.isInteger(value)) metrics[key] = value;
    else additional.push({ name, value });
  }
  return { metrics, additional_metrics: additional };
}

export function gongActivityUser(userId: string, user: GongUser | undefined, email: string | null | undefined): ActivityDraft['user'] {
  const info = gongUserInfo(user, email);
  return { id: userId, ...(info.name ? { name: info.name } : {}), emails: info.emails };
}

/** The start of a by-period record: Gong writes it as an ISO instant with the company offset (or a date). */
export function gongPeriodStart(fromDate: string, zone: string): DateTime | undefined {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(fromDate) ? DateTime.fromISO(fromDate, { zone }) : DateTime.fromISO(fromDate, { setZone: true });
  return t.isValid ? t : undefined;
}

const lower = (s: string | null | undefined): string | undefined => (s ? s.toLowerCase() : undefined);

function person(id: string | null | undefined, users: ReadonlyMap<string, GongUser>): Scorecard['reviewee'] {
  if (id === null || id === undefined) return undefined;
  const u = users.get(id);
  const info = gongUserInfo(u);
  const email = info.emails.find((e) => e.is_primary)?.email;
  return { id, ...(info.name ? { name: info.name } : {}), ...(email ? { email } : {}) };
}

function reviewMethod(m: string | null | undefined): Scorecard['review_method'] {
  const v = lower(m);
  return v === 'manual' || v === 'automatic' ? v : undefined;
}

/** One of Gong's answered scorecards → the unified record; names from Gong's users when known. */
export function mapGongAnsweredScorecard(s: GongAnsweredScorecard, users: ReadonlyMap<string, GongUser>, questions?: ReadonlyMap<string, string>): Scorecard {
  const method = reviewMethod(s.reviewMethod);
  const answers: ScorecardAnswer[] = (s.answers ?? []).map((a) => {
    const text = questions?.get(a.questionId);
    return {
      question: { id: a.questionId, ...(text ? { text } : {}) },
      ...(a.isOverall !== null && a.isOverall !== undefined ? { is_overall: a.isOverall } : {}),
      ...(typeof a.score === 'number' ? { score: a.score } : {}),
      ...(a.answerText ? { text: a.answerText } : {}),
      ...(a.selectedOptions ? { selected_options: a.selectedOptions } : {}),
      ...(a.notApplicable !== null && a.notApplicable !== undefined ? { not_applicable: a.notApplicable } : {}),
    };
  });
  const overall = answers.find((a) => a.is_overall && a.score !== undefined)?.score;
  const reviewee = person(s.reviewedUserId, users);
  const reviewer = method === 'automatic' ? undefined : person(s.reviewerUserId, users);
  return {
    id: s.answeredScorecardId,
    meeting: { id: s.callId, ...(s.callStartTime ? { start_time: s.callStartTime } : {}) },
    scorecard_template: { id: s.scorecardId, ...(s.scorecardName ? { name: s.scorecardName } : {}) },
    ...(reviewee ? { reviewee } : {}),
    ...(reviewer ? { reviewer } : {}),
    ...(method ? { review_method: method } : {}),
    ...(s.reviewTime ? { reviewed_at: s.reviewTime } : {}),
    ...(s.visibilityType ? { visibility: s.visibilityType.toLowerCase() } : {}),
    ...(overall !== undefined ? { overall_score: overall } : {}),
    answers,
    remote_data: s,
  };
}

export function mapGongScorecardTemplate(t: GongScorecardTemplate): ScorecardTemplate {
  const method = reviewMethod(t.reviewMethod);
  return {
    id: t.scorecardId,
    ...(t.scorecardName ? { name: t.scorecardName } : {}),
    ...(typeof t.enabled === 'boolean' ? { enabled: t.enabled } : {}),
    ...(method ? { review_method: method } : {}),
    ...(t.created ? { created_at: t.created } : {}),
    ...(t.updated ? { updated_at: t.updated } : {}),
    questions: (t.questions ?? []).map((q) => ({
      id: q.questionId,
      ...(q.questionText ? { text: q.questionText } : {}),
      ...(q.questionType ? { type: q.questionType } : {}),
      ...(typeof q.isOverall === 'boolean' ? { is_overall: q.isOverall } : {}),
      ...(typeof q.minRange === 'number' ? { min: q.minRange } : {}),
      ...(typeof q.maxRange === 'number' ? { max: q.maxRange } : {}),
      ...(q.answerOptions ? { options: q.answerOptions.map((o) => ({ id: o.id, ...(o.text ? { text: o.text } : {}) })) } : {}),
    })),
    remote_data: t,
  };
}
