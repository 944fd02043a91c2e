/**
 * The answers of one survey version as CSV (GET /api/v1/exports/survey_answers): one row per completed
 * answer — who answered, their account, when, the NPS score and band, the placement, the free text and
 * every scored item under `item.<id>` (`dk` for "don't know"). The headers are the survey-result
 * import's field keys, so the file re-imports (with `surveyId`, into that survey's results).
 * Streamed in pages cut on the answer id, each page one short query, like the other exports.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Database } from '../../kernel/db/index.ts';
import { notFound } from '../../kernel/errors.ts';
import type { Item } from './rules.ts';

const PAGE = 2000;

/** The fixed columns, before the items'. */
export const ANSWER_EXPORT_COLUMNS = [
  'external_id', 'external_source', 'survey', 'survey_version', 'contact_email', 'contact_name', 'account', 'account_id',
  'answered_at', 'recommend', 'nps_band', 'level', 'comment', 'language',
] as const;

/** The source the export names its answer ids with (a re-import keeps them as external ids of that source). */
export const EXPORT_SOURCE = 'accord';

export interface AnswerExportVersion {
  surveyId: string;
  surveyName: string;
  versionId: string;
  version: number;
  items: Item[];
}

/** The version to export: the given number, else the current one; a survey of another organization or a deleted one is a 404. */
export async function answerExportVersion(database: Database, orgId: string, surveyId: string, version?: number): Promise<AnswerExportVersion> {
  const { rows } = await database.query(
    `select s.id, s.name, v.id as version_id, v.number, v.items from surveys s
       join survey_versions v on v.org_id = s.org_id and v.survey_id = s.id
      where s.org_id = $1 and s.id = $2 and s.deleted_at is null and (case when $3::int is null then v.id = s.current_version_id else v.number = $3::int end)`,
    [orgId, surveyId, version ?? null],
  );
  const r = rows[0] as { id: string; name: string; version_id: string; number: number; items: Item[] } | undefined;
  if (!r) throw notFound(version === undefined ? 'Survey' : `Version ${version} of this survey`);
  return { surveyId: r.id, surveyName: r.name, versionId: r.version_id, version: Number(r.number), items: r.items };
}

/** `dk` for "don't know" (null), blank for not answered: what the import reads back. */
export const itemCell = (answers: Record<string, unknown>, id: string): string => {
  if (!(id in answers)) return '';
  const v = answers[id];
  return v === null ? 'dk' : String(v);
};

export function exportAnswersCsv(database: Database, orgId: string, v: AnswerExportVersion): Readable {
  const items = v.items.filter((i) => i.kind !== 'text');
  const header = [...ANSWER_EXPORT_COLUMNS, ...items.map((i) => `item.${i.id}`)];
  const sql = `select a.id, c.email, c.full_name, ac.name as account, a.account_id,
                      to_char(a.completed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as answered_at,
                      a.recommend, case when a.recommend >= 9 then 'promoter' when a.recommend >= 7 then 'passive' when a.recommend >= 0 then 'detractor' end as band,
                      a.placement, a.comment, a.language, a.answers
                 from (select * from survey_answers x
                        where x.org_id = $1 and x.survey_id = $2 and x.version_id = $3 and x.completed_at is not null and x.id > $4
                        order by x.id limit ${PAGE}) a
                 join contacts c on c.org_id = $1 and c.id = a.contact_id
                 left join accounts ac on ac.org_id = $1 and ac.id = a.account_id
                order by a.id`;
  return Readable.from(
    (async function* () {
      // A BOM so that spreadsheet programs open the Chinese text as UTF-8.
      yield '\uFEFF' + stringify([header]);
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows = (await database.query(sql, [orgId, v.surveyId, v.versionId, after])).rows as Record<string, unknown>[];
        if (!rows.length) return;
        yield stringify(rows.map((r) => {
          const answers = (typeof r.answers === 'string' ? JSON.parse(r.answers) : r.answers ?? {}) as Record<string, unknown>;
          return [
            r.id, EXPORT_SOURCE, v.surveyName, v.version, r.email, r.full_name, r.account, r.account_id,
            r.answered_at, r.recommend, r.band, r.placement, r.comment, r.language,
            ...items.map((i) => itemCell(answers, i.id)),
          ];
        }));
        if (rows.length < PAGE) return;
        after = String(rows[rows.length - 1]!.id);
      }
    })(),
  );
}
