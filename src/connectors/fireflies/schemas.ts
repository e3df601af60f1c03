import { DateTime } from 'luxon';
import { z } from 'zod';

/**
 * The parts of Fireflies' GraphQL answers Parley reads (https://docs.fireflies.ai/schema/*).
 * Unknown fields pass through untouched. A GraphQL server returns exactly the fields a query
 * selects, so most fields are nullish: Fireflies answers `null` for what it does not know.
 */

/** Ids are strings to Parley; Fireflies types some as ID or Int (speaker ids), so numbers are accepted. */
const FfId = z.union([z.string(), z.number().transform(String)]);

/**
 * Sentence times: https://docs.fireflies.ai/schema/sentence types `start_time`/`end_time` as String
 * and states no unit; Fireflies' own SDK types them as number. Both are accepted; the unit is
 * taken to be seconds from the start of the meeting (see docs/connectors/fireflies.md).
 */
const FfSeconds = z.union([z.number(), z.string()]).transform((v) => (typeof v === 'number' ? v : Number.parseFloat(v)));

/** https://docs.fireflies.ai/schema/user */
export const FfUser = z.looseObject({
  user_id: FfId,
  email: z.string().nullish(),
  name: z.string().nullish(),
});
export type FfUser = z.infer<typeof FfUser>;

/** https://docs.fireflies.ai/schema/speaker — per transcript, numbered from 0 */
export const FfSpeaker = z.looseObject({ id: FfId.nullish(), name: z.string().nullish() });

/** https://docs.fireflies.ai/schema/meeting-attendee (calendar invitees) */
export const FfAttendee = z.looseObject({
  displayName: z.string().nullish(),
  email: z.string().nullish(),
  name: z.string().nullish(),
});
export type FfAttendee = z.infer<typeof FfAttendee>;

/** https://docs.fireflies.ai/schema/sentence */
export const FfSentence = z.looseObject({
  index: z.number().nullish(),
  speaker_id: FfId.nullish(),
  speaker_name: z.string().nullish(),
  text: z.string().nullish(),
  raw_text: z.string().nullish(),
  start_time: FfSeconds,
  end_time: FfSeconds,
});
export type FfSentence = z.infer<typeof FfSentence>;

/**
 * https://docs.fireflies.ai/schema/transcript — one meeting. `date` is epoch MILLISECONDS,
 * `duration` is MINUTES (a float); `dateString` is the same instant in ISO 8601.
 */
export const FfTranscript = z
  .looseObject({
    id: FfId,
    title: z.string().nullish(),
    date: z.union([z.number(), z.string()]).nullish(),
    dateString: z.string().nullish(),
    duration: z.number().nullish(),
    organizer_email: z.string().nullish(),
    participants: z.array(z.string().nullable()).nullish(),
    meeting_link: z.string().nullish(),
    transcript_url: z.string().nullish(),
    user: FfUser.partial({ user_id: true }).nullish(),
    speakers: z.array(FfSpeaker).nullish(),
    meeting_attendees: z.array(FfAttendee.nullable()).nullish(),
    sentences: z.array(FfSentence).nullish(),
  })
  .refine((t) => startMillis(t.date, t.dateString) !== undefined, {
    message: 'a transcript needs `date` (epoch ms) or `dateString` (ISO 8601): when the meeting started',
    path: ['date'],
  });
export type FfTranscript = z.infer<typeof FfTranscript>;

/** When a meeting started, in epoch ms: `date`, else `dateString`; undefined when neither reads. */
export function startMillis(date: number | string | null | undefined, dateString: string | null | undefined): number | undefined {
  const ms = typeof date === 'number' ? date : typeof date === 'string' && /^\d+(\.\d+)?$/.test(date) ? Number(date) : undefined;
  if (ms !== undefined && Number.isFinite(ms)) return ms;
  const parsed = dateString ? DateTime.fromISO(dateString, { zone: 'utc' }) : undefined;
  return parsed?.isValid ? parsed.toMillis() : undefined;
}

const FfNumber = z.number().nullish();

/**
 * https://docs.fireflies.ai/schema/analytics — `users[]` of the `analytics` query: one aggregate
 * per team member over [start_time, end_time]. Every numeric field of `conversation` is kept.
 */
export const FfUserAnalytics = z.looseObject({
  user_id: FfId,
  user_name: z.string().nullish(),
  user_email: z.string().nullish(),
  conversation: z.record(z.string(), z.unknown()).nullish(),
  meeting: z.looseObject({ count: FfNumber, duration: FfNumber }).nullish(),
});
export type FfUserAnalytics = z.infer<typeof FfUserAnalytics>;

export const UsersData = z.looseObject({ users: z.array(FfUser) });
export const UserData = z.looseObject({ user: FfUser.nullable() });
export const TranscriptsData = z.looseObject({ transcripts: z.array(FfTranscript) });
export const TranscriptData = z.looseObject({ transcript: FfTranscript.nullable() });
export const AnalyticsData = z.looseObject({
  analytics: z.looseObject({ users: z.array(FfUserAnalytics).nullish() }).nullable(),
});
