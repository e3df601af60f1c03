import { z } from 'zod';

/**
 * The parts of Fathom's responses Parley reads (https://developers.fathom.ai/api-reference, and the
 * models of Fathom's own generated SDKs). Unknown fields pass through untouched. A meeting's id is
 * its integer `recording_id`; people are named by address and display name only.
 */

/** `{limit, next_cursor, items}`: `next_cursor` is null on the last page; `limit` is the page size Fathom chose. */
function fathomPage<T extends z.ZodType>(item: T) {
  return z.looseObject({ limit: z.number().nullish(), next_cursor: z.string().nullish(), items: z.array(item) });
}

export const FathomTeamMember = z.looseObject({
  name: z.string().nullish(),
  email: z.string(),
  created_at: z.string().nullish(),
});
export type FathomTeamMember = z.infer<typeof FathomTeamMember>;

export const FathomTeamMembersPage = fathomPage(FathomTeamMember);

export const FathomInvitee = z.looseObject({
  name: z.string().nullish(),
  email: z.string().nullish(),
  email_domain: z.string().nullish(),
  /** Fathom's own side: the invitee's domain is not the recorder's company's */
  is_external: z.boolean().nullish(),
  /** only with include_transcript (and for meetings after 2025-02-01) */
  matched_speaker_display_name: z.string().nullish(),
});

export const FathomUser = z.looseObject({
  name: z.string().nullish(),
  email: z.string().nullish(),
  email_domain: z.string().nullish(),
  team: z.string().nullish(),
});

export const FathomTranscriptItem = z.looseObject({
  speaker: z.looseObject({
    display_name: z.string().nullish(),
    /** null when Fathom matched the voice to no calendar invitee */
    matched_calendar_invitee_email: z.string().nullish(),
  }),
  text: z.string().nullish(),
  /** `HH:MM:SS` from the start of the recording */
  timestamp: z.string().nullish(),
});
export type FathomTranscriptItem = z.infer<typeof FathomTranscriptItem>;

export const FathomMeeting = z.looseObject({
  recording_id: z.number().int(),
  /** the recording's title (editable in Fathom) */
  title: z.string().nullish(),
  /** the calendar event's title */
  meeting_title: z.string().nullish(),
  url: z.string().nullish(),
  share_url: z.string().nullish(),
  /** when Fathom created the recording (after it ended); what listings filter on */
  created_at: z.string().nullish(),
  scheduled_start_time: z.string().nullish(),
  scheduled_end_time: z.string().nullish(),
  recording_start_time: z.string().nullish(),
  recording_end_time: z.string().nullish(),
  calendar_invitees: z.array(FathomInvitee).nullish(),
  recorded_by: FathomUser.nullish(),
  /** only with include_transcript; null while Fathom is still transcribing */
  transcript: z.array(FathomTranscriptItem).nullish(),
});
export type FathomMeeting = z.infer<typeof FathomMeeting>;

export const FathomMeetingsPage = fathomPage(FathomMeeting);

/** GET /recordings/{recording_id}/transcript without `destination_url`: the transcript inline. */
export const FathomTranscriptBody = z.looseObject({ transcript: z.array(FathomTranscriptItem).nullish() });

/** Error bodies are not documented; `{"error": "…"}` is what Fathom's examples elsewhere show. */
export const FathomErrorBody = z.looseObject({ error: z.string() });
