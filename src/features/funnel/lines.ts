/**
 * Share of wallet per product line (issue #16): what part of a customer's demand for *this* line we
 * get. Bought = the order lines of the last 12 months in the base currency (line total × the order's
 * fx rate), grouped by the product's line; demand = account_line_demand, entered per account and line.
 * A line without a demand entered has no share: it is reported as unknown, never estimated from the
 * account's total. Orders without lines are bought too, but belong to no line: reported beside.
 */
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { accountLineDemand, accounts, vocabTerms } from '../../db/schema/index.ts';
import { requireWriter, type Actor } from '../../kernel/actor.ts';
import { audit } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { conflict, FieldErrors, preconditionRequired } from '../../kernel/errors.ts';
import { accountResource } from '../accounts/resource.ts';
import { baseCurrency } from './queries.ts';
import { demandProblemCode, shareOfWallet, walletGap } from './rules.ts';
import type { AccountWalletLines, OrgWalletLines } from './schemas.ts';

async function rows<T>(db: DbOrTx, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

const WINDOW = 'last 12 months';
const inWindow = (asOf: string) => sql`o.ordered_at > ${asOf}::date - 365 and o.ordered_at <= ${asOf}::date and o.status <> 'cancelled' and o.deleted_at is null`;
const cents = (n: number) => (Math.round(n * 100) / 100).toFixed(2);

/** One account's purchases and demand per product line. */
export async function accountWalletLines(db: DbOrTx, actor: Actor, accountId: string, now = new Date()): Promise<AccountWalletLines> {
  const acc = await accountResource.get(db, actor, accountId);
  const base = await baseCurrency(db, actor.orgId);
  const asOf = now.toISOString().slice(0, 10);
  const org = actor.orgId;
  const list = await rows<{ line: string | null; bought: string | null; orders: number | null; demand: string | null; currency: string | null; estimated: boolean | null }>(db, sql`
    with bought as (
      select p.product_line as line, sum(l.line_total * coalesce(o.fx_rate, 1)) as bought, count(distinct o.id)::int as orders
      from order_lines l
      join orders o on o.org_id = l.org_id and o.id = l.order_id and o.account_id = ${accountId} and ${inWindow(asOf)}
      join products p on p.org_id = l.org_id and p.id = l.product_id
      where l.org_id = ${org} group by p.product_line
    ), demand as (
      select product_line as line, annual_demand, btrim(currency) as currency, estimated from account_line_demand where org_id = ${org} and account_id = ${accountId}
    )
    select coalesce(b.line, d.line) as line, b.bought::text as bought, b.orders, d.annual_demand::text as demand, d.currency, d.estimated
    from bought b full join demand d on d.line = b.line
    order by coalesce(b.bought, 0) desc, coalesce(b.line, d.line) nulls last`);
  const [unlined] = await rows<{ bought: string; orders: number }>(db, sql`
    select coalesce(sum(o.amount_base), 0)::text as bought, count(*)::int as orders from orders o
    where o.org_id = ${org} and o.account_id = ${accountId} and ${inWindow(asOf)}
      and not exists (select 1 from order_lines l where l.org_id = ${org} and l.order_id = o.id)`);
  return {
    accountId,
    baseCurrency: base,
    window: WINDOW,
    version: acc.version as number,
    withoutLines: { bought: cents(Number(unlined?.bought ?? 0)), orders: unlined?.orders ?? 0 },
    lines: list.map((r) => {
      const bought = Number(r.bought ?? 0);
      // A line of products without a product line can have no demand of its own.
      const code = demandProblemCode(r.line === null ? null : r.demand, r.currency, base);
      const demand = code ? null : Number(r.demand);
      return {
        productLine: r.line,
        bought: cents(bought),
        orders: r.orders ?? 0,
        annualDemand: demand === null ? null : cents(demand),
        demandCurrency: r.currency,
        demandEstimated: r.estimated,
        share: demand === null ? null : shareOfWallet(bought, demand),
        gap: demand === null ? null : cents(walletGap(bought, demand)),
        noteCode: code,
      };
    }),
  };
}

/**
 * Replaces an account's demand per product line as one versioned change of the account (If-Match: the
 * account's version; 409 when it moved), audited with the lines before and after.
 */
export async function putLineDemand(db: Db, actor: Actor, accountId: string, version: number | undefined, input: { lines: { productLine: string; annualDemand: string; currency?: string; estimated?: boolean }[] }) {
  requireWriter(actor);
  if (version === undefined) throw preconditionRequired();
  await db.transaction(async (tx) => {
    const acc = await accountResource.get(tx, actor, accountId, { forUpdate: true });
    if (acc.version !== version) {
      const [current] = await accountResource.present(tx, actor, [acc]);
      throw conflict(`This account was changed by someone else (you edited version ${version}, it is now ${acc.version})`, current);
    }
    await accountResource.assertCanEdit(tx, actor, acc);
    const base = await baseCurrency(tx, actor.orgId);
    const terms = await tx.select({ key: vocabTerms.key }).from(vocabTerms)
      .where(and(eq(vocabTerms.orgId, actor.orgId), eq(vocabTerms.vocabulary, 'product_line'), eq(vocabTerms.active, true)));
    const known = new Set(terms.map((x) => x.key));
    const errs = new FieldErrors();
    const seen = new Set<string>();
    input.lines.forEach((l, i) => {
      if (!known.has(l.productLine)) errs.add(`lines.${i}.productLine`, `Unknown product line "${l.productLine}"`, 'unknown_term', { vocabulary: 'product_line', value: l.productLine });
      if (seen.has(l.productLine)) errs.add(`lines.${i}.productLine`, 'This product line is listed twice', 'already_exists');
      seen.add(l.productLine);
    });
    errs.throwIfAny();
    const before = await tx.select({ productLine: accountLineDemand.productLine, annualDemand: accountLineDemand.annualDemand, currency: accountLineDemand.currency })
      .from(accountLineDemand).where(and(eq(accountLineDemand.orgId, actor.orgId), eq(accountLineDemand.accountId, accountId)));
    await tx.delete(accountLineDemand).where(and(eq(accountLineDemand.orgId, actor.orgId), eq(accountLineDemand.accountId, accountId)));
    const by = actor.kind === 'system' ? null : actor.userId;
    if (input.lines.length) {
      await tx.insert(accountLineDemand).values(input.lines.map((l) => ({
        orgId: actor.orgId, accountId, productLine: l.productLine, annualDemand: l.annualDemand, currency: l.currency ?? base, estimated: l.estimated ?? true, updatedBy: by,
      })));
    }
    const a = accounts;
    await tx.update(a).set({ version: sql`${a.version} + 1`, updatedAt: sql`now()`, updatedBy: by } as never).where(and(eq(a.orgId, actor.orgId), eq(a.id, accountId), isNull(a.deletedAt)));
    await audit(tx, actor, {
      action: 'update', entity: 'account', entityId: accountId,
      before: { lineDemand: before.map((b) => ({ ...b, currency: b.currency.trim() })) },
      after: { lineDemand: input.lines.map((l) => ({ productLine: l.productLine, annualDemand: l.annualDemand, currency: l.currency ?? base })) },
    });
  });
  return accountWalletLines(db, actor, accountId);
}

/** Every product line across the organization's accounts (optionally a segment or an owner's): buyers, bought, and the share where demand is known. */
export async function orgWalletLines(db: DbOrTx, actor: Actor, q: { segment?: SQL | null; ownerId?: string }, now = new Date()): Promise<OrgWalletLines> {
  const base = await baseCurrency(db, actor.orgId);
  const asOf = now.toISOString().slice(0, 10);
  const org = actor.orgId;
  const conds: SQL[] = [sql`a.org_id = ${org}`, sql`a.deleted_at is null`];
  if (q.segment) conds.push(sql`a.id in ${q.segment}`);
  if (q.ownerId) conds.push(sql`a.owner_id = ${q.ownerId}`);
  const scope = sql.join(conds, sql` and `);
  const list = await rows<{
    line: string | null; buyers: number; bought: string; knownAccounts: number; demand: string | null; boughtKnown: string | null; gap: string | null;
    unknownAccounts: number; boughtUnknown: string | null; foreignDemand: number;
  }>(db, sql`
    with bought as (
      select o.account_id, p.product_line as line, sum(l.line_total * coalesce(o.fx_rate, 1)) as bought
      from order_lines l
      join orders o on o.org_id = l.org_id and o.id = l.order_id and ${inWindow(asOf)}
      join accounts a on a.org_id = o.org_id and a.id = o.account_id
      join products p on p.org_id = l.org_id and p.id = l.product_id
      where l.org_id = ${org} and ${scope}
      group by o.account_id, p.product_line
    ), demand as (
      select d.account_id, d.product_line as line, d.annual_demand, btrim(d.currency) as currency
      from account_line_demand d join accounts a on a.org_id = d.org_id and a.id = d.account_id
      where d.org_id = ${org} and ${scope}
    ), j as (
      select coalesce(b.line, d.line) as line, coalesce(b.bought, 0) as bought, d.annual_demand, d.currency,
        (d.annual_demand > 0 and d.currency = ${base}) as known
      from bought b full join demand d on d.account_id = b.account_id and d.line = b.line
    )
    select line, count(*) filter (where bought > 0)::int as buyers, sum(bought)::text as bought,
      count(*) filter (where known)::int as "knownAccounts", sum(annual_demand) filter (where known)::text as demand,
      sum(bought) filter (where known)::text as "boughtKnown", sum(greatest(annual_demand - bought, 0)) filter (where known)::text as gap,
      count(*) filter (where bought > 0 and not coalesce(known, false))::int as "unknownAccounts", sum(bought) filter (where not coalesce(known, false))::text as "boughtUnknown",
      count(*) filter (where annual_demand is not null and currency <> ${base})::int as "foreignDemand"
    from j group by line order by sum(bought) desc, line nulls last`);
  const [unlined] = await rows<{ bought: string; orders: number }>(db, sql`
    select coalesce(sum(o.amount_base), 0)::text as bought, count(*)::int as orders from orders o
    join accounts a on a.org_id = o.org_id and a.id = o.account_id
    where o.org_id = ${org} and ${scope} and ${inWindow(asOf)} and not exists (select 1 from order_lines l where l.org_id = ${org} and l.order_id = o.id)`);
  return {
    asOf,
    baseCurrency: base,
    window: WINDOW,
    withoutLines: { bought: cents(Number(unlined?.bought ?? 0)), orders: unlined?.orders ?? 0 },
    lines: list.map((r) => {
      const demand = Number(r.demand ?? 0);
      const boughtKnown = Number(r.boughtKnown ?? 0);
      return {
        productLine: r.line,
        buyers: r.buyers,
        bought: cents(Number(r.bought ?? 0)),
        known: { accounts: r.knownAccounts, demand: cents(demand), bought: cents(boughtKnown), share: r.knownAccounts ? shareOfWallet(boughtKnown, demand) : null, gap: cents(Number(r.gap ?? 0)) },
        unknown: { accounts: r.unknownAccounts, bought: cents(Number(r.boughtUnknown ?? 0)) },
        foreignDemand: r.foreignDemand,
      };
    }),
  };
}
