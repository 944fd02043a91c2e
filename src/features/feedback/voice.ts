/**
 * Feedback about products: which products a feedback names (feedback_products), and praise, complaints and
 * sentiment per product, per product line and per month. Every statement names the organization.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { feedbackProducts, products } from '../../db/schema/index.ts';
import type { Actor } from '../../kernel/actor.ts';
import { audit } from '../../kernel/audit.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import type { FieldErrors } from '../../kernel/errors.ts';
import type { Row } from '../../kernel/resource.ts';
import { loadServiceSettings } from './settings.ts';

const rows = <T>(r: unknown): T[] => (r as { rows: T[] }).rows;

/** Every named product must exist in the organization (another tenant's id reads as unknown) and not be deleted. */
export async function checkProducts(tx: DbOrTx, orgId: string, ids: string[] | undefined, errs: FieldErrors) {
  if (!ids?.length) return;
  const found = await tx
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.orgId, orgId), inArray(products.id, [...new Set(ids)]), isNull(products.deletedAt)));
  const have = new Set(found.map((f) => f.id));
  for (const id of ids) if (!have.has(id)) errs.add('productIds', `Product not found: ${id}`, 'not_found', { entity: 'product' });
}

/** Replaces a feedback's products with `want` (audited when the set changed); true when it changed. */
export async function replaceProducts(tx: DbOrTx, actor: Actor, feedbackId: string, want: string[]): Promise<boolean> {
  const scope = and(eq(feedbackProducts.orgId, actor.orgId), eq(feedbackProducts.feedbackId, feedbackId));
  const had = (await tx.select({ id: feedbackProducts.productId }).from(feedbackProducts).where(scope)).map((r) => r.id).sort();
  const next = [...new Set(want)].sort();
  if (had.length === next.length && had.every((x, i) => x === next[i])) return false;
  await tx.delete(feedbackProducts).where(scope);
  if (next.length) await tx.insert(feedbackProducts).values(next.map((productId) => ({ orgId: actor.orgId, feedbackId, productId })));
  await audit(tx, actor, { action: 'products', entity: 'feedback', entityId: feedbackId, before: { productIds: had }, after: { productIds: next } });
  return true;
}

type Product = { id: string; code: string; name: string; nameI18n: Record<string, string>; productLine: string | null };
type Tag = { pointId: string; name: string; stance: 'praise' | 'criticism' | 'neutral'; status: 'suggested' | 'confirmed' | 'rejected' };

/** A page of feedback with its products and word-of-mouth tags, in one query. */
export async function expandFeedback(db: DbOrTx, actor: Actor, list: Row[]): Promise<Row[]> {
  if (!list.length) return list;
  const ids = JSON.stringify(list.map((r) => r.id));
  const found = rows<{ id: string; products: Product[] | string; wom: Tag[] | string }>(await db.execute(sql`
    select x.id,
           (select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'code', p.code, 'name', p.name, 'nameI18n', p.name_i18n, 'productLine', p.product_line) order by p.name, p.id), '[]'::jsonb)
              from feedback_products fp join products p on p.org_id = fp.org_id and p.id = fp.product_id
             where fp.org_id = ${actor.orgId} and fp.feedback_id = x.id) as products,
           (select coalesce(jsonb_agg(jsonb_build_object('pointId', w.point_id, 'name', pt.name, 'stance', w.stance, 'status', w.status) order by pt.slot, pt.id), '[]'::jsonb)
              from feedback_wom w join wom_points pt on pt.org_id = w.org_id and pt.id = w.point_id
             where w.org_id = ${actor.orgId} and w.feedback_id = x.id and pt.deleted_at is null) as wom
      from (select value::uuid as id from jsonb_array_elements_text(${ids}::jsonb)) x`));
  const parse = <T>(v: T[] | string | undefined): T[] => (typeof v === 'string' ? (JSON.parse(v) as T[]) : v ?? []);
  const byId = new Map(found.map((f) => [f.id, { products: parse(f.products), wom: parse(f.wom) }]));
  return list.map((r) => {
    const x = byId.get(r.id) ?? { products: [], wom: [] };
    return { ...r, productIds: x.products.map((p) => p.id).sort(), products: x.products, wom: x.wom };
  });
}

const countCols = sql`
  count(*)::int as total,
  (count(*) filter (where f.kind = 'praise'))::int as praise,
  (count(*) filter (where f.kind in ('complaint', 'public_attack')))::int as complaints,
  (count(*) filter (where f.sentiment = 'positive'))::int as positive,
  (count(*) filter (where f.sentiment = 'neutral'))::int as neutral,
  (count(*) filter (where f.sentiment = 'negative'))::int as negative`;

type Counts = { total: number; praise: number; complaints: number; positive: number; neutral: number; negative: number };
/** Net sentiment: (positive − negative) / scored, rounded to 0.01; null when nothing is scored. */
export const net = (c: Pick<Counts, 'positive' | 'neutral' | 'negative'>): number | null => {
  const n = c.positive + c.neutral + c.negative;
  return n ? Math.round(((c.positive - c.negative) / n) * 100) / 100 : null;
};

/**
 * Praise, complaints and sentiment per product (or per product line): one aggregate over the feedback
 * that names a product. A feedback naming two products of one line counts once for the line.
 */
export async function voiceByProduct(db: DbOrTx, orgId: string, q: { by?: 'product' | 'line'; from?: string; to?: string; productLine?: string }) {
  const by = q.by ?? 'product';
  const window = sql`${q.from ? sql`and f.occurred_at >= ${q.from}::timestamptz` : sql``} ${q.to ? sql`and f.occurred_at < ${q.to}::timestamptz` : sql``} ${q.productLine ? sql`and p.product_line = ${q.productLine}` : sql``}`;
  const res =
    by === 'product'
      ? rows<Counts & { productId: string; code: string; name: string; nameI18n: Record<string, string> | string; productLine: string | null }>(await db.execute(sql`
          select p.id as "productId", p.code, p.name, p.name_i18n as "nameI18n", p.product_line as "productLine", ${countCols}
            from feedback_products fp
            join feedback f on f.org_id = fp.org_id and f.id = fp.feedback_id and f.deleted_at is null
            join products p on p.org_id = fp.org_id and p.id = fp.product_id
           where fp.org_id = ${orgId} ${window}
           group by p.id, p.code, p.name, p.name_i18n, p.product_line
           order by count(*) desc, p.name, p.id limit 500`))
      : rows<Counts & { productLine: string | null }>(await db.execute(sql`
          select l.product_line as "productLine", ${countCols}
            from (select distinct fp.feedback_id, p.product_line
                    from feedback_products fp join products p on p.org_id = fp.org_id and p.id = fp.product_id
                   where fp.org_id = ${orgId} ${q.productLine ? sql`and p.product_line = ${q.productLine}` : sql``}) l
            join feedback f on f.org_id = ${orgId} and f.id = l.feedback_id and f.deleted_at is null
           where true ${q.from ? sql`and f.occurred_at >= ${q.from}::timestamptz` : sql``} ${q.to ? sql`and f.occurred_at < ${q.to}::timestamptz` : sql``}
           group by l.product_line
           order by count(*) desc, l.product_line nulls last limit 500`)).map((r) => ({ ...r, productId: null, code: null, name: null, nameI18n: null }));
  const i18n = (v: Record<string, string> | string | null) => (typeof v === 'string' ? (JSON.parse(v) as Record<string, string>) : v);
  return { by, rows: res.map((r) => ({ ...r, nameI18n: i18n(r.nameI18n), net: net(r) })) };
}

/** The last `months` month keys (organization time), oldest first, and the instant the first one starts. */
export async function monthWindow(db: DbOrTx, orgId: string, months: number, now = new Date()) {
  const off = (await loadServiceSettings(db, orgId)).utcOffsetMinutes;
  const local = new Date(now.getTime() + off * 60_000);
  const keys: string[] = [];
  for (let i = months - 1; i >= 0; i--) keys.push(new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - i, 1)).toISOString().slice(0, 7));
  const start = new Date(Date.parse(`${keys[0]}-01T00:00:00Z`) - off * 60_000).toISOString();
  return { keys, start, off };
}

/** One product's feedback per month (organization time), with zero months filled in, and its totals. */
export async function productMonths(db: DbOrTx, orgId: string, productId: string, months: number) {
  const { keys, start, off } = await monthWindow(db, orgId, months);
  const res = rows<Counts & { month: string }>(await db.execute(sql`
    select to_char(f.occurred_at + make_interval(mins => ${off}::int), 'YYYY-MM') as month, ${countCols}
      from feedback_products fp join feedback f on f.org_id = fp.org_id and f.id = fp.feedback_id and f.deleted_at is null
     where fp.org_id = ${orgId} and fp.product_id = ${productId} and f.occurred_at >= ${start}::timestamptz
     group by 1`));
  const by = new Map(res.map((r) => [r.month, r]));
  const zero: Counts = { total: 0, praise: 0, complaints: 0, positive: 0, neutral: 0, negative: 0 };
  const list = keys.map((month) => {
    const c = by.get(month) ?? zero;
    const { total, praise, complaints, positive, neutral, negative } = c;
    return { month, total, praise, complaints, positive, neutral, negative, net: net(c) };
  });
  const [all] = rows<Counts>(await db.execute(sql`
    select ${countCols} from feedback_products fp join feedback f on f.org_id = fp.org_id and f.id = fp.feedback_id and f.deleted_at is null
     where fp.org_id = ${orgId} and fp.product_id = ${productId}`));
  const t = all ?? zero;
  return { months: list, totals: { ...t, net: net(t) } };
}
