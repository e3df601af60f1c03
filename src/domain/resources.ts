import { z } from 'zod';
import { UserEmail } from './interaction.js';

/**
 * Unified Users, Meetings and Transcripts, in the style of the Interactions object: snake_case,
 * ISO 8601 instants, ids as strings exactly as the vendor spells them, the vendor's raw record in
 * `remote_data`. Transcript times are seconds from the start of the meeting.
 */

export const User = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    emails: z.array(UserEmail),
    created_at: z.string().optional(),
    updated_at: z.string().optional(),
    remote_data: z.unknown().optional(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const SIDES = ['internal', 'external'] as const;
export const Side = z.enum(SIDES).describe('internal: someone of the company; external: customer, prospect, anyone else');
export type Side = z.infer<typeof Side>;

export const MeetingAttendee = z.object({
  id: z.string().optional().describe('the vendor id of this participant in the meeting'),
  name: z.string().optional(),
  email: z.string().optional(),
  side: Side,
  user_id: z.string().optional().describe('the unified user id when the participant is a company user'),
  is_host: z.boolean().optional(),
  speaker_id: z.string().optional().describe('the id transcript entries use for this participant'),
});
export type MeetingAttendee = z.infer<typeof MeetingAttendee>;

export const Meeting = z
  .object({
    id: z.string(),
    title: z.string().optional(),
    start_time: z.string(),
    end_time: z.string().optional(),
    duration: z.number().optional().describe('seconds'),
    host_user_id: z.string().optional(),
    attendees: z.array(MeetingAttendee),
    meeting_url: z.string().optional(),
    created_at: z.string().optional(),
    updated_at: z.string().optional(),
    remote_data: z.unknown().optional(),
  })
  .meta({ id: 'Meeting' });
export type Meeting = z.infer<typeof Meeting>;

export const TranscriptEntry = z.object({
  speaker_id: z.string(),
  speaker_name: z.string().optional(),
  speaker_side: Side,
  user_id: z.string().optional(),
  text: z.string(),
  start_time: z.number().describe('seconds from the start of the meeting'),
  end_time: z.number().describe('seconds from the start of the meeting'),
  end_time_derived: z.boolean().optional().describe('true when the vendor gives start times only and the end was derived'),
  questions: z.number().int().optional().describe('questions the vendor detected in this entry, when it reports that'),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;

export const Transcript = z
  .object({
    id: z.string(),
    meeting: z.object({ id: z.string() }),
    entries: z.array(TranscriptEntry),
    remote_data: z.unknown().optional(),
  })
  .meta({ id: 'Transcript' });
export type Transcript = z.infer<typeof Transcript>;
