/**
 * Demo voice of the customer (features/demo): realistic feedback in Chinese and English across the
 * channels, two per account, and complaints in every state of the workflow. Set-based: one INSERT …
 * SELECT over the demo accounts joined to the templates below, deadlines computed by the calendar rule
 * for the whole set, the complaints' history and timestamps derived in two more statements.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { scorePending } from './model.ts';
import { scheduleComplaints } from './commands.ts';
import { surveyAnswersToFeedback } from './survey-feedback.ts';
import { bumpSweep } from './sweep.ts';
import { suggestTags } from './wom.ts';

type T = [channel: string, kind: string, lang: string, text: string, rating: number | null, status: string | null, severity: string | null, ageDays: number];
const TEMPLATES: T[] = [
  ['review_site', 'praise', 'zh-CN', '灯具做工精细，光线均匀柔和，安装也很方便，非常满意。', 5, null, null, 40],
  ['brand_community', 'praise', 'zh-CN', '驱动电源用了两年没有出过问题，售后响应也很及时，点赞！', null, null, null, 60],
  ['social_media', 'praise', 'en', 'Great support from the Lumina team, the retrofit was finished a week early.', null, null, null, 25],
  ['email', 'praise', 'en', 'The new high-bay fixtures are excellent, our warehouse has never been this bright.', 5, null, null, 80],
  ['trade_association', 'praise', 'zh-CN', '协会交流会上几家会员都推荐了贵司的防眩光筒灯，效果很好。', null, null, null, 100],
  ['review_site', 'suggestion', 'zh-CN', '希望能提供更多色温选择，另外说明书可以再详细一些。', 4, null, null, 30],
  ['survey', 'suggestion', 'en', 'It would help to get the IES files together with the quotation.', 4, null, null, 50],
  ['brand_community', 'question', 'zh-CN', '地下车库改造用哪种灯具更节能？需要加装感应控制吗？', null, null, null, 12],
  ['email', 'question', 'en', 'Which driver do you recommend for a 0-10V dimming system in a hotel lobby?', null, null, null, 9],
  ['review_site', 'complaint', 'zh-CN', '收到的灯有两只不亮，包装也破了，很失望。', 2, 'received', null, 1],
  ['phone', 'complaint', 'zh-CN', '安装师傅没有按约定时间上门，工期被耽误了。', null, 'acknowledged', 'medium', 2],
  ['trade_association', 'complaint', 'zh-CN', '贵司上批LED驱动电源故障率偏高，行业协会会员群里已有多家反映。', null, 'assessed', 'high', 3],
  ['email', 'complaint', 'en', 'Three drivers failed within a month on the Hamburg project, we need replacements urgently.', null, 'investigating', 'high', 4],
  ['online_forum', 'complaint', 'zh-CN', '论坛上有人说你们的灯具色温不一致，同一批货有偏差。', null, 'responded', 'medium', 6],
  ['government', 'complaint', 'zh-CN', '质监部门抽检发现一批路灯的防护等级标识与实测不符。', null, 'investigating', 'critical', 1],
  ['social_media', 'public_attack', 'en', 'Avoid Lumina: late delivery, broken fittings and nobody answers the phone!', 1, 'received', 'high', 1],
  ['news_media', 'public_attack', 'zh-CN', '本地媒体报道称某照明企业的灯具频繁损坏，点名了我司产品。', null, 'assessed', 'critical', 2],
  ['personal_circle', 'complaint', 'zh-CN', '采购群里有人抱怨我们的交货期太长，报价也比别家贵。', null, 'resolved', 'low', 20],
  ['email', 'complaint', 'en', 'The invoice did not match the quotation, please correct it.', null, 'closed', 'low', 45],
  ['review_site', 'complaint', 'en', 'Poor packaging, two lenses were scratched on arrival.', 2, 'rejected', 'low', 35],
  ['visit', 'complaint', 'zh-CN', '现场验收时发现部分灯具的安装支架尺寸不对。', null, 'closed', 'medium', 70],
  ['phone', 'complaint', 'en', 'Replacement parts took three weeks to arrive.', null, 'closed', 'high', 120],
];

// Online reviews, composed from what customers of a lighting maker praise and criticize (distinct texts, rated).
const ASPECTS_ZH = ['灯具做工', '光线', '驱动电源', '发货速度', '包装', '售后服务', '安装说明', '性价比'];
const GOOD_ZH: [string, number][] = [['很好，非常满意', 5], ['不错，值得推荐', 5], ['挺好的，下次还买', 4], ['比预期好，很惊喜', 5]];
const BAD_ZH: [string, number][] = [['太差了，很失望', 1], ['有问题，要退货', 1], ['不好，不会再买', 2], ['一般，有点后悔', 2]];
const ASPECTS_EN = ['Build quality', 'The light output', 'The driver', 'Delivery', 'Packaging', 'After-sales support', 'The manual', 'Value for money'];
const GOOD_EN: [string, number][] = [['is excellent, very happy', 5], ['is great, would recommend', 5], ['was better than expected', 4]];
const BAD_EN: [string, number][] = [['is poor, very disappointed', 1], ['was terrible, returning it', 1], ['is not good enough', 2]];
const REVIEWS: [string, string, number][] = [
  ...ASPECTS_ZH.flatMap((a) => [...GOOD_ZH, ...BAD_ZH].map(([v, r]) => ['zh-CN', `${a}${v}。`, r] as [string, string, number])),
  ...ASPECTS_EN.flatMap((a) => [...GOOD_EN, ...BAD_EN].map(([v, r]) => ['en', `${a} ${v}.`, r] as [string, string, number])),
];

const ORDER = ['received', 'acknowledged', 'assessed', 'investigating', 'responded', 'resolved', 'closed'];

export async function seedDemoFeedback(db: DbOrTx, orgId: string, nowMs: number): Promise<number> {
  const tpl = JSON.stringify(TEMPLATES.map(([channel, kind, lang, text, rating, status, severity, age], n) => ({ n, channel, kind, lang, text, rating, status, severity, age })));
  const now = new Date(nowMs).toISOString();
  const k = TEMPLATES.length;
  const res = (await db.execute(sql`
    insert into feedback (org_id, id, account_id, contact_id, channel, kind, text, language, rating, rating_scale, occurred_at, visibility, owner_id,
                          severity, impact, status, received_at, journey_step, created_at, updated_at)
    select a.org_id, uuid_generate_v7(), a.id,
           (select c.id from contacts c where c.org_id = a.org_id and c.account_id = a.id and c.deleted_at is null order by c.id limit 1),
           t.channel, t.kind, t.text, t.lang, t.rating, case when t.rating is not null then 5 end,
           ${now}::timestamptz - make_interval(days => t.age + (a.rn % 4)::int, hours => (a.rn % 9)::int),
           case when coalesce((v.meta->>'public')::boolean, false) then 'public' else 'private' end,
           a.owner_id, t.severity,
           case when t.status in ('assessed', 'investigating', 'responded', 'resolved', 'rejected', 'closed') then case when t.lang = 'en' then 'Customer project at risk' else '影响客户项目进度' end end,
           t.status,
           case when t.status is not null then ${now}::timestamptz - make_interval(days => t.age + (a.rn % 4)::int, hours => (a.rn % 9)::int) end,
           case when t.kind = 'question' then 'solution_design' end,
           ${now}::timestamptz, ${now}::timestamptz
      from (select x.*, row_number() over (order by x.id) as rn from accounts x where x.org_id = ${orgId} and x.deleted_at is null) a
      cross join generate_series(0, 1) j
      join jsonb_to_recordset(${tpl}::jsonb) as t(n int, channel text, kind text, lang text, text text, rating numeric, status text, severity text, age int)
        on t.n = ((a.rn * 7 + j * 11) % ${k})
      left join vocab_terms v on v.org_id = a.org_id and v.vocabulary = 'feedback_channel' and v.key = t.channel`)) as unknown as { rowCount?: number | null };
  const reviews = JSON.stringify(REVIEWS.map(([lang, text, rating], n) => ({ n, lang, text, rating })));
  const rated = (await db.execute(sql`
    insert into feedback (org_id, id, account_id, channel, kind, text, language, rating, rating_scale, occurred_at, visibility, owner_id, created_at, updated_at)
    select a.org_id, uuid_generate_v7(), a.id, 'review_site', case when r.rating >= 4 then 'praise' else 'suggestion' end, r.text, r.lang, r.rating, 5,
           ${now}::timestamptz - make_interval(days => (a.rn * 13 % 170)::int, hours => (a.rn % 11)::int), 'public', a.owner_id, ${now}::timestamptz, ${now}::timestamptz
      from (select x.*, row_number() over (order by x.id) as rn from accounts x where x.org_id = ${orgId} and x.deleted_at is null) a
      join jsonb_to_recordset(${reviews}::jsonb) as r(n int, lang text, text text, rating numeric) on r.n = ((a.rn * 37) % ${REVIEWS.length})`)) as unknown as { rowCount?: number | null };
  // Deadlines for every demo complaint from the calendar rule (the scheduler fills those without one).
  // scheduleComplaints takes at most 20,000 per call: a 100k-account demo has more complaints than that,
  // and those left without a deadline failed the transitions below (null "at"), rolling the demo back.
  while ((await scheduleComplaints(db, orgId, { anyStatus: true })) > 0);
  // Each complaint's timestamps along its path: first response at 5 % of its time, resolution on time for most.
  await db.execute(sql`
    update feedback f set
      acknowledged_at = case when f.status <> 'received' then f.received_at + (f.due_at - f.received_at) * 0.05 end,
      responded_at = case when f.status in ('responded', 'resolved', 'rejected', 'closed') then f.received_at + (f.due_at - f.received_at) * 0.45 end,
      resolved_at = case when f.status in ('resolved', 'rejected', 'closed') then f.received_at + (f.due_at - f.received_at) * (0.5 + (get_byte(uuid_send(f.id), 15) % 8) * 0.1) end,
      outcome = case when f.status = 'rejected' then 'rejected' when f.status in ('resolved', 'closed') then 'resolved' end,
      closed_at = case when f.status = 'closed' then f.received_at + (f.due_at - f.received_at) * 1.4 end,
      close_reason = case when f.status = 'closed' then case when f.language = 'en' then 'Customer confirmed the fix' else '客户确认问题已解决' end
                          when f.status = 'rejected' then case when f.language = 'en' then 'Damage caused in transit by the customer''s forwarder' else '非我方责任' end end
     where f.org_id = ${orgId} and f.status is not null`);
  await db.execute(sql`
    insert into complaint_transitions (org_id, feedback_id, from_status, to_status, at, by)
    select f.org_id, f.id, p.prev, p.s,
           case p.s when 'received' then f.received_at when 'acknowledged' then f.acknowledged_at when 'responded' then f.responded_at when 'resolved' then f.resolved_at
                    when 'rejected' then f.resolved_at when 'closed' then f.closed_at
                    else f.received_at + (f.due_at - f.received_at) * (0.05 + p.i * 0.08) end,
           f.owner_id
      from feedback f
      cross join lateral (select s, i, lag(s) over (order by i) as prev from unnest(
        case when f.status = 'rejected' then array['received', 'acknowledged', 'assessed', 'investigating', 'responded', 'rejected']
             else ${`{${ORDER.join(',')}}`}::text[] end) with ordinality as u(s, i)) p
     where f.org_id = ${orgId} and f.status is not null
       and p.i <= case when f.status = 'rejected' then 6 else array_position(${`{${ORDER.join(',')}}`}::text[], f.status) end`);
  await scorePending(db, orgId);
  await seedDemoVoiceOfProducts(db, orgId);
  // The demo survey's comments (seeded before) are feedback of channel survey too.
  const fromSurveys = await surveyAnswersToFeedback(db, orgId);
  await bumpSweep(db, orgId);
  return (res.rowCount ?? 0) + (rated.rowCount ?? 0) + fromSurveys;
}

/** The demo's main products (demo/catalogue.ts): the feedback speaks of them, each has its three word-of-mouth points. */
const MAIN = ['DL-20-AG', 'HB-UFO-150', 'PNL-6060-40', 'ST-M-100'];
const POINTS: [name: string, keywords: string[]][] = [
  ['光效 / Light quality', ['光线', '光效', '均匀', '色温', '眩', '亮', 'light', 'bright', 'glare']],
  ['驱动电源寿命 / Driver lifetime', ['驱动', '电源', '故障', '不亮', '损坏', 'driver', 'failed', 'burn out']],
  ['交期与包装 / Delivery & packaging', ['交期', '交货', '发货', '包装', '上门', 'delivery', 'packaging', 'arrived', 'arrival', 'replacement parts']],
];

/**
 * Each demo feedback (but the survey comments) names one of the main products, chosen by its id; each main
 * product gets its three points; the points are suggested on the feedback from its text. Set-based.
 */
async function seedDemoVoiceOfProducts(db: DbOrTx, orgId: string) {
  const main = JSON.stringify(MAIN);
  await db.execute(sql`
    insert into feedback_products (org_id, feedback_id, product_id)
    select f.org_id, f.id, m.id
      from feedback f
      join (select p.id, (row_number() over (order by p.code) - 1)::int as k from products p
             where p.org_id = ${orgId} and p.deleted_at is null and p.code in (select value from jsonb_array_elements_text(${main}::jsonb))) m
        on m.k = get_byte(uuid_send(f.id), 15) % ${MAIN.length}
     where f.org_id = ${orgId} and f.channel <> 'survey'
    on conflict do nothing`);
  const points = JSON.stringify(POINTS.map(([name, keywords], i) => ({ slot: i + 1, name, keywords })));
  const made = (await db.execute(sql`
    insert into wom_points (org_id, product_id, slot, name, keywords)
    select p.org_id, p.id, v.slot, v.name, v.keywords
      from products p cross join jsonb_to_recordset(${points}::jsonb) as v(slot int, name text, keywords jsonb)
     where p.org_id = ${orgId} and p.deleted_at is null and p.code in (select value from jsonb_array_elements_text(${main}::jsonb))
    on conflict do nothing returning id`)) as unknown as { rows: { id: string }[] };
  if (made.rows.length) await suggestTags(db, orgId, { pointIds: made.rows.map((r) => r.id) });
}
