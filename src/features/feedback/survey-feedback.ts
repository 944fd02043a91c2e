/**
 * Survey free text becomes feedback: the comment of every completed survey answer lands once as feedback
 * of channel "survey" on the respondent (contact) and the account, scored like any other feedback. The
 * answer id is unique on feedback, so running this twice (or concurrently) adds nothing the second time.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { currentModel, scoreOne } from './model.ts';

const rows = <T>(r: unknown): T[] => (r as { rows: T[] }).rows;
const BATCH = 5000;
// No sweep bump: survey feedback is scored here and is never a complaint, so reads have nothing to catch up.

/**
 * Feedback of kind praise when the text reads positive, suggestion otherwise: the survey asks what to do
 * better. A person turns one into a complaint when it is one (that starts the workflow and its deadlines).
 */
export const surveyKind = (sentiment: string) => (sentiment === 'positive' ? 'praise' : 'suggestion');

/** Turns the free text of completed answers (`answerIds`, or every one not turned yet) into feedback; returns how many. */
export async function surveyAnswersToFeedback(db: DbOrTx, orgId: string, answerIds?: string[]): Promise<number> {
  if (answerIds && !answerIds.length) return 0;
  const { model } = await currentModel(db, orgId);
  let done = 0;
  for (let guard = 0; guard < 200; guard++) {
    const batch = rows<{ id: string; contactId: string; accountId: string | null; comment: string; language: string | null; at: string; ownerId: string | null }>(await db.execute(sql`
      select a.id, a.contact_id as "contactId", a.account_id as "accountId", a.comment, a.language, a.completed_at::text as at, ac.owner_id as "ownerId"
        from survey_answers a
        left join accounts ac on ac.org_id = a.org_id and ac.id = a.account_id
       where a.org_id = ${orgId} and a.completed_at is not null and coalesce(btrim(a.comment), '') <> ''
         ${answerIds ? sql`and a.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(answerIds)}::jsonb))` : sql``}
         and not exists (select 1 from feedback f where f.org_id = ${orgId} and f.survey_answer_id = a.id)
       order by a.id limit ${BATCH}`));
    if (!batch.length) break;
    const values = batch.map((b) => {
      const s = scoreOne(model, { text: b.comment, rating: null, ratingScale: null });
      return { ...b, at: new Date(b.at).toISOString(), kind: surveyKind(s.sentiment), sentiment: s.sentiment, score: s.score, source: s.source };
    });
    const r = (await db.execute(sql`
      insert into feedback (org_id, account_id, contact_id, channel, kind, text, language, occurred_at, visibility, owner_id, sentiment, sentiment_score, sentiment_source, survey_answer_id)
      select ${orgId}::uuid, v."accountId", v."contactId", 'survey', v.kind, v.comment, v.language, v.at, 'private', v."ownerId", v.sentiment, v.score, v.source, v.id
        from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
             as v(id uuid, "contactId" uuid, "accountId" uuid, comment text, language text, at timestamptz, "ownerId" uuid, kind text, sentiment text, score real, source text)
      on conflict (org_id, survey_answer_id) where survey_answer_id is not null do nothing`)) as unknown as { rowCount?: number | null };
    done += r.rowCount ?? 0;
    if (batch.length < BATCH || answerIds) break;
  }
  return done;
}
