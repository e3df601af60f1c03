import { z } from 'zod';

/**
 * The parts of Gong's responses Parley reads (reference/gong-openapi.json). Unknown fields
 * pass through untouched ("Gong may, without prior warning, add fields to the JSON output").
 * Ids are strings of up to 20 digits: never numbers.
 */
const GongId = z.union([z.string(), z.number().transform(String)]);

export const GongRecords = z.looseObject({
  totalRecords: z.number().optional(),
  currentPageSize: z.number().optional(),
  currentPageNumber: z.number().optional(),
  cursor: z.string().optional(),
});

export const GongUser = z.looseObject({
  id: GongId,
  emailAddress: z.string().nullish(),
  emailAliases: z.array(z.string()).nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  created: z.string().nullish(),
  active: z.boolean().nullish(),
});
export type GongUser = z.infer<typeof GongUser>;

export const GongUsersPage = z.looseObject({
  requestId: z.string().optional(),
  records: GongRecords.optional(),
  users: z.array(GongUser),
});

export const GongInteractionStat = z.looseObject({ name: z.string(), value: z.number().nullish() });

export const GongPersonStats = z.looseObject({
  userId: GongId,
  userEmailAddress: z.string().nullish(),
  personInteractionStats: z.array(GongInteractionStat).nullish(),
});
export type GongPersonStats = z.infer<typeof GongPersonStats>;

export const GongInteractionStatsPage = z.looseObject({
  requestId: z.string().optional(),
  records: GongRecords.optional(),
  timeZone: z.string().optional(),
  fromDateTime: z.string().optional(),
  toDateTime: z.string().optional(),
  peopleInteractionStats: z.array(GongPersonStats).default([]),
});
export type GongInteractionStatsPage = z.infer<typeof GongInteractionStatsPage>;

export const GongParty = z.looseObject({
  id: GongId.nullish(),
  emailAddress: z.string().nullish(),
  name: z.string().nullish(),
  title: z.string().nullish(),
  userId: GongId.nullish(),
  speakerId: GongId.nullish(),
  affiliation: z.string().nullish(),
});
export type GongParty = z.infer<typeof GongParty>;

export const GongCall = z.looseObject({
  metaData: z.looseObject({
    id: GongId,
    url: z.string().nullish(),
    title: z.string().nullish(),
    scheduled: z.string().nullish(),
    started: z.string(),
    duration: z.number().nullish(),
    primaryUserId: GongId.nullish(),
  }),
  parties: z.array(GongParty).nullish(),
});
export type GongCall = z.infer<typeof GongCall>;

export const GongCallsPage = z.looseObject({
  requestId: z.string().optional(),
  records: GongRecords.optional(),
  calls: z.array(GongCall),
});

export const GongSentence = z.looseObject({ start: z.number(), end: z.number(), text: z.string().nullish() });

export const GongCallTranscript = z.looseObject({
  callId: GongId,
  transcript: z.array(
    z.looseObject({ speakerId: GongId.nullish(), topic: z.string().nullish(), sentences: z.array(GongSentence).nullish() }),
  ),
});
export type GongCallTranscript = z.infer<typeof GongCallTranscript>;

export const GongTranscriptsPage = z.looseObject({
  requestId: z.string().optional(),
  records: GongRecords.optional(),
  callTranscripts: z.array(GongCallTranscript),
});

export const GongSingleUser = z.looseObject({ requestId: z.string().optional(), user: GongUser });
