import { z } from 'zod';

/**
 * The parts of Avoma's responses Parley reads (https://dev.avoma.com, OpenAPI at
 * https://dev.avoma.com/openapi.yml). Unknown fields pass through untouched. Avoma's ids are UUID
 * strings, except the speaker ids of a transcription, which are small integers local to it: both
 * become strings.
 */
const SpeakerId = z.union([z.string(), z.number().transform(String)]);

/** DRF-style page: `next`/`previous` are absolute URLs, null on the last/first page. */
export function avomaPage<T extends z.ZodType>(item: T) {
  return z.looseObject({
    count: z.number().nullish(),
    next: z.string().nullish(),
    previous: z.string().nullish(),
    results: z.array(item),
  });
}

export const AvomaUser = z.looseObject({
  uuid: z.string(),
  user: z.looseObject({
    email: z.string().nullish(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    is_active: z.boolean().nullish(),
  }),
  role: z.looseObject({ name: z.string().nullish(), display_name: z.string().nullish() }).nullish(),
});
export type AvomaUser = z.infer<typeof AvomaUser>;

/** GET /v1/users/ is documented as a bare array, not a page. */
export const AvomaUsersList = z.array(AvomaUser);

export const AvomaAttendee = z.looseObject({
  uuid: z.string().nullish(),
  email: z.string().nullish(),
  name: z.string().nullish(),
  response_status: z.string().nullish(),
});

export const AvomaMeeting = z.looseObject({
  uuid: z.string(),
  subject: z.string().nullish(),
  /** scheduled start (UTC) */
  start_at: z.string().nullish(),
  /** scheduled end (UTC) */
  end_at: z.string().nullish(),
  /** actual length in seconds, may be fractional; null until recorded */
  duration: z.number().nullish(),
  organizer_email: z.string().nullish(),
  attendees: z.array(AvomaAttendee).nullish(),
  state: z.string().nullish(),
  transcript_ready: z.boolean().nullish(),
  transcription_uuid: z.string().nullish(),
  url: z.string().nullish(),
  created: z.string().nullish(),
  modified: z.string().nullish(),
});
export type AvomaMeeting = z.infer<typeof AvomaMeeting>;

export const AvomaMeetingsPage = avomaPage(AvomaMeeting);

export const AvomaSpeaker = z.looseObject({
  id: SpeakerId,
  name: z.string().nullish(),
  email: z.string().nullish(),
  /** true: "any speaker from the organization"; false: customer/prospect */
  is_rep: z.boolean().nullish(),
});
export type AvomaSpeaker = z.infer<typeof AvomaSpeaker>;

export const AvomaParagraph = z.looseObject({
  transcript: z.string().nullish(),
  /** one per word, seconds from the actual start of the meeting */
  timestamps: z.array(z.number()).nullish(),
  speaker_id: SpeakerId.nullish(),
});
export type AvomaParagraph = z.infer<typeof AvomaParagraph>;

export const AvomaTranscription = z.looseObject({
  uuid: z.string(),
  meeting_uuid: z.string(),
  transcript: z.array(AvomaParagraph),
  speakers: z.array(AvomaSpeaker).nullish(),
  transcription_vtt_url: z.string().nullish(),
});
export type AvomaTranscription = z.infer<typeof AvomaTranscription>;

export const AvomaTranscriptionsPage = avomaPage(AvomaTranscription);

/**
 * GET /v1/transcriptions/?meeting_uuid= : the schema and its example say an array (of one), the
 * prose says the transcription "directly". Both are accepted.
 */
export const AvomaMeetingTranscription = z.union([z.array(AvomaTranscription), AvomaTranscription]);
