import { z } from 'zod';
import { GongRecords } from './schemas.js';

/**
 * Gong's stats/activity and scorecards bodies (reference/gong-openapi.json: UsersAggregateByPeriodActivity,
 * CompanyUsersAggregateActivityResponse, AnsweredScorecards, Scorecards). Gong declares the ids of
 * scorecards, calls, questions and users there as int64 JSON numbers: the Gong client parses bodies
 * losslessly (upstream/lossless-json.ts), so an id arrives as a string of digits when it is above
 * 2^53 and as a number below; both become the string of its digits here.
 */
const Id64 = z.union([z.string().regex(/^-?\d+$/, 'expected an integer id'), z.number().int().transform(String)]);

/** The counters: integers, kept loose so an unknown counter reaches additional_metrics. */
export const GongActivityCounters = z.record(z.string(), z.unknown());

export const GongUserActivity = z.looseObject({
  userId: Id64,
  userEmailAddress: z.string().nullish(),
  userAggregateActivityStats: GongActivityCounters.nullish(),
});
export type GongUserActivity = z.infer<typeof GongUserActivity>;

export const GongAggregateActivityPage = z.looseObject({
  requestId: z.string().optional(),
  records: GongRecords.optional(),
  timeZone: z.string().optional(),
  fromDateTime: z.string().optional(),
  toDateTime: z.string().optional(),
  usersAggregateActivityStats: z.array(GongUserActivity).default([]),
});

export const GongPeriodActivity = z.looseObject({ fromDate: z.string(), toDate: z.string().nullish() });

export const GongUserActivityByPeriod = z.looseObject({
  userId: Id64,
  userEmailAddress: z.string().nullish(),
  userAggregateActivity: z.array(GongPeriodActivity).nullish(),
});
export type GongUserActivityByPeriod = z.infer<typeof GongUserActivityByPeriod>;

export const GongActivityByPeriodPage = z.looseObject({
  requestId: z.string().optional(),
  records: GongRecords.optional(),
  // not in Gong's document for this endpoint, but read when present
  timeZone: z.string().optional(),
  usersAggregateActivity: z.array(GongUserActivityByPeriod).default([]),
});

export const GongAnswer = z.looseObject({
  questionId: Id64,
  questionRevisionId: Id64.nullish(),
  isOverall: z.boolean().nullish(),
  score: z.number().nullish(),
  answerText: z.string().nullish(),
  notApplicable: z.boolean().nullish(),
  selectedOptions: z.array(z.union([z.string(), z.number().transform(String)])).nullish(),
});
export type GongAnswer = z.infer<typeof GongAnswer>;

export const GongAnsweredScorecard = z.looseObject({
  answeredScorecardId: Id64,
  scorecardId: Id64,
  scorecardName: z.string().nullish(),
  callId: Id64,
  callStartTime: z.string().nullish(),
  reviewedUserId: Id64.nullish(),
  reviewerUserId: Id64.nullish(),
  reviewMethod: z.string().nullish(),
  editorUserId: Id64.nullish(),
  reviewTime: z.string().nullish(),
  visibilityType: z.string().nullish(),
  answers: z.array(GongAnswer).nullish(),
});
export type GongAnsweredScorecard = z.infer<typeof GongAnsweredScorecard>;

export const GongAnsweredScorecardsPage = z.looseObject({
  requestId: z.string().optional(),
  records: GongRecords.optional(),
  answeredScorecards: z.array(GongAnsweredScorecard).default([]),
});

export const GongQuestion = z.looseObject({
  questionId: Id64,
  questionRevisionId: Id64.nullish(),
  questionText: z.string().nullish(),
  isOverall: z.boolean().nullish(),
  questionType: z.string().nullish(),
  answerGuide: z.string().nullish(),
  minRange: z.number().nullish(),
  maxRange: z.number().nullish(),
  answerOptions: z.array(z.looseObject({ id: Id64, text: z.string().nullish() })).nullish(),
});

export const GongScorecardTemplate = z.looseObject({
  scorecardId: Id64,
  scorecardName: z.string().nullish(),
  workspaceId: Id64.nullish(),
  enabled: z.boolean().nullish(),
  updaterUserId: Id64.nullish(),
  created: z.string().nullish(),
  updated: z.string().nullish(),
  reviewMethod: z.string().nullish(),
  questions: z.array(GongQuestion).nullish(),
});
export type GongScorecardTemplate = z.infer<typeof GongScorecardTemplate>;

export const GongScorecardTemplates = z.looseObject({
  requestId: z.string().optional(),
  records: GongRecords.optional(),
  scorecards: z.array(GongScorecardTemplate).default([]),
});
