/**
 * Survey answers for the demo organization (DOMAIN §8), set-based: up to three buying contacts per
 * customer answer the default questionnaire, and how engaged they are follows the account's share of
 * wallet (its rank among the customers) plus noise of its own — so the engagement page shows, on first
 * start, roughly what the seed reports (fully engaged well above average, actively disengaged below),
 * without being a formula of it. Deterministic for the same accounts and contacts (hashes of their ids).
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { DEFAULT_ITEMS } from './items.ts';
import { rollUpEngagement } from './queries.ts';

/** A uniform number in [0, 1) from a row id and a salt (md5 of both, first 32 bits). */
const u = (id: string, salt: string) => `((('x' || substr(md5(${id}::text || '${salt}'), 1, 8))::bit(32)::int::float8 + 2147483648) / 4294967296.0)`;
/** Roughly normal noise, mean 0, sd ≈ 1 (sum of three uniforms, centred and scaled). */
const n = (id: string, salt: string) => `((${u(id, salt + '1')} + ${u(id, salt + '2')} + ${u(id, salt + '3')} - 1.5) * 2)`;
const agree = (level: string, salt: string, dk = 0) =>
  `case when ${u('p.contact_id', salt + 'dk')} < ${dk} then null else greatest(1, least(5, round(${level} + 0.7 * ${n('p.contact_id', salt)})))::int end`;
const score10 = (base: string, salt: string) => `greatest(0, least(10, round(${base} + 1.2 * ${n('p.contact_id', salt)})))::int`;
const avg = (a: string, b: string) => `((coalesce(${a}, 0) + coalesce(${b}, 0))::float8 / nullif((${a} is not null)::int + (${b} is not null)::int, 0))`;

/** Returns the rows written per table (the demo's counts). */
export async function seedDemoSurveys(db: DbOrTx, orgId: string, nowIso: string): Promise<Record<string, number>> {
  const run = (q: ReturnType<typeof sql>) => db.execute(q) as unknown as Promise<{ rows: Record<string, unknown>[]; rowCount?: number | null }>;
  const sent = new Date(Date.parse(nowIso) - 120 * 86_400_000).toISOString();
  // (Two statements: a data-modifying CTE's rows are not visible to the statement around it.)
  const { rows: made } = await run(sql`
    with s as (
      insert into surveys (org_id, name, language, status, created_at, updated_at)
      values (${orgId}, 'Customer engagement 2026 / 客户敬业度调查', 'en', 'open', ${sent}, ${sent}) returning id)
    insert into survey_versions (org_id, survey_id, number, items, created_at)
    select ${orgId}, s.id, 1, ${JSON.stringify(DEFAULT_ITEMS)}::jsonb, ${sent} from s returning id, survey_id`);
  const surveyId = made[0]!.survey_id as string;
  const versionId = made[0]!.id as string;
  await run(sql`update surveys set current_version_id = ${versionId} where org_id = ${orgId} and id = ${surveyId}`);
  await run(sql`drop table if exists accord_demo_answers`);
  // e: how engaged this respondent is, 0 … 1 — the account's wallet rank, an account-level and a personal share of noise.
  await run(sql.raw(`
    create temporary table accord_demo_answers on commit drop as
    with acc as (
      select a.id, a.owner_id, a.total_annual_demand::float8 as demand,
             coalesce(sum(o.amount_base::float8) filter (where o.ordered_at > (timestamptz '${nowIso}')::date - 365), 0) as bought
        from accounts a
        left join orders o on o.org_id = a.org_id and o.account_id = a.id and o.deleted_at is null and o.status <> 'cancelled'
       where a.org_id = '${orgId}' and a.kind = 'customer' and a.deleted_at is null
       group by a.org_id, a.id),
    ranked as (
      select acc.*, percent_rank() over (order by case when demand > 0 then least(1, bought / demand) else bought / 1e9 end) as pr from acc),
    people as (
      select c.id as contact_id, c.account_id, r.owner_id, r.pr, c.language,
             row_number() over (partition by c.account_id order by md5(c.id::text)) as k
        from contacts c join ranked r on r.id = c.account_id
       where c.org_id = '${orgId}' and c.deleted_at is null and c.erased_at is null),
    p as (
      select people.*, greatest(0, least(1, 0.22 * pr + 0.5 * ${u('account_id', 'acc')} + 0.28 * ${u('contact_id', 'me')})) as e
        from people where k <= 3 and ${u('contact_id', 'answers')} < 0.7)
    select p.contact_id, p.account_id, p.owner_id, p.e, uuid_generate_v7() as answer_id, uuid_generate_v7() as interaction_id, uuid_generate_v7() as recipient_id,
           timestamptz '${nowIso}' - make_interval(days => (5 + floor(${u('p.contact_id', 'when')} * 110))::int, hours => (floor(${u('p.contact_id', 'hour')} * 9))::int) as at,
           ${agree('1.0 + 4.4 * p.e + 0.5', 'c1')} as conf1, ${agree('1.0 + 4.4 * p.e + 0.5', 'c2')} as conf2,
           ${agree('1.0 + 4.4 * p.e + 0.35', 'i1')} as intg1, ${agree('1.0 + 4.4 * p.e + 0.35', 'i2', 0.03)} as intg2,
           ${agree('1.0 + 4.4 * p.e + 0.1', 'p1', 0.06)} as prid1, ${agree('1.0 + 4.4 * p.e + 0.1', 'p2', 0.06)} as prid2,
           ${agree('1.0 + 4.4 * p.e - 0.1', 's1', 0.08)} as pass1, ${agree('1.0 + 4.4 * p.e - 0.1', 's2', 0.08)} as pass2,
           ${score10('4.5 + 5.5 * p.e', 'sat')} as sat, ${score10('4.5 + 5.5 * p.e', 'cont')} as cont, ${score10('3.5 + 7 * p.e', 'rec')} as rec,
           case when ${u('p.contact_id', 'comment')} < 0.25 then
             (array['Delivery dates could be more reliable.', '交期再准一点就更好了。', 'Faster answers on technical questions, please.', '希望报价能更快一些。', 'Keep the same contact person, it helps us a lot.'])[1 + floor(${u('p.contact_id', 'which')} * 5)::int]
           end as comment
      from p`));
  const { rows: counted } = await run(sql`select count(*)::int as n from accord_demo_answers`);
  await run(sql`
    insert into survey_recipients (org_id, id, survey_id, version_id, contact_id, account_id, token_hash, language, expires_at, created_at, opened_at)
    select ${orgId}, d.recipient_id, ${surveyId}, ${versionId}, d.contact_id, d.account_id, md5(d.recipient_id::text || random()::text), 'en', d.at + interval '30 days', ${sent}, d.at - interval '10 minutes'
      from accord_demo_answers d`);
  await run(sql`
    insert into interactions (org_id, id, account_id, kind, direction, subject, body, occurred_at, owner_id, created_at, updated_at)
    select ${orgId}, d.interaction_id, d.account_id, 'survey_answer', 'inbound', 'Customer engagement 2026 / 客户敬业度调查 — ' || d.rec || '/10', d.comment, d.at, d.owner_id, d.at, d.at
      from accord_demo_answers d`);
  await run(sql`insert into interaction_contacts (org_id, interaction_id, contact_id) select ${orgId}, d.interaction_id, d.contact_id from accord_demo_answers d`);
  // Our side: the account's owner (every demo interaction has one of ours).
  await run(sql`insert into interaction_users (org_id, interaction_id, user_id)
    select ${orgId}, d.interaction_id, coalesce(d.owner_id, (select u.id from users u where u.org_id = ${orgId} and u.role = 'admin' order by u.id limit 1)) from accord_demo_answers d`);
  await run(sql.raw(`
    insert into survey_answers (org_id, id, survey_id, version_id, recipient_id, contact_id, account_id, answers, comment, source, language, started_at, updated_at, completed_at,
                                recommend, satisfaction, continuation, rational, confidence, integrity, pride, passion, emotional, interaction_id)
    select '${orgId}', d.answer_id, '${surveyId}', '${versionId}', d.recipient_id, d.contact_id, d.account_id,
           jsonb_build_object('sat', d.sat, 'cont', d.cont, 'rec', d.rec, 'conf1', d.conf1, 'conf2', d.conf2, 'intg1', d.intg1, 'intg2', d.intg2,
                              'prid1', d.prid1, 'prid2', d.prid2, 'pass1', d.pass1, 'pass2', d.pass2),
           d.comment, 'link', 'en', d.at - interval '8 minutes', d.at, d.at,
           d.rec, d.sat, d.cont, (d.sat + d.cont) / 2.0,
           round(${avg('d.conf1', 'd.conf2')}::numeric, 2), round(${avg('d.intg1', 'd.intg2')}::numeric, 2),
           round(${avg('d.prid1', 'd.prid2')}::numeric, 2), round(${avg('d.pass1', 'd.pass2')}::numeric, 2),
           round(((coalesce(d.conf1,0) + coalesce(d.conf2,0) + coalesce(d.intg1,0) + coalesce(d.intg2,0) + coalesce(d.prid1,0) + coalesce(d.prid2,0) + coalesce(d.pass1,0) + coalesce(d.pass2,0))::float8
             / nullif((d.conf1 is not null)::int + (d.conf2 is not null)::int + (d.intg1 is not null)::int + (d.intg2 is not null)::int
                    + (d.prid1 is not null)::int + (d.prid2 is not null)::int + (d.pass1 is not null)::int + (d.pass2 is not null)::int, 0))::numeric, 2),
           d.interaction_id
      from accord_demo_answers d`));
  await run(sql`drop table if exists accord_demo_answers`);
  const rolled = await rollUpEngagement(db, orgId);
  const n = Number(counted[0]!.n);
  return { surveys: 1, survey_versions: 1, survey_recipients: n, survey_answers: n, interactions: n, interaction_contacts: n, interaction_users: n, account_engagement: rolled.accounts };
}
