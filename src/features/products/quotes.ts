import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { opportunityPricing, orderLines, orders, organizations, products, quoteCounters, quotes } from '../../db/schema/index.ts';
import { requireWriter, type Actor } from '../../kernel/actor.ts';
import { audit, diff } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { AppError, badRequest, conflict, FieldErrors, notFound, preconditionRequired } from '../../kernel/errors.ts';
import { opportunityResource } from '../opportunities/resource.ts';
import { accountLanguageFacts, baseCurrency, readLines } from './commands.ts';
import { accountLanguage, canTransition, effectiveStatus, quoteNumber, toBase, type QuoteLanguage, type QuoteStatus } from './rules.ts';

type QuoteRow = typeof quotes.$inferSelect;
export type QuoteLineSnapshot = {
  productId: string; code: string; name: string; nameI18n: Record<string, string>; unit: string; description: string | null;
  quantity: string; listPrice: string | null; unitPrice: string; discountPct: string; lineTotal: string;
};

const today = () => new Date().toISOString().slice(0, 10);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function present(row: QuoteRow) {
  const { orgId: _o, ...rest } = row;
  return { ...rest, status: effectiveStatus(row.status, row.validUntil, today()), lines: row.lines as QuoteLineSnapshot[], language: row.language as QuoteLanguage };
}
export type QuoteRecord = ReturnType<typeof present>;

export async function getQuote(db: DbOrTx, actor: Actor, id: string, opts: { forUpdate?: boolean } = {}): Promise<QuoteRecord> {
  const q = db.select().from(quotes).where(and(eq(quotes.orgId, actor.orgId), eq(quotes.id, id), isNull(quotes.deletedAt)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row) throw notFound('Quote');
  return present(row);
}

export async function listQuotes(db: DbOrTx, actor: Actor, filter: { opportunityId?: string; accountId?: string }) {
  const conds = [eq(quotes.orgId, actor.orgId), isNull(quotes.deletedAt)];
  if (filter.opportunityId) conds.push(eq(quotes.opportunityId, filter.opportunityId));
  if (filter.accountId) conds.push(eq(quotes.accountId, filter.accountId));
  const rows = await db.select().from(quotes).where(and(...conds)).orderBy(desc(quotes.createdAt), desc(quotes.id)).limit(200);
  return { data: rows.map(present) };
}

/** The next number of the organization's year, race-free: one row per year, incremented under its row lock. */
async function allocateNumber(tx: DbOrTx, orgId: string, year: number): Promise<string> {
  const [r] = await tx
    .insert(quoteCounters)
    .values({ orgId, year, last: 1 })
    .onConflictDoUpdate({ target: [quoteCounters.orgId, quoteCounters.year], set: { last: sql`${quoteCounters.last} + 1` } })
    .returning({ last: quoteCounters.last });
  return quoteNumber(year, r!.last);
}

/** The deal's lines frozen for a quote; phased-out or inactive products refuse (they cannot be offered any more). */
async function snapshot(tx: DbOrTx, actor: Actor, opportunityId: string) {
  const lines = await readLines(tx, 'opportunity', actor.orgId, opportunityId);
  if (!lines.length) throw badRequest('A quote is made from the deal\'s lines: add products to the deal first', [{ path: 'lines', message: 'The deal has no lines', code: 'required' }]);
  const errs = new FieldErrors();
  const inactive = await tx.select({ id: products.id }).from(products)
    .where(and(eq(products.orgId, actor.orgId), eq(products.active, false), inArray(products.id, lines.map((l) => l.productId))));
  const off = new Set(inactive.map((r) => r.id));
  lines.forEach((l, i) => {
    if (l.lifecycle === 'phased_out') errs.add(`lines.${i}.productId`, `${l.productCode} is phased out and cannot be added to a new quote`, 'invalid', { code: l.productCode });
    else if (off.has(l.productId)) errs.add(`lines.${i}.productId`, `${l.productCode} is inactive and cannot be quoted`, 'deactivated', { code: l.productCode });
  });
  errs.throwIfAny('Some lines cannot be quoted');
  const [pricing] = await tx.select().from(opportunityPricing).where(and(eq(opportunityPricing.orgId, actor.orgId), eq(opportunityPricing.opportunityId, opportunityId)));
  const snap: QuoteLineSnapshot[] = lines.map((l) => ({
    productId: l.productId, code: l.productCode, name: l.productName, nameI18n: l.nameI18n, unit: l.unit, description: l.description,
    quantity: l.quantity, listPrice: l.listPrice, unitPrice: l.unitPrice, discountPct: l.discountPct, lineTotal: l.lineTotal,
  }));
  return { snap, pricing: pricing! };
}

export interface QuoteCreateInput { validUntil?: string; terms?: string | null; language?: QuoteLanguage }

/** A new quote (revision 1, a new number) or a new revision of an existing quote's number, from the deal's lines as they are now. */
export async function createQuote(db: Db, actor: Actor, opportunityId: string, input: QuoteCreateInput, reviseOf?: string) {
  requireWriter(actor);
  return db.transaction(async (tx) => {
    const opp = await opportunityResource.get(tx, actor, opportunityId, { forUpdate: true });
    await opportunityResource.assertCanEdit(tx, actor, opp);
    const { snap, pricing } = await snapshot(tx, actor, opportunityId);
    const day = today();
    const validUntil = input.validUntil ?? addDays(day, 30);
    if (validUntil < day) throw badRequest('validUntil: Must not be in the past', [{ path: 'validUntil', message: 'Must not be in the past', code: 'invalid' }]);
    let number: string;
    let revision = 1;
    let language = input.language;
    let terms = input.terms;
    if (reviseOf) {
      const prev = await getQuote(tx, actor, reviseOf);
      const [max] = await tx.select({ r: sql<number>`max(${quotes.revision})::int` }).from(quotes).where(and(eq(quotes.orgId, actor.orgId), eq(quotes.number, prev.number)));
      number = prev.number;
      revision = (max?.r ?? prev.revision) + 1;
      language ??= prev.language;
      if (terms === undefined) terms = prev.terms;
    } else {
      number = await allocateNumber(tx, actor.orgId, Number(day.slice(0, 4)));
    }
    if (!language) {
      const f = await accountLanguageFacts(tx, actor.orgId, opp.accountId as string);
      language = accountLanguage(f.country, f.languages);
    }
    const by = actor.kind === 'system' ? null : actor.userId;
    const [row] = await tx
      .insert(quotes)
      .values({
        orgId: actor.orgId, number, revision, opportunityId, accountId: opp.accountId as string, status: 'draft', language,
        currency: pricing.currency, fxRate: pricing.fxRate, total: pricing.amount, totalBase: pricing.amountBase, validUntil, terms: terms ?? null,
        lines: snap, createdBy: by, updatedBy: by,
      })
      .returning();
    const rec = present(row!);
    await audit(tx, actor, { action: 'create', entity: 'quote', entityId: rec.id, after: { number, revision, opportunityId, total: rec.total, currency: rec.currency } });
    return rec;
  });
}

export interface QuoteUpdateInput { validUntil?: string; terms?: string | null; language?: QuoteLanguage; status?: QuoteStatus; createOrder?: boolean; orderedAt?: string; winDeal?: boolean }

/**
 * Edits a draft, or moves a quote along draft → sent → accepted | rejected | expired. A sent quote is
 * frozen (a change is a new revision). Accepting creates the order with the quote's lines unless told not to,
 * and marks the deal won (the customer said yes) unless told not to: quote, order and deal change in
 * one transaction, each in the audit log, or none of them does.
 */
export async function updateQuote(db: Db, actor: Actor, id: string, version: number | undefined, input: QuoteUpdateInput) {
  requireWriter(actor);
  if (version === undefined) throw preconditionRequired();
  return db.transaction(async (tx) => {
    const q = await getQuote(tx, actor, id, { forUpdate: true });
    if (q.version !== version) throw conflict(`This quote was changed by someone else (you edited version ${version}, it is now ${q.version})`, q);
    const opp = await opportunityResource.get(tx, actor, q.opportunityId, { includeDeleted: true });
    await opportunityResource.assertCanEdit(tx, actor, opp);
    const to = input.status ?? q.status;
    const editsDocument = input.validUntil !== undefined || input.terms !== undefined || input.language !== undefined;
    if (editsDocument && q.status !== 'draft') throw conflict(`A ${q.status} quote cannot be changed: make a new revision`, q);
    if (!canTransition(q.status, to)) {
      if (q.status === 'expired' && to === 'accepted') throw conflict(`This quote expired on ${q.validUntil}: make a new revision`, q);
      throw conflict(`A ${q.status} quote cannot become ${to} (draft → sent → accepted, rejected or expired)`, q);
    }
    if (input.validUntil !== undefined && input.validUntil < today()) throw badRequest('validUntil: Must not be in the past', [{ path: 'validUntil', message: 'Must not be in the past', code: 'invalid' }]);
    const set: Partial<typeof quotes.$inferInsert> & Record<string, unknown> = {};
    if (input.validUntil !== undefined) set.validUntil = input.validUntil;
    if (input.terms !== undefined) set.terms = input.terms;
    if (input.language !== undefined) set.language = input.language;
    if (to !== q.status) {
      set.status = to;
      if (to === 'sent') set.sentAt = sql`now()` as never;
      else set.decidedAt = sql`now()` as never;
    }
    if (to === 'accepted' && q.status !== 'accepted' && input.createOrder !== false) {
      const [other] = await tx.select({ id: quotes.id, number: quotes.number, revision: quotes.revision }).from(quotes)
        .where(and(eq(quotes.orgId, actor.orgId), eq(quotes.opportunityId, q.opportunityId), eq(quotes.status, 'accepted'), isNull(quotes.deletedAt)));
      if (other) throw conflict(`Quote ${other.number} revision ${other.revision} of this deal is already accepted`, q);
      set.orderId = await orderFromQuote(tx, actor, q, input.orderedAt ?? today());
    }
    const by = actor.kind === 'system' ? null : actor.userId;
    const [row] = await tx
      .update(quotes)
      .set({ ...set, version: sql`${quotes.version} + 1`, updatedAt: sql`now()`, updatedBy: by } as never)
      .where(and(eq(quotes.orgId, actor.orgId), eq(quotes.id, id)))
      .returning();
    const rec = present(row!);
    const d = diff(q as never, rec as never);
    await audit(tx, actor, { action: 'update', entity: 'quote', entityId: id, before: d.before, after: d.after });
    // The deal is won through its own update (rules, stage history, audit, hooks), inside this transaction.
    if (to === 'accepted' && q.status !== 'accepted' && input.winDeal !== false && opp.status !== 'won' && !opp.deletedAt) {
      await opportunityResource.update(tx as unknown as Db, actor, q.opportunityId, opp.version as number, { status: 'won' });
    }
    return rec;
  });
}

/** The order a customer placed by accepting a quote: its lines and amounts are the quote's. */
async function orderFromQuote(tx: DbOrTx, actor: Actor, q: QuoteRecord, orderedAt: string): Promise<string> {
  const base = await baseCurrency(tx, actor.orgId);
  const fxRate = q.currency === base ? null : q.fxRate;
  const by = actor.kind === 'system' ? null : actor.userId;
  const [ord] = await tx
    .insert(orders)
    .values({
      orgId: actor.orgId, accountId: q.accountId, opportunityId: q.opportunityId, orderNumber: q.revision > 1 ? `${q.number}-R${q.revision}` : q.number, orderedAt,
      amount: q.total, currency: q.currency, fxRate, amountBase: toBase(q.total, fxRate), status: 'confirmed',
      description: `Accepted quote ${q.number} (revision ${q.revision})`, createdBy: by, updatedBy: by,
    })
    .returning();
  await tx.insert(orderLines).values(q.lines.map((l, position) => ({
    orgId: actor.orgId, orderId: ord!.id, position, productId: l.productId, description: l.description, quantity: l.quantity, listPrice: l.listPrice,
    unitPrice: l.unitPrice, discountPct: l.discountPct, lineTotal: l.lineTotal,
  })));
  const { orgId: _o, ...rec } = ord!;
  await audit(tx, actor, { action: 'create', entity: 'order', entityId: ord!.id, after: rec });
  return ord!.id;
}

/** What the printed quote needs besides the quote: the seller's and the customer's names, the deal. */
export async function quoteContext(db: DbOrTx, actor: Actor, q: QuoteRecord) {
  const [org] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, actor.orgId));
  const facts = await accountLanguageFacts(db, actor.orgId, q.accountId);
  const opp = await opportunityResource.get(db, actor, q.opportunityId, { includeDeleted: true });
  return { seller: org?.name ?? '', customer: facts.name, country: facts.country, deal: String(opp.name) };
}

export class PdfUnavailable extends AppError {
  constructor(detail: string) {
    super(503, 'pdf_unavailable', `The PDF cannot be made on this server: no headless Chromium could be started (${detail}). Set ACCORD_CHROMIUM to the browser's path, or print the quote page from the browser instead.`);
  }
}

/** The quote page printed to A4 by headless Chromium (the same HTML as the preview). */
export async function renderPdf(html: string): Promise<Buffer> {
  let browser: import('playwright-core').Browser;
  try {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: process.env.ACCORD_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0]!.replace(/\s+at\s.*$/, '').slice(0, 160);
    throw new PdfUnavailable(/executable doesn't exist|ENOENT|no such file/i.test(msg) ? `not found at ${process.env.ACCORD_CHROMIUM ?? '/usr/bin/chromium'}` : 'it failed to start');
  }
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' } });
  } finally {
    await browser.close();
  }
}
