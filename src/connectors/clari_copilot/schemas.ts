import { z } from 'zod';

/**
 * The parts of Clari Copilot's responses Parley reads (https://api-doc.copilot.clari.com/spec.yaml,
 * schemas User, Call, CallDetails, PaginationInfo). Unknown fields pass through untouched. Ids are
 * strings in the spec and `personId` an integer; both become strings here, so a vendor that
 * switches a type does not break anything.
 */
const ClariId = z.union([z.string(), z.number().transform(String)]);

export const ClariUser = z.looseObject({
  id: ClariId,
  email: z.string().nullish(),
  name: z.string().nullish(),
  role: z.string().nullish(),
  is_recording: z.boolean().nullish(),
  manager_id: ClariId.nullish(),
});
export type ClariUser = z.infer<typeof ClariUser>;

/** GET /users: every current user in one answer (the route has no paging parameters). */
export const ClariUsersResponse = z.looseObject({ users: z.array(ClariUser) });

/** `CallUser`: a Copilot user on the call. */
export const ClariCallUser = z.looseObject({
  userId: ClariId.nullish(),
  userEmail: z.string().nullish(),
  isOrganizer: z.boolean().nullish(),
  personId: ClariId.nullish(),
});
export type ClariCallUser = z.infer<typeof ClariCallUser>;

/** `CallParticipant` (invited) and `JoinedParticipant` share this shape. */
export const ClariParticipant = z.looseObject({
  name: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  personId: ClariId.nullish(),
});
export type ClariParticipant = z.infer<typeof ClariParticipant>;

const MetricNumber = z.number().nullish();

/** `Call.metrics`: per-call numbers; units are not stated by Clari (see docs/connectors/clari_copilot.md). */
export const ClariCallMetrics = z.looseObject({
  talk_listen_ratio: MetricNumber,
  num_questions_asked: MetricNumber,
  num_questions_asked_by_reps: MetricNumber,
  call_duration: MetricNumber,
  total_speak_duration: MetricNumber,
  longest_monologue_duration: MetricNumber,
  longest_monologue_start_time: MetricNumber,
  engaging_questions: MetricNumber,
});
export type ClariCallMetrics = z.infer<typeof ClariCallMetrics>;

export const ClariCall = z.looseObject({
  id: ClariId,
  title: z.string().nullish(),
  users: z.array(ClariCallUser).nullish(),
  externalParticipants: z.array(ClariParticipant).nullish(),
  joinedParticipants: z.array(ClariParticipant).nullish(),
  status: z.string().nullish(),
  type: z.string().nullish(),
  /** scheduled start, or actual start for dialer and ad-hoc calls */
  time: z.string().nullish(),
  last_modified_time: z.string().nullish(),
  metrics: ClariCallMetrics.nullish(),
  call_review_page_url: z.string().nullish(),
});
export type ClariCall = z.infer<typeof ClariCall>;

export const ClariPagination = z.looseObject({
  matched: z.number().nullish(),
  hasMore: z.boolean().nullish(),
  nextPageSkip: z.number().int().nonnegative().nullish(),
});

export const ClariCallsPage = z.looseObject({
  calls: z.array(ClariCall),
  pagination: ClariPagination.nullish(),
});
export type ClariCallsPage = z.infer<typeof ClariCallsPage>;

export const ClariTranscriptTurn = z.looseObject({
  text: z.string().nullish(),
  start: z.number(),
  end: z.number(),
  personId: ClariId.nullish(),
});
export type ClariTranscriptTurn = z.infer<typeof ClariTranscriptTurn>;

export const ClariCallDetails = ClariCall.extend({
  transcript: z.array(ClariTranscriptTurn).nullish(),
});
export type ClariCallDetails = z.infer<typeof ClariCallDetails>;

export const ClariCallDetailsResponse = z.looseObject({ call: ClariCallDetails });
