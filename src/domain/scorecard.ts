import { z } from 'zod';

/**
 * Unified Scorecards (answered) and Scorecard templates (CONTRACT.md "Scorecards"). Ids are
 * strings exactly as the vendor spells them: Gong sends 64-bit integers, which reach the client
 * digit for digit.
 */

export const REVIEW_METHODS = ['manual', 'automatic'] as const;
export const ReviewMethod = z.enum(REVIEW_METHODS);
export type ReviewMethod = z.infer<typeof ReviewMethod>;

export const ScorecardPerson = z.object({
  id: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
});

export const ScorecardAnswer = z.object({
  question: z.object({ id: z.string(), text: z.string().optional() }),
  is_overall: z.boolean().optional(),
  score: z.number().optional(),
  text: z.string().optional(),
  selected_options: z.array(z.string()).optional(),
  not_applicable: z.boolean().optional(),
});
export type ScorecardAnswer = z.infer<typeof ScorecardAnswer>;

export const Scorecard = z
  .object({
    id: z.string(),
    meeting: z.object({ id: z.string(), start_time: z.string().optional() }),
    scorecard_template: z.object({ id: z.string(), name: z.string().optional() }),
    reviewee: ScorecardPerson.optional(),
    reviewer: ScorecardPerson.optional().describe('absent for automatic reviews'),
    review_method: ReviewMethod.optional(),
    reviewed_at: z.string().optional(),
    visibility: z.string().optional().describe("the vendor's visibility, lower case (Gong: public, private, opt_in_users, managers, managers_and_reviewee)"),
    overall_score: z.number().optional().describe('the score of the overall question, when answered'),
    answers: z.array(ScorecardAnswer),
    remote_data: z.unknown().optional(),
  })
  .meta({ id: 'Scorecard' });
export type Scorecard = z.infer<typeof Scorecard>;

export const ScorecardQuestion = z.object({
  id: z.string(),
  text: z.string().optional(),
  type: z.string().optional(),
  is_overall: z.boolean().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  options: z.array(z.object({ id: z.string(), text: z.string().optional() })).optional(),
});

export const ScorecardTemplate = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    enabled: z.boolean().optional(),
    review_method: ReviewMethod.optional(),
    created_at: z.string().optional(),
    updated_at: z.string().optional(),
    questions: z.array(ScorecardQuestion),
    remote_data: z.unknown().optional(),
  })
  .meta({ id: 'ScorecardTemplate' });
export type ScorecardTemplate = z.infer<typeof ScorecardTemplate>;
