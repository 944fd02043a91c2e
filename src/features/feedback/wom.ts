/**
 * Word-of-mouth points (口碑点): named by the organization, at most three per product or product line (three
 * slots, enforced by a unique index too), suggested on feedback from its text, confirmed by a person, and
 * counted per month as praise vs criticism with the quotes that carry them.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/actor.ts';
import { requireRole } from '../../kernel/actor.ts';
import { audit } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { badRequest, conflict, notFound, preconditionRequired } from '../../kernel/errors.ts';
import { currentModel } from './model.ts';
import { lexiconPolarity, polarityOf, predict, type Model } from './sentiment.ts';
import { monthWindow } from './voice.ts';
import { cleanKeywords, freeSlot, POINT_FOCUS_MESSAGE, suggestPoints, type PointSpec, type Polarity, type Stance } from './wom-rules.ts';

const rows = <T>(r: unknown): T[] => (r as { rows: T[] }).rows;
const by = (a: Actor) => (a.kind === 'system' ? null : a.userId);

type PointRow = { id: string; productId: string | null; productLine: string | null; slot: number; name: string; keywords: string[] | string; version: number; createdAt: string; updatedAt: string };
const present = (p: PointRow) => ({
  ...p,
  keywords: typeof p.keywords === 'string' ? (JSON.parse(p.keywords) as string[]) : p.keywords,
  createdAt: new Date(p.createdAt).toISOString(),
  updatedAt: new Date(p.updatedAt).toISOString(),
});
const pointCols = sql`id, product_id as "productId", product_line as "productLine", slot, name, keywords, version, created_at as "createdAt", updated_at as "updatedAt"`;

async function productLineOf(db: DbOrTx, orgId: string, productId: string): Promise<{ line: string | null } | null> {
  const [p] = rows<{ line: string | null }>(await db.execute(sql`select product_line as line from products where org_id = ${orgId} and id = ${productId} and deleted_at is null`));
  return p ?? null;
}

/** The live points of a product (its own and its line's) or of a line. */
export async function listPoints(db: DbOrTx, orgId: string, q: { productId?: string; productLine?: string }) {
  let line = q.productLine ?? null;
  if (q.productId) {
    const p = await productLineOf(db, orgId, q.productId);
    if (!p) throw notFound('Product');
    line = p.line;
  }
  const res = rows<PointRow>(await db.execute(sql`
    select ${pointCols} from wom_points
     where org_id = ${orgId} and deleted_at is null
       ${q.productId || q.productLine ? sql`and (${q.productId ? sql`product_id = ${q.productId}` : sql`false`} or ${line ? sql`product_line = ${line}` : sql`false`})` : sql``}
     order by product_line nulls first, product_id, slot`));
  return res.map(present);
}

const polarityFn = (model: Model | null) => (clause: string): Polarity => {
  if (model) return polarityOf(predict(model, clause));
  return lexiconPolarity(clause).label;
};

/**
 * Suggests points on feedback from its text: the feedback of `feedbackIds`, or every feedback naming a
 * product the given points cover. Confirmed and rejected tags stay as a person left them; suggestions
 * that no longer match are dropped. One SELECT of texts and points, matching in JS, one DELETE, one INSERT.
 */
export async function suggestTags(db: DbOrTx, orgId: string, scope: { feedbackIds?: string[]; pointIds?: string[] }): Promise<number> {
  if (scope.feedbackIds && !scope.feedbackIds.length) return 0;
  const target = scope.feedbackIds
    ? sql`f.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(scope.feedbackIds)}::jsonb))`
    : sql`exists (select 1 from feedback_products fp join products p on p.org_id = fp.org_id and p.id = fp.product_id
                  join wom_points pt on pt.org_id = fp.org_id and (pt.product_id = p.id or pt.product_line = p.product_line)
                 where fp.org_id = ${orgId} and fp.feedback_id = f.id and pt.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(scope.pointIds ?? [])}::jsonb)))`;
  const list = rows<{ id: string; text: string; sentiment: Polarity; points: (PointSpec & { keywords: string[] })[] | string }>(await db.execute(sql`
    select f.id, f.text, f.sentiment,
           (select coalesce(jsonb_agg(distinct jsonb_build_object('id', pt.id, 'name', pt.name, 'keywords', pt.keywords)), '[]'::jsonb)
              from feedback_products fp join products p on p.org_id = fp.org_id and p.id = fp.product_id
              join wom_points pt on pt.org_id = fp.org_id and pt.deleted_at is null and (pt.product_id = p.id or pt.product_line = p.product_line)
             where fp.org_id = ${orgId} and fp.feedback_id = f.id) as points
      from feedback f
     where f.org_id = ${orgId} and f.deleted_at is null and ${target}
     order by f.occurred_at desc limit 20000`));
  if (!list.length) return 0;
  const { model } = await currentModel(db, orgId);
  const pol = polarityFn(model);
  const values: { f: string; p: string; s: Stance }[] = [];
  for (const x of list) {
    const points = typeof x.points === 'string' ? (JSON.parse(x.points) as PointSpec[]) : x.points;
    for (const s of suggestPoints(x.text, points, pol, x.sentiment)) values.push({ f: x.id, p: s.pointId, s: s.stance });
  }
  const ids = JSON.stringify(list.map((x) => x.id));
  const json = JSON.stringify(values);
  await db.execute(sql`
    delete from feedback_wom w
     where w.org_id = ${orgId} and w.status = 'suggested' and w.feedback_id in (select value::uuid from jsonb_array_elements_text(${ids}::jsonb))
       and not exists (select 1 from jsonb_to_recordset(${json}::jsonb) as v(f uuid, p uuid) where v.f = w.feedback_id and v.p = w.point_id)`);
  if (values.length) {
    await db.execute(sql`
      insert into feedback_wom (org_id, feedback_id, point_id, stance, status)
      select ${orgId}::uuid, v.f, v.p, v.s, 'suggested' from jsonb_to_recordset(${json}::jsonb) as v(f uuid, p uuid, s text)
      on conflict (org_id, feedback_id, point_id) do update set stance = excluded.stance where feedback_wom.status = 'suggested'`);
  }
  return values.length;
}

/** Names a point of a product or a line in the lowest free slot; a fourth is refused with the reason (focus). */
export async function createPoint(db: Db, actor: Actor, input: { productId?: string; productLine?: string; name: string; keywords?: string[] }) {
  requireRole(actor, 'manager', 'admin');
  if (!!input.productId === !!input.productLine) {
    const message = 'Name the product or the product line the point belongs to (one of them)';
    throw badRequest(message, [{ path: 'productId', message }]);
  }
  return db.transaction(async (tx) => {
    if (input.productId && !(await productLineOf(tx, actor.orgId, input.productId))) throw badRequest('Product not found', [{ path: 'productId', message: 'Product not found', code: 'not_found' }]);
    if (input.productLine) {
      const [v] = rows<{ ok: boolean }>(await tx.execute(sql`select true as ok from vocab_terms where org_id = ${actor.orgId} and vocabulary = 'product_line' and key = ${input.productLine}`));
      if (!v) throw badRequest('Unknown product line', [{ path: 'productLine', message: 'Not a product line of this organization', code: 'invalid' }]);
    }
    const scope = input.productId ? sql`product_id = ${input.productId}` : sql`product_line = ${input.productLine!}`;
    const taken = rows<{ slot: number; name: string }>(await tx.execute(sql`select slot, name from wom_points where org_id = ${actor.orgId} and ${scope} and deleted_at is null for update`));
    const path = input.productId ? 'productId' : 'productLine';
    if (taken.some((t) => t.name.trim().toLowerCase() === input.name.trim().toLowerCase())) throw badRequest('This point is already named', [{ path: 'name', message: 'This point is already named', code: 'duplicate' }]);
    const slot = freeSlot(taken.map((t) => t.slot));
    if (slot === null) throw badRequest(POINT_FOCUS_MESSAGE, [{ path, message: POINT_FOCUS_MESSAGE, code: 'too_many', params: { max: 3, taken: taken.map((t) => t.name) } }]);
    const kw = cleanKeywords(input.keywords ?? []);
    // Two people naming the fourth point at once: the slot's unique index refuses the second.
    const inserted = await tx.execute(sql`
      insert into wom_points (org_id, product_id, product_line, slot, name, keywords, created_by, updated_by)
      values (${actor.orgId}, ${input.productId ?? null}, ${input.productLine ?? null}, ${slot}, ${input.name.trim()}, ${JSON.stringify(kw)}::jsonb, ${by(actor)}, ${by(actor)})
      on conflict do nothing returning ${pointCols}`);
    const [p] = rows<PointRow>(inserted);
    if (!p) throw badRequest(POINT_FOCUS_MESSAGE, [{ path, message: POINT_FOCUS_MESSAGE, code: 'too_many', params: { max: 3 } }]);
    const out = present(p);
    await audit(tx, actor, { action: 'create', entity: 'wom_point', entityId: out.id, after: out });
    await suggestTags(tx, actor.orgId, { pointIds: [out.id] });
    return out;
  });
}

async function pointForWrite(tx: DbOrTx, actor: Actor, id: string, version: number | undefined) {
  requireRole(actor, 'manager', 'admin');
  if (version === undefined) throw preconditionRequired();
  const [p] = rows<PointRow>(await tx.execute(sql`select ${pointCols} from wom_points where org_id = ${actor.orgId} and id = ${id} and deleted_at is null for update`));
  if (!p) throw notFound('Word-of-mouth point');
  if (p.version !== version) throw conflict(`This point was changed by someone else (you edited version ${version}, it is now ${p.version})`, present(p));
  return present(p);
}

export async function updatePoint(db: Db, actor: Actor, id: string, input: { name?: string; keywords?: string[]; version?: number }) {
  return db.transaction(async (tx) => {
    const before = await pointForWrite(tx, actor, id, input.version);
    const name = input.name?.trim() ?? before.name;
    const kw = input.keywords ? cleanKeywords(input.keywords) : before.keywords;
    const [p] = rows<PointRow>(await tx.execute(sql`
      update wom_points set name = ${name}, keywords = ${JSON.stringify(kw)}::jsonb, version = version + 1, updated_at = ${new Date().toISOString()}::timestamptz, updated_by = ${by(actor)}
       where org_id = ${actor.orgId} and id = ${id} returning ${pointCols}`));
    const out = present(p!);
    await audit(tx, actor, { action: 'update', entity: 'wom_point', entityId: id, before: { name: before.name, keywords: before.keywords }, after: { name: out.name, keywords: out.keywords } });
    await suggestTags(tx, actor.orgId, { pointIds: [id] });
    return out;
  });
}

/** Retires a point (its slot is free again); its tags stay on record but leave the figures. */
export async function retirePoint(db: Db, actor: Actor, id: string, version: number | undefined) {
  return db.transaction(async (tx) => {
    const before = await pointForWrite(tx, actor, id, version);
    await tx.execute(sql`update wom_points set deleted_at = ${new Date().toISOString()}::timestamptz, version = version + 1, updated_by = ${by(actor)} where org_id = ${actor.orgId} and id = ${id}`);
    await audit(tx, actor, { action: 'delete', entity: 'wom_point', entityId: id, before });
  });
}

/**
 * A person says which points a feedback mentions, and how: those become confirmed (stance as given), the
 * other suggestions of this feedback rejected (so a later suggestion run does not bring them back).
 */
export async function confirmTags(tx: DbOrTx, actor: Actor, feedbackId: string, tags: { pointId: string; stance: Stance }[]) {
  const allowed = rows<{ id: string }>(await tx.execute(sql`
    select distinct pt.id from feedback_products fp join products p on p.org_id = fp.org_id and p.id = fp.product_id
      join wom_points pt on pt.org_id = fp.org_id and pt.deleted_at is null and (pt.product_id = p.id or pt.product_line = p.product_line)
     where fp.org_id = ${actor.orgId} and fp.feedback_id = ${feedbackId}`)).map((r) => r.id);
  const bad = tags.findIndex((t) => !allowed.includes(t.pointId));
  if (bad >= 0) throw badRequest('Not a point of the products this feedback names', [{ path: `tags.${bad}.pointId`, message: 'Not a point of the products this feedback names', code: 'invalid' }]);
  if (new Set(tags.map((t) => t.pointId)).size !== tags.length) throw badRequest('A point is tagged once', [{ path: 'tags', message: 'A point is tagged once', code: 'duplicate' }]);
  const before = rows<{ pointId: string; stance: string; status: string }>(await tx.execute(sql`select point_id as "pointId", stance, status from feedback_wom where org_id = ${actor.orgId} and feedback_id = ${feedbackId} order by point_id`));
  const json = JSON.stringify(tags.map((t) => ({ p: t.pointId, s: t.stance })));
  const at = new Date().toISOString();
  await tx.execute(sql`
    update feedback_wom w set status = 'rejected', by = ${by(actor)}, at = ${at}::timestamptz
     where w.org_id = ${actor.orgId} and w.feedback_id = ${feedbackId}
       and not exists (select 1 from jsonb_to_recordset(${json}::jsonb) as v(p uuid) where v.p = w.point_id)`);
  if (tags.length) {
    await tx.execute(sql`
      insert into feedback_wom (org_id, feedback_id, point_id, stance, status, by, at)
      select ${actor.orgId}::uuid, ${feedbackId}::uuid, v.p, v.s, 'confirmed', ${by(actor)}::uuid, ${at}::timestamptz from jsonb_to_recordset(${json}::jsonb) as v(p uuid, s text)
      on conflict (org_id, feedback_id, point_id) do update set stance = excluded.stance, status = 'confirmed', by = excluded.by, at = excluded.at`);
  }
  await audit(tx, actor, { action: 'wom', entity: 'feedback', entityId: feedbackId, before: { wom: before }, after: { wom: tags } });
}

/**
 * Per point of a product (its own and its line's): mentions, praise vs criticism per month, the top quotes
 * (confirmed first, then the newest). Two aggregate statements and one for quotes.
 */
export async function pointStats(db: DbOrTx, orgId: string, productId: string, months: number) {
  const points = await listPoints(db, orgId, { productId });
  if (!points.length) return [];
  const { keys, start, off } = await monthWindow(db, orgId, months);
  const ids = JSON.stringify(points.map((p) => p.id));
  // Mentions of a line's point count the feedback about this product only: the chart is the product's.
  const tagged = sql`from feedback_wom w join feedback f on f.org_id = w.org_id and f.id = w.feedback_id and f.deleted_at is null
     where w.org_id = ${orgId} and w.status <> 'rejected' and w.point_id in (select value::uuid from jsonb_array_elements_text(${ids}::jsonb))
       and exists (select 1 from feedback_products fp where fp.org_id = ${orgId} and fp.feedback_id = w.feedback_id and fp.product_id = ${productId})`;
  const totals = rows<{ pointId: string; mentions: number; confirmed: number; praise: number; criticism: number; neutral: number }>(await db.execute(sql`
    select w.point_id as "pointId", count(*)::int as mentions, (count(*) filter (where w.status = 'confirmed'))::int as confirmed,
           (count(*) filter (where w.stance = 'praise'))::int as praise, (count(*) filter (where w.stance = 'criticism'))::int as criticism,
           (count(*) filter (where w.stance = 'neutral'))::int as neutral
      ${tagged} group by w.point_id`));
  const monthly = rows<{ pointId: string; month: string; praise: number; criticism: number; neutral: number }>(await db.execute(sql`
    select w.point_id as "pointId", to_char(f.occurred_at + make_interval(mins => ${off}::int), 'YYYY-MM') as month,
           (count(*) filter (where w.stance = 'praise'))::int as praise, (count(*) filter (where w.stance = 'criticism'))::int as criticism,
           (count(*) filter (where w.stance = 'neutral'))::int as neutral
      ${tagged} and f.occurred_at >= ${start}::timestamptz group by 1, 2`));
  const quotes = rows<{ pointId: string; feedbackId: string; text: string; stance: Stance; status: string; occurredAt: string; channel: string }>(await db.execute(sql`
    select "pointId", "feedbackId", text, stance, status, "occurredAt", channel from (
      select d.*, row_number() over (partition by d."pointId", d.stance order by (d.status = 'confirmed') desc, d."occurredAt" desc, d."feedbackId") as rn from (
        -- The same words posted twice are one quote.
        select w.point_id as "pointId", f.id as "feedbackId", left(f.text, 300) as text, w.stance, w.status, f.occurred_at as "occurredAt", f.channel,
               row_number() over (partition by w.point_id, w.stance, f.text order by (w.status = 'confirmed') desc, f.occurred_at desc, f.id) as dup
          ${tagged} and w.stance <> 'neutral') d
       where d.dup = 1) q
     where rn <= 3 order by "pointId", stance, rn`));
  return points.map((p) => {
    const t = totals.find((x) => x.pointId === p.id) ?? { mentions: 0, confirmed: 0, praise: 0, criticism: 0, neutral: 0 };
    return {
      ...p,
      scope: p.productId ? ('product' as const) : ('line' as const),
      mentions: t.mentions, confirmed: t.confirmed, praise: t.praise, criticism: t.criticism, neutral: t.neutral,
      months: keys.map((month) => {
        const m = monthly.find((x) => x.pointId === p.id && x.month === month);
        return { month, praise: m?.praise ?? 0, criticism: m?.criticism ?? 0, neutral: m?.neutral ?? 0 };
      }),
      quotes: quotes.filter((q) => q.pointId === p.id).map(({ pointId: _p, ...q }) => ({ ...q, occurredAt: new Date(q.occurredAt).toISOString() })),
    };
  });
}
