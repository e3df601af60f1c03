import { z } from 'zod';
import { perUserBucket } from './interaction.js';

/**
 * The unified Activity object (CONTRACT.md "Activity"): the same buckets, ids, user object and
 * envelope as Interactions, with integer counters of what a user did on calls. A counter the
 * source does not report is absent, never 0.
 */
export const ACTIVITY_COUNTERS = [
  'calls_hosted',
  'calls_attended',
  'calls_listened_own',
  'calls_listened_others',
  'feedback_given',
  'feedback_received',
  'feedback_requested',
  'comments_given',
  'comments_received',
  'calls_shared_internally',
  'calls_shared_externally',
  'scorecards_filled',
  'scorecards_received',
  'calls_marked_as_feedback_given',
  'calls_marked_as_feedback_received',
] as const;
export type ActivityCounter = (typeof ACTIVITY_COUNTERS)[number];

const counter = (what: string) => z.number().int().optional().describe(what);

export const ActivityMetrics = z.object({
  calls_hosted: counter('calls the user hosted'),
  calls_attended: counter('calls the user took part in without hosting them'),
  calls_listened_own: counter('own calls the user listened to'),
  calls_listened_others: counter("other users' calls the user listened to"),
  feedback_given: counter('calls the user gave feedback on'),
  feedback_received: counter("the user's calls that received feedback"),
  feedback_requested: counter('calls the user requested feedback on'),
  comments_given: counter('calls the user commented on'),
  comments_received: counter("the user's calls that received comments"),
  calls_shared_internally: counter('calls the user shared inside the company'),
  calls_shared_externally: counter('calls the user shared outside the company'),
  scorecards_filled: counter('scorecards the user filled'),
  scorecards_received: counter("the user's calls someone filled a scorecard on"),
  calls_marked_as_feedback_given: counter('calls the user marked as reviewed'),
  calls_marked_as_feedback_received: counter("the user's calls someone marked as reviewed"),
});
export type ActivityMetrics = z.infer<typeof ActivityMetrics>;

export const Activity = perUserBucket(ActivityMetrics).meta({ id: 'Activity' });
export type Activity = z.infer<typeof Activity>;
