import type { ConnectorContext, ScorecardsQuery, ScorecardsReader } from '../types.js';
import type { ScorecardTemplate } from '../../domain/scorecard.js';
import { RemoteError } from '../../domain/errors.js';
import { TtlCache } from '../../store/memory-cache.js';
import { fetchGongPage } from './paging.js';
import { cachedGongUsers, gongUsersOf } from './users.js';
import { GongAnsweredScorecardsPage, GongScorecardTemplates } from './activity-schemas.js';
import { mapGongAnsweredScorecard, mapGongScorecardTemplate } from './activity-mappers.js';

const REVIEW_METHODS = { manual: 'MANUAL', automatic: 'AUTOMATIC', both: 'BOTH' } as const;

// Question texts for answers (answers carry only question ids): one settings request per account a while.
const templatesByAccount = new TtlCache<ScorecardTemplate[]>(10 * 60 * 1000, 500);

/** GET /v2/settings/scorecards — https://gong.app.gong.io/settings/api/documentation#get-/v2/settings/scorecards (no paging; 404 = none). */
async function listGongScorecardTemplates(ctx: ConnectorContext): Promise<ScorecardTemplate[]> {
  const page = await fetchGongPage(ctx.http, { method: 'GET', path: '/v2/settings/scorecards' }, GongScorecardTemplates);
  return (page?.scorecards ?? []).map(mapGongScorecardTemplate);
}

async function questionTexts(ctx: ConnectorContext): Promise<Map<string, string>> {
  let templates: ScorecardTemplate[];
  try {
    templates = await templatesByAccount.getOrLoad(ctx.accountId, () => listGongScorecardTemplates(ctx));
  } catch (e) {
    // a key without the settings scope still lists answered scorecards, without question texts
    if (e instanceof RemoteError && (e.statusCode === 401 || e.statusCode === 403)) return new Map();
    throw e;
  }
  return textsOf(templates);
}

function textsOf(templates: readonly ScorecardTemplate[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of templates) for (const q of t.questions) if (q.text) out.set(q.id, q.text);
  return out;
}

/**
 * POST /v2/stats/activity/scorecards — https://gong.app.gong.io/settings/api/documentation#post-/v2/stats/activity/scorecards
 * Filters: callFromDate/callToDate, reviewFromDate/reviewToDate (dates in the company zone, `to`
 * exclusive), reviewedUserIds, scorecardIds, reviewMethod (Gong's default is MANUAL: Parley always
 * sends one). Gong has no reviewer filter: the service filters reviewers. Cursor in the body.
 */
export function gongScorecards(ctx: ConnectorContext): ScorecardsReader {
  return {
    async list(q: ScorecardsQuery, next?: string) {
      const filter: Record<string, unknown> = {};
      const date = (t: ScorecardsQuery['callFrom']) => t!.setZone(q.zone).toISODate();
      if (q.callFrom) filter.callFromDate = date(q.callFrom);
      if (q.callTo) filter.callToDate = date(q.callTo);
      if (q.reviewFrom) filter.reviewFromDate = date(q.reviewFrom);
      if (q.reviewTo) filter.reviewToDate = date(q.reviewTo);
      if (q.revieweeIds && q.revieweeIds.length > 0) filter.reviewedUserIds = [...new Set(q.revieweeIds)];
      if (q.templateIds && q.templateIds.length > 0) filter.scorecardIds = [...new Set(q.templateIds)];
      filter.reviewMethod = REVIEW_METHODS[q.reviewMethod ?? 'both'];
      const page = await fetchGongPage(ctx.http, { method: 'POST', path: '/v2/stats/activity/scorecards', body: { filter } }, GongAnsweredScorecardsPage, next);
      if (!page) return { records: [] };
      const [users, questions] = await Promise.all([
        q.directory && q.directory.size > 0 ? gongUsersOf(q.directory) : cachedGongUsers(ctx.accountId, ctx.http),
        q.templates ? textsOf(q.templates) : questionTexts(ctx),
      ]);
      return { records: page.answeredScorecards.map((s) => mapGongAnsweredScorecard(s, users, questions)), next: page.records?.cursor };
    },
    templates: () => listGongScorecardTemplates(ctx),
  };
}
