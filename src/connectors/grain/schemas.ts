import { z } from 'zod';

/**
 * The parts of Grain's v2 responses Parley reads (https://developers.grain.com, version
 * 2025-10-31). Unknown fields pass through untouched. Ids are UUID strings; times are ISO 8601 UTC
 * and durations and transcript offsets milliseconds.
 */

export const GrainUser = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});
export type GrainUser = z.infer<typeof GrainUser>;

/** POST /_/public-api/v2/users: the whole workspace, no paging documented. */
export const GrainUsersBody = z.looseObject({ users: z.array(GrainUser) });

export const GrainParticipant = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  /** Grain's own side of the participant */
  scope: z.string().nullish(),
  /** whether the participant was present in the recording (false: invited, never joined) */
  confirmed_attendee: z.boolean().nullish(),
});
export type GrainParticipant = z.infer<typeof GrainParticipant>;

export const GrainRecording = z.looseObject({
  id: z.string(),
  title: z.string().nullish(),
  /** "UTC datetime at which grain started the recording" */
  start_datetime: z.string(),
  end_datetime: z.string().nullish(),
  duration_ms: z.number().nullish(),
  url: z.string().nullish(),
  source: z.string().nullish(),
  media_type: z.string().nullish(),
  /** only with `include: {participants: true}` */
  participants: z.array(GrainParticipant).nullish(),
});
export type GrainRecording = z.infer<typeof GrainRecording>;

/** POST /_/public-api/v2/recordings: `cursor` is null on the last page. */
export const GrainRecordingsPage = z.looseObject({ cursor: z.string().nullish(), recordings: z.array(GrainRecording) });

export const GrainTranscriptSection = z.looseObject({
  /** the participant's id (joins `participants[].id`); null when Grain matched the voice to none */
  participant_id: z.string().nullish(),
  speaker: z.string().nullish(),
  /** ms from the start of the recording */
  start: z.number(),
  end: z.number(),
  text: z.string().nullish(),
});
export type GrainTranscriptSection = z.infer<typeof GrainTranscriptSection>;

/** GET /_/public-api/v2/recordings/{id}/transcript: a bare array. */
export const GrainTranscriptBody = z.array(GrainTranscriptSection);

/**
 * ASSUMED error body (Grain documents statuses, not bodies): Phoenix's `{"errors": {"detail": "…"}}`;
 * a flat `{"error": "…"}` is read too.
 */
export const GrainErrorBody = z.looseObject({
  errors: z.looseObject({ detail: z.string() }).optional(),
  error: z.string().optional(),
});
