import { z } from 'zod';

/**
 * The parts of Chorus's responses Parley reads (Chorus Conversations and Users APIs,
 * https://chorus.ai/api/openapi.json). Unknown fields pass through untouched, and values are not
 * transformed, so `remote_data` is what Chorus sent. Chorus ids are integers (users, persons,
 * speakers) or 32-character hex strings (engagements, conversations); the mappers make every
 * unified id a string.
 */
const ChorusId = z.union([z.string().min(1), z.number()]);

/**
 * A participant of an engagement (v3) or of a conversation (v1): `type` is "rep" for company users
 * in the spec's example; `user_id` is set only for Chorus users.
 */
export const ChorusParticipant = z.looseObject({
  name: z.string().nullish(),
  email: z.string().nullish(),
  company_name: z.string().nullish(),
  title: z.string().nullish(),
  type: z.string().nullish(),
  person_id: ChorusId.nullish(),
  user_id: ChorusId.nullish(),
});
export type ChorusParticipant = z.infer<typeof ChorusParticipant>;

/**
 * GET /v3/engagements element. `date_time` is epoch **seconds** and `duration` **seconds** (the
 * spec's example: 1632490362 and 2872.75; its duration filters say "in seconds").
 */
export const ChorusEngagement = z.looseObject({
  engagement_id: ChorusId,
  engagement_type: z.string().nullish(),
  subject: z.string().nullish(),
  date_time: z.number(),
  duration: z.number().nullish(),
  user_id: ChorusId.nullish(),
  user_email: z.string().nullish(),
  user_name: z.string().nullish(),
  participants: z.array(ChorusParticipant).nullish(),
  url: z.string().nullish(),
  processing_state: z.string().nullish(),
});
export type ChorusEngagement = z.infer<typeof ChorusEngagement>;

/** `continuation_key` is present while more pages remain ("Continuation key for pagination"). */
export const ChorusEngagementsPage = z.looseObject({
  continuation_key: z.string().nullish(),
  engagements: z.array(ChorusEngagement),
});

/**
 * One user of GET /v3/users. The response schema is undocumented (`application/json: {}`); the
 * fields are assumed to be those of the documented v1 `User` (email, first_name, last_name, name,
 * person_id, created_on, …) with the user id as `id` (or `user_id`).
 */
export const ChorusUser = z.looseObject({
  id: ChorusId.optional(),
  user_id: ChorusId.optional(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  name: z.string().nullish(),
  created_on: z.string().nullish(),
}).refine((u) => u.id !== undefined || u.user_id !== undefined, { message: 'a user has no id', path: ['id'] });
export type ChorusUser = z.infer<typeof ChorusUser>;

/**
 * GET /v3/users in any of the shapes it plausibly has, normalized to `{users, continuation_key}`
 * before validation: `{"users": [...]}` (assumed; the v3 surface wraps lists in a named key, as
 * engagements do), a bare array, or a JSON:API `{"data": [{id, attributes}]}` document like the v1
 * surface.
 */
function normalizeUsersBody(body: unknown): unknown {
  if (Array.isArray(body)) return { users: body };
  if (body && typeof body === 'object' && !('users' in body) && Array.isArray((body as { data?: unknown }).data)) {
    const data = (body as { data: unknown[] }).data;
    return {
      users: data.map((d) => {
        const r = d as { id?: unknown; attributes?: unknown };
        return r && typeof r === 'object' && r.attributes && typeof r.attributes === 'object' ? { ...r.attributes, id: r.id } : d;
      }),
    };
  }
  return body;
}

export const ChorusUsersPage = z.preprocess(
  normalizeUsersBody,
  z.looseObject({ users: z.array(ChorusUser), continuation_key: z.string().nullish() }),
);

/**
 * `recording.utterances[]` of a conversation. Units of `snippet_time` (offset from the recording
 * start) and `snippet_length` are not stated by Chorus; see SNIPPET_SECONDS_PER_UNIT.
 */
export const ChorusUtterance = z.looseObject({
  id: ChorusId.nullish(),
  index: z.number().nullish(),
  snippet: z.string().nullish(),
  snippet_time: z.number(),
  snippet_length: z.number(),
  speaker_id: ChorusId.nullish(),
  speaker_name: z.string().nullish(),
  speaker_type: z.string().nullish(),
  participant: ChorusId.nullish(),
});
export type ChorusUtterance = z.infer<typeof ChorusUtterance>;

/** A speaker cluster: `type` is cust | rep | unknown; `user_id` set when matched to a Chorus user. */
export const ChorusCluster = z.looseObject({
  id: ChorusId,
  speaker_name: z.string().nullish(),
  type: z.string().nullish(),
  user_id: ChorusId.nullish(),
  participant: ChorusId.nullish(),
});
export type ChorusCluster = z.infer<typeof ChorusCluster>;

/** GET /api/v1/conversations/{id} → `RecordingDoc` (JSON:API). */
export const ChorusRecordingDoc = z.looseObject({
  data: z.looseObject({
    id: ChorusId,
    type: z.string().optional(),
    attributes: z.looseObject({
      status: z.string().nullish(),
      owner: z.looseObject({ user_id: ChorusId.nullish(), email: z.string().nullish(), name: z.string().nullish() }).nullish(),
      participants: z.array(ChorusParticipant).nullish(),
      recording: z
        .looseObject({
          start_time: z.string().nullish(),
          duration: z.number().nullish(),
          clusters: z.array(ChorusCluster).nullish(),
          utterances: z.array(ChorusUtterance).nullish(),
        })
        .nullish(),
    }),
  }),
});
export type ChorusRecordingDoc = z.infer<typeof ChorusRecordingDoc>;

/** The JSON:API error envelope of every Chorus error: `{"errors": [{status, code, title, detail, source}]}`. */
export const ChorusErrorBody = z.looseObject({
  errors: z.array(z.looseObject({ status: z.string().nullish(), code: z.string().nullish(), title: z.string().nullish(), detail: z.string().nullish() })),
});
