import { surveyAnswersToFeedback } from '../feedback/survey-feedback.ts';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { accounts, contacts, interactionContacts, interactions, organizations, surveyAnswers, surveyRecipients, surveys, surveyVersions } from '../../db/schema/index.ts';
import { canWriteAny, requireWriter, systemActor, type Actor } from '../../kernel/actor.ts';
import { audit } from '../../kernel/audit.ts';
import { newOrgToken, tokenHash, tokenOrg } from '../../kernel/auth/secrets.ts';
import type { Db, DbOrTx, Tx } from '../../kernel/db/index.ts';
import { AppError, badRequest, fieldError, forbidden, notFound } from '../../kernel/errors.ts';
import { Resource, type Row } from '../../kernel/resource.ts';
import type { OrgSetting } from '../../kernel/org-settings.ts';
import { segmentAccountIds } from '../goals/segment-filter.ts';
import { DEFAULT_ITEMS } from './items.ts';
import { loadEngagementSettings, rollUpEngagement } from './queries.ts';
import { missingItems, respondentScores, surveyLanguage, valueProblems, type Item, type Language, type Values } from './rules.ts';
import { survey, surveyCreate, surveyUpdate } from './schemas.ts';
import { texts, uuids } from './sql.ts';

type Rows<T> = { rows: T[]; rowCount?: number | null };
const run = async <T = Record<string, unknown>>(db: DbOrTx, q: SQL) => (await db.execute(q)) as unknown as Rows<T>;

// ── The organization's item bank ────────────────────────────────────────────

export const ITEM_BANK: OrgSetting<{ items: Item[] | null }, { items: Item[]; version: number; isDefault: boolean }> = {
  key: 'surveyItems',
  entity: 'survey_item_bank',
  read: (raw) => {
    const v = (raw?.surveyItems as { items?: unknown } | undefined)?.items;
    return { items: Array.isArray(v) ? (v as Item[]) : null };
  },
  show: (v, version) => ({ items: v.items ?? DEFAULT_ITEMS, version, isDefault: v.items === null }),
};

async function orgItems(db: DbOrTx, orgId: string): Promise<Item[]> {
  const [o] = await db.select({ settings: organizations.settings }).from(organizations).where(eq(organizations.id, orgId));
  return ITEM_BANK.show(ITEM_BANK.read(o?.settings), 0).items;
}

// ── Surveys (versioned questionnaires) ──────────────────────────────────────

const s = surveys;

/** Version number, items and answer count of each survey's current version, and its link and answer counts: one query per page. */
async function expandSurveys(db: DbOrTx, actor: Actor, rows: Row[]): Promise<Row[]> {
  const ids = rows.map((r) => r.id);
  const { rows: found } = await run<Record<string, unknown>>(
    db,
    sql`select s.id, s.current_version_id, v.number, v.items, v.created_at,
               (select count(*) from survey_versions x where x.org_id = s.org_id and x.survey_id = s.id)::int as versions,
               (select count(*) from survey_recipients x where x.org_id = s.org_id and x.survey_id = s.id)::int as recipients,
               (select count(*) from survey_answers x where x.org_id = s.org_id and x.survey_id = s.id and x.completed_at is not null)::int as completed,
               (select count(*) from survey_answers x where x.org_id = s.org_id and x.version_id = s.current_version_id)::int as version_answers
          from surveys s left join survey_versions v on v.org_id = s.org_id and v.id = s.current_version_id
         where s.org_id = ${actor.orgId} and s.id = any(${uuids(ids)})`,
  );
  const by = new Map(found.map((f) => [f.id as string, f]));
  return rows.map((r) => {
    const f = by.get(r.id);
    return {
      ...r,
      currentVersionId: (f?.current_version_id as string | null) ?? null,
      currentVersion: f?.current_version_id
        ? { id: f.current_version_id as string, number: Number(f.number), items: f.items as Item[], createdAt: new Date(String(f.created_at)).toISOString(), answers: Number(f.version_answers) }
        : null,
      versions: Number(f?.versions ?? 0),
      recipients: Number(f?.recipients ?? 0),
      completed: Number(f?.completed ?? 0),
    };
  });
}

/**
 * Surveys through the standard record routes. The items are not a column: a new survey gets version 1
 * (the organization's bank unless items are given); changed items replace the current version while
 * nobody has answered it, and make a new version once someone has (answers keep the version they were given on).
 */
export const surveyResource = new Resource({
  name: 'surveys',
  entity: 'survey',
  label: 'Survey',
  table: s,
  schemas: { create: surveyCreate, update: surveyUpdate, record: survey },
  defaultSort: '-updatedAt',
  search: [s.name],
  virtual: ['items'],
  fields: {
    id: { column: s.id, type: 'uuid' },
    name: { column: s.name, type: 'text' },
    language: { column: s.language, type: 'text' },
    status: { column: s.status, type: 'text' },
    createdAt: { column: s.createdAt, type: 'timestamp' },
    updatedAt: { column: s.updatedAt, type: 'timestamp' },
  },
  expand: expandSurveys,
  afterWrite: async ({ tx, actor, existing, input }, after) => {
    const by = actor.kind === 'system' ? null : actor.userId;
    const given = input?.items as Item[] | undefined;
    if (!existing) {
      const items = given ?? (await orgItems(tx, actor.orgId));
      const [v] = await tx.insert(surveyVersions).values({ orgId: actor.orgId, surveyId: after.id, number: 1, items, createdBy: by }).returning({ id: surveyVersions.id });
      await tx.update(s).set({ currentVersionId: v!.id }).where(and(eq(s.orgId, actor.orgId), eq(s.id, after.id)));
      return;
    }
    if (!given) return;
    const [cur] = await tx.select().from(surveyVersions).where(and(eq(surveyVersions.orgId, actor.orgId), eq(surveyVersions.id, after.currentVersionId as string)));
    if (cur && JSON.stringify(cur.items) === JSON.stringify(given)) return;
    const { rows } = await run<{ n: number }>(tx, sql`select count(*)::int as n from survey_answers where org_id = ${actor.orgId} and version_id = ${cur?.id ?? null}::uuid`);
    if (cur && rows[0]!.n === 0) {
      await tx.update(surveyVersions).set({ items: given }).where(and(eq(surveyVersions.orgId, actor.orgId), eq(surveyVersions.id, cur.id)));
    } else {
      const { rows: mx } = await run<{ n: number }>(tx, sql`select coalesce(max(number), 0)::int as n from survey_versions where org_id = ${actor.orgId} and survey_id = ${after.id}`);
      const [v] = await tx.insert(surveyVersions).values({ orgId: actor.orgId, surveyId: after.id, number: mx[0]!.n + 1, items: given, createdBy: by }).returning({ id: surveyVersions.id });
      await tx.update(s).set({ currentVersionId: v!.id }).where(and(eq(s.orgId, actor.orgId), eq(s.id, after.id)));
      // Links not yet answered ask the new version; started and completed answers keep theirs.
      await run(
        tx,
        sql`update survey_recipients r set version_id = ${v!.id} where r.org_id = ${actor.orgId} and r.survey_id = ${after.id}
              and not exists (select 1 from survey_answers a where a.org_id = r.org_id and a.recipient_id = r.id)`,
      );
    }
    await audit(tx, actor, { action: 'update', entity: 'survey_items', entityId: after.id, after: { items: given.length } });
  },
});

export async function listVersions(db: DbOrTx, actor: Actor, surveyId: string) {
  await surveyResource.get(db, actor, surveyId);
  const { rows } = await run<Record<string, unknown>>(
    db,
    sql`select v.id, v.number, v.items, v.created_at,
               (select count(*) from survey_answers a where a.org_id = v.org_id and a.version_id = v.id)::int as answers
          from survey_versions v where v.org_id = ${actor.orgId} and v.survey_id = ${surveyId} order by v.number`,
  );
  return rows.map((r) => ({ id: r.id as string, number: Number(r.number), items: r.items as Item[], createdAt: String(r.created_at), answers: Number(r.answers) }));
}

// ── Links ───────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;

interface SendInput {
  accountIds?: string[];
  segmentId?: string;
  contactIds?: string[];
  roles?: string[];
  buyingCenterOnly?: boolean;
  expiresInDays?: number;
}

export interface Link {
  recipientId: string;
  contactId: string;
  contactName: string;
  email: string | null;
  accountId: string | null;
  accountName: string | null;
  language: Language;
  token: string;
  path: string;
  expiresAt: string;
}

/** Only managers and admins send surveys and hand out links: a link is a way into the organization's name. */
function requireSender(actor: Actor) {
  requireWriter(actor);
  if (!canWriteAny(actor)) throw forbidden('Only managers and administrators send surveys');
}

async function openSurvey(tx: DbOrTx, actor: Actor, surveyId: string) {
  const sv = await surveyResource.get(tx, actor, surveyId, { forUpdate: true });
  if (sv.status !== 'open') throw new AppError(409, 'survey_closed', 'This survey is closed; reopen it to send links');
  if (!sv.currentVersionId) throw new AppError(409, 'no_version', 'This survey has no questionnaire');
  return sv;
}

/**
 * One link per chosen contact (by account, segment or contact; optionally only buying-center members,
 * or only those holding given roles). Contacts who already have a link to this survey keep it and are
 * counted as skipped. Erased contacts are never chosen. Returns the new links with their tokens —
 * the only time a token is shown (only its hash is stored).
 */
export async function sendSurvey(db: Db, actor: Actor, surveyId: string, input: SendInput): Promise<{ created: number; skipped: number; links: Link[] }> {
  requireSender(actor);
  if (!input.accountIds?.length && !input.segmentId && !input.contactIds?.length) {
    throw badRequest('Choose accounts, a segment or contacts', [{ path: 'accountIds', message: 'Choose accounts, a segment or contacts', code: 'required' }]);
  }
  return db.transaction(async (tx) => {
    const sv = await openSurvey(tx, actor, surveyId);
    const org = actor.orgId;
    // Ids from another organization (or deleted) are refused, not silently matched to nothing.
    await checkIds(tx, org, 'accounts', 'accountIds', input.accountIds);
    await checkIds(tx, org, 'contacts', 'contactIds', input.contactIds);
    const scopes: SQL[] = [];
    if (input.accountIds?.length) scopes.push(sql`c.account_id = any(${uuids(input.accountIds)})`);
    if (input.segmentId) scopes.push(sql`c.account_id in ${await segmentAccountIds(tx, org, input.segmentId)}`);
    if (input.contactIds?.length) scopes.push(sql`c.id = any(${uuids(input.contactIds)})`);
    const member = (roles?: string[]) => sql`exists (select 1 from buying_center_members m join opportunities o on o.org_id = m.org_id and o.id = m.opportunity_id and o.deleted_at is null
        where m.org_id = c.org_id and m.contact_id = c.id and m.deleted_at is null and o.account_id = c.account_id ${roles?.length ? sql`and m.roles && ${texts(roles)}` : sql``})`;
    const filters: SQL[] = [sql`(${sql.join(scopes, sql` or `)})`];
    if (input.roles?.length) filters.push(member(input.roles));
    else if (input.buyingCenterOnly) filters.push(member());
    const { rows: chosen } = await run<{ id: string; language: string | null; has: boolean }>(
      tx,
      sql`select c.id, c.language,
                 exists (select 1 from survey_recipients r where r.org_id = c.org_id and r.survey_id = ${surveyId} and r.contact_id = c.id) as has
            from contacts c
           where c.org_id = ${org} and c.deleted_at is null and c.erased_at is null and ${sql.join(filters, sql` and `)}
           limit 5001`,
    );
    if (chosen.length > 5000) throw badRequest('More than 5,000 contacts: send in parts', [{ path: 'accountIds', message: 'Too many contacts', code: 'too_big' }]);
    const fresh = chosen.filter((c) => !c.has);
    const settings = await loadEngagementSettings(tx, org);
    const expiresAt = new Date(Date.now() + (input.expiresInDays ?? settings.linkDays) * DAY_MS).toISOString();
    const tokens = new Map<string, string>();
    const rows = fresh.map((c) => {
      const token = newOrgToken(org, SURVEY_TOKEN_PREFIX);
      tokens.set(c.id, token);
      return {
        orgId: org, surveyId, versionId: sv.currentVersionId as string, contactId: c.id, tokenHash: tokenHash(token),
        language: surveyLanguage(c.language, sv.language as Language), expiresAt, createdBy: actor.kind === 'system' ? null : actor.userId,
      };
    });
    let links: Link[] = [];
    if (rows.length) {
      const inserted = await tx.insert(surveyRecipients).values(rows).returning({ id: surveyRecipients.id, contactId: surveyRecipients.contactId });
      await run(tx, sql`update survey_recipients r set account_id = c.account_id from contacts c where r.org_id = ${org} and r.survey_id = ${surveyId} and c.org_id = r.org_id and c.id = r.contact_id and r.account_id is null`);
      links = await linksFor(tx, org, inserted.map((i) => ({ id: i.id, token: tokens.get(i.contactId)! })));
      await audit(tx, actor, { action: 'send', entity: 'survey', entityId: surveyId, after: { links: rows.length } });
    }
    return { created: rows.length, skipped: chosen.length - fresh.length, links };
  });
}

async function checkIds(tx: DbOrTx, orgId: string, table: 'accounts' | 'contacts', field: string, ids: string[] | undefined) {
  if (!ids?.length) return;
  const { rows } = await run<{ n: number }>(tx, sql`select count(*)::int as n from ${sql.raw(table)} where org_id = ${orgId} and deleted_at is null and id = any(${uuids(ids)})`);
  if (rows[0]!.n !== new Set(ids).size) throw fieldError(field, `${table === 'accounts' ? 'Account' : 'Contact'} not found`, 'not_found');
}

async function linksFor(tx: DbOrTx, orgId: string, made: { id: string; token: string }[]): Promise<Link[]> {
  if (!made.length) return [];
  const token = new Map(made.map((m) => [m.id, m.token]));
  const { rows } = await run<Record<string, unknown>>(
    tx,
    sql`select r.id, r.contact_id, c.full_name, c.email, r.account_id, a.name as account_name, r.language, r.expires_at
          from survey_recipients r join contacts c on c.org_id = r.org_id and c.id = r.contact_id
          left join accounts a on a.org_id = r.org_id and a.id = r.account_id
         where r.org_id = ${orgId} and r.id = any(${uuids(made.map((m) => m.id))})
         order by a.name nulls last, c.full_name`,
  );
  return rows.map((r) => {
    const t = token.get(r.id as string)!;
    return {
      recipientId: r.id as string, contactId: r.contact_id as string, contactName: r.full_name as string, email: (r.email as string | null) ?? null,
      accountId: (r.account_id as string | null) ?? null, accountName: (r.account_name as string | null) ?? null, language: r.language as Language,
      token: t, path: `/s/${t}`, expiresAt: new Date(String(r.expires_at)).toISOString(),
    };
  });
}

/**
 * New tokens for links not yet completed (all of the survey's, or the given ones), e.g. to copy or export
 * them again: the old tokens stop working, partial answers stay with the recipient.
 */
export async function reissueLinks(db: Db, actor: Actor, surveyId: string, input: { recipientIds?: string[]; expiresInDays?: number }): Promise<{ links: Link[] }> {
  requireSender(actor);
  return db.transaction(async (tx) => {
    await openSurvey(tx, actor, surveyId);
    const org = actor.orgId;
    const settings = await loadEngagementSettings(tx, org);
    const { rows } = await run<{ id: string }>(
      tx,
      sql`select r.id from survey_recipients r
           where r.org_id = ${org} and r.survey_id = ${surveyId} ${input.recipientIds ? sql`and r.id = any(${uuids(input.recipientIds)})` : sql``}
             and not exists (select 1 from survey_answers a where a.org_id = r.org_id and a.recipient_id = r.id and a.completed_at is not null)
           for update`,
    );
    if (input.recipientIds && rows.length !== new Set(input.recipientIds).size) throw notFound('One or more open links');
    const made = rows.map((r) => ({ id: r.id, token: newOrgToken(org, SURVEY_TOKEN_PREFIX) }));
    const expiresAt = new Date(Date.now() + (input.expiresInDays ?? settings.linkDays) * DAY_MS).toISOString();
    if (made.length) {
      await run(
        tx,
        sql`update survey_recipients r set token_hash = x.h, expires_at = ${expiresAt}
              from (select unnest(${uuids(made.map((m) => m.id))}) as id, unnest(${texts(made.map((m) => tokenHash(m.token)))}) as h) x
             where r.org_id = ${org} and r.id = x.id`,
      );
      await audit(tx, actor, { action: 'reissue', entity: 'survey', entityId: surveyId, after: { links: made.length } });
    }
    return { links: await linksFor(tx, org, made) };
  });
}

export async function listRecipients(db: DbOrTx, actor: Actor, surveyId: string, limit = 500) {
  await surveyResource.get(db, actor, surveyId);
  const { rows } = await run<Record<string, unknown>>(
    db,
    sql`select r.id, r.contact_id, c.full_name, r.account_id, a.name as account_name, r.language, r.expires_at, r.opened_at, r.created_at,
               x.completed_at, x.id is not null as started
          from survey_recipients r join contacts c on c.org_id = r.org_id and c.id = r.contact_id
          left join accounts a on a.org_id = r.org_id and a.id = r.account_id
          left join survey_answers x on x.org_id = r.org_id and x.recipient_id = r.id
         where r.org_id = ${actor.orgId} and r.survey_id = ${surveyId}
         order by a.name nulls last, c.full_name, r.id limit ${limit}`,
  );
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id as string, contactId: r.contact_id as string, contactName: r.full_name as string, accountId: (r.account_id as string | null) ?? null,
    accountName: (r.account_name as string | null) ?? null, language: r.language as Language,
    status: r.completed_at ? ('completed' as const) : Date.parse(String(r.expires_at)) < now ? ('expired' as const) : r.started ? ('started' as const) : r.opened_at ? ('opened' as const) : ('sent' as const),
    expiresAt: String(r.expires_at), openedAt: (r.opened_at as string | null) ?? null, completedAt: (r.completed_at as string | null) ?? null, createdAt: String(r.created_at),
  }));
}

export async function surveyResults(db: DbOrTx, actor: Actor, surveyId: string) {
  await surveyResource.get(db, actor, surveyId);
  const org = actor.orgId;
  const { rows } = await run<Record<string, unknown>>(
    db,
    sql`select (select count(*) from survey_recipients r where r.org_id = ${org} and r.survey_id = ${surveyId})::int as recipients,
               (select count(*) from survey_recipients r where r.org_id = ${org} and r.survey_id = ${surveyId} and r.opened_at is not null)::int as opened,
               count(*)::int as started, count(a.completed_at)::int as completed,
               (count(a.recommend) filter (where a.completed_at is not null))::int as nps_n,
               (count(*) filter (where a.completed_at is not null and a.recommend >= 9))::int as promoters,
               (count(*) filter (where a.completed_at is not null and a.recommend between 7 and 8))::int as passives,
               (count(*) filter (where a.completed_at is not null and a.recommend <= 6))::int as detractors,
               (count(*) filter (where a.placement = 'fully_engaged'))::int as fully_engaged,
               (count(*) filter (where a.placement = 'engaged'))::int as engaged,
               (count(*) filter (where a.placement = 'not_engaged'))::int as not_engaged,
               (count(*) filter (where a.placement = 'actively_disengaged'))::int as actively_disengaged,
               avg(a.confidence) filter (where a.completed_at is not null) as confidence, avg(a.integrity) filter (where a.completed_at is not null) as integrity,
               avg(a.pride) filter (where a.completed_at is not null) as pride, avg(a.passion) filter (where a.completed_at is not null) as passion
          from survey_answers a where a.org_id = ${org} and a.survey_id = ${surveyId}`,
  );
  const { rows: comments } = await run<Record<string, unknown>>(
    db,
    sql`select c.full_name, ac.name as account_name, a.comment, a.completed_at
          from survey_answers a join contacts c on c.org_id = a.org_id and c.id = a.contact_id
          left join accounts ac on ac.org_id = a.org_id and ac.id = a.account_id
         where a.org_id = ${org} and a.survey_id = ${surveyId} and a.completed_at is not null and coalesce(a.comment, '') <> ''
         order by a.completed_at desc limit 50`,
  );
  const r = rows[0]!;
  const n = Number(r.nps_n);
  const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);
  return {
    recipients: Number(r.recipients), opened: Number(r.opened), started: Number(r.started), completed: Number(r.completed),
    nps: { nps: n ? Math.round(((Number(r.promoters) - Number(r.detractors)) / n) * 1000) / 10 : null, n, promoters: Number(r.promoters), passives: Number(r.passives), detractors: Number(r.detractors) },
    placements: { fully_engaged: Number(r.fully_engaged), engaged: Number(r.engaged), not_engaged: Number(r.not_engaged), actively_disengaged: Number(r.actively_disengaged) },
    levels: { confidence: round(r.confidence), integrity: round(r.integrity), pride: round(r.pride), passion: round(r.passion) },
    comments: comments.map((c) => ({ contactName: c.full_name as string, accountName: (c.account_name as string | null) ?? null, comment: c.comment as string, completedAt: String(c.completed_at) })),
  };
}

// ── The public answer page ──────────────────────────────────────────────────

/**
 * Tokens are `s_<org key>.<random>` (newOrgToken: the organization id in 22 base64url characters, a dot,
 * 43 random ones): the lookup is by (org_id, token_hash), one shard on Citus. Anything else is not one
 * of ours and is not looked up; the format before migration 0017 (`s_` + 43 characters) is answered
 * with a clear 410 on its shape alone (no lookup across organizations, so it tells an enumerator nothing).
 */
export const SURVEY_TOKEN_PREFIX = 's_';
const TOKEN = /^s_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;
const OLD_TOKEN = /^s_[A-Za-z0-9_-]{43}$/;

const gone = (code: 'expired' | 'closed' | 'outdated') =>
  new AppError(410, code, code === 'expired' ? 'This survey link has expired' : code === 'closed' ? 'This survey is closed'
    : 'This survey link is from before an update and no longer works: ask the sender for a new link (answers already given are kept)');

interface Resolved {
  recipient: typeof surveyRecipients.$inferSelect;
  survey: typeof surveys.$inferSelect;
  items: Item[];
  orgName: string;
}

/** The recipient a token names, or a 404 (unknown, malformed, deleted survey) / 410 (expired, closed). Never anything of another recipient. */
async function resolveToken(tx: DbOrTx, token: string, lock = false): Promise<Resolved> {
  if (OLD_TOKEN.test(token)) throw gone('outdated');
  const orgId = TOKEN.test(token) ? tokenOrg(token, SURVEY_TOKEN_PREFIX) : null;
  if (!orgId) throw notFound('Survey link');
  const q = tx.select().from(surveyRecipients).where(and(eq(surveyRecipients.orgId, orgId), eq(surveyRecipients.tokenHash, tokenHash(token))));
  const [recipient] = lock ? await q.for('update') : await q;
  if (!recipient) throw notFound('Survey link');
  const [sv] = await tx.select().from(surveys).where(and(eq(surveys.orgId, recipient.orgId), eq(surveys.id, recipient.surveyId), isNull(surveys.deletedAt)));
  if (!sv) throw notFound('Survey link');
  const [contact] = await tx.select({ erasedAt: contacts.erasedAt, deletedAt: contacts.deletedAt }).from(contacts).where(and(eq(contacts.orgId, recipient.orgId), eq(contacts.id, recipient.contactId)));
  if (!contact || contact.erasedAt || contact.deletedAt) throw notFound('Survey link');
  const [v] = await tx.select({ items: surveyVersions.items }).from(surveyVersions).where(and(eq(surveyVersions.orgId, recipient.orgId), eq(surveyVersions.id, recipient.versionId)));
  const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, recipient.orgId));
  return { recipient, survey: sv, items: (v?.items ?? []) as Item[], orgName: org?.name ?? '' };
}

async function answerOf(tx: DbOrTx, r: Resolved['recipient']) {
  const [a] = await tx.select().from(surveyAnswers).where(and(eq(surveyAnswers.orgId, r.orgId), eq(surveyAnswers.recipientId, r.id)));
  return a ?? null;
}

export async function publicSurvey(db: Db, token: string) {
  return db.transaction(async (tx) => {
    const res = await resolveToken(tx, token);
    const answer = await answerOf(tx, res.recipient);
    // A completed answer can always be looked at (the thanks page); an open one only while the link is valid.
    if (!answer?.completedAt) {
      if (Date.parse(res.recipient.expiresAt) < Date.now()) throw gone('expired');
      if (res.survey.status !== 'open') throw gone('closed');
    }
    if (!res.recipient.openedAt) await tx.update(surveyRecipients).set({ openedAt: sql`now()` }).where(and(eq(surveyRecipients.orgId, res.recipient.orgId), eq(surveyRecipients.id, res.recipient.id)));
    return {
      state: answer?.completedAt ? ('completed' as const) : ('open' as const),
      orgName: res.orgName,
      surveyName: res.survey.name,
      language: (answer?.language ?? res.recipient.language) as Language,
      items: res.items,
      answers: (answer?.answers ?? {}) as Values,
      comment: answer?.comment ?? null,
      completedAt: answer?.completedAt ?? null,
    };
  });
}

export interface AnswerInput {
  answers?: Values;
  comment?: string | null;
  language?: Language;
  complete?: boolean;
}

/** The derived columns of an answer from its values (rules.respondentScores). */
export function scoreColumns(items: Item[], values: Values) {
  const sc = respondentScores(items, values);
  return {
    recommend: sc.recommend, satisfaction: sc.satisfaction, continuation: sc.continue, rational: sc.rational,
    confidence: sc.confidence, integrity: sc.integrity, pride: sc.pride, passion: sc.passion, emotional: sc.emotional,
  };
}

/**
 * Saves what the recipient answered so far (merged into the stored answer), and completes it when asked
 * and every question has an answer ("don't know" counts). A completed answer is final: sending it again
 * changes nothing and says so (double submit). Completing adds a survey_answer interaction on the
 * contact's timeline and rolls the account's engagement up.
 */
export async function saveAnswer(db: Db, token: string, input: AnswerInput) {
  return db.transaction(async (tx) => {
    const res = await resolveToken(tx, token, true);
    const { recipient: r, items } = res;
    const existing = await answerOf(tx, r);
    if (existing?.completedAt) return { state: 'completed' as const, completedAt: existing.completedAt, missing: [] };
    if (Date.parse(r.expiresAt) < Date.now()) throw gone('expired');
    if (res.survey.status !== 'open') throw gone('closed');
    const given = input.answers ?? {};
    const problems = valueProblems(items, given);
    if (problems.length) throw badRequest(problems.map((p) => `answers.${p.itemId}: ${p.message}`).join('; '), problems.map((p) => ({ path: `answers.${p.itemId}`, message: p.message, code: 'invalid' })));
    const values: Values = { ...((existing?.answers ?? {}) as Values), ...given };
    const comment = input.comment === undefined ? (existing?.comment ?? null) : input.comment?.trim() || null;
    const missing = missingItems(items, values);
    const completing = input.complete === true;
    if (completing && missing.length) {
      throw new AppError(400, 'incomplete', 'Some questions have no answer yet', missing.map((id) => ({ path: `answers.${id}`, message: 'Required', code: 'required' })));
    }
    const cols = { answers: values, comment, language: input.language ?? existing?.language ?? r.language, ...scoreColumns(items, values), updatedAt: sql`now()` as unknown as string };
    let answerId: string;
    if (existing) {
      await tx.update(surveyAnswers).set(cols).where(and(eq(surveyAnswers.orgId, r.orgId), eq(surveyAnswers.id, existing.id)));
      answerId = existing.id;
    } else {
      const [a] = await tx
        .insert(surveyAnswers)
        .values({ orgId: r.orgId, surveyId: r.surveyId, versionId: r.versionId, recipientId: r.id, contactId: r.contactId, accountId: r.accountId, source: 'link', ...cols })
        .returning({ id: surveyAnswers.id });
      answerId = a!.id;
    }
    if (!completing) return { state: 'open' as const, completedAt: null, missing };
    const [done] = await tx
      .update(surveyAnswers)
      .set({ completedAt: sql`now()` as unknown as string })
      .where(and(eq(surveyAnswers.orgId, r.orgId), eq(surveyAnswers.id, answerId)))
      .returning({ completedAt: surveyAnswers.completedAt, recommend: surveyAnswers.recommend });
    await recordAnswerInteraction(tx, r.orgId, { answerId, contactId: r.contactId, accountId: r.accountId, surveyName: res.survey.name, recommend: done!.recommend, comment, at: done!.completedAt! });
    // The free text is voice of the customer too: feedback of channel survey, once.
    await surveyAnswersToFeedback(tx, r.orgId, [answerId]);
    await audit(tx, systemActor(r.orgId), { action: 'complete', entity: 'survey_answer', entityId: answerId, after: { surveyId: r.surveyId, contactId: r.contactId } });
    if (r.accountId) await rollUpEngagement(tx, r.orgId, { accountId: r.accountId });
    return { state: 'completed' as const, completedAt: done!.completedAt, missing: [] };
  });
}

/** The completed answer as an interaction of kind survey_answer on the contact's (and the account's) timeline. */
export async function recordAnswerInteraction(
  tx: Tx | DbOrTx,
  orgId: string,
  a: { answerId: string; contactId: string; accountId: string | null; surveyName: string; recommend: number | null; comment: string | null; at: string },
) {
  if (!a.accountId) return;
  const [acc] = await tx.select({ ownerId: accounts.ownerId }).from(accounts).where(and(eq(accounts.orgId, orgId), eq(accounts.id, a.accountId)));
  const [i] = await tx
    .insert(interactions)
    .values({
      orgId, accountId: a.accountId, kind: 'survey_answer', direction: 'inbound', occurredAt: a.at, ownerId: acc?.ownerId ?? null,
      subject: a.recommend === null ? a.surveyName : `${a.surveyName} — ${a.recommend}/10`, body: a.comment,
    })
    .returning({ id: interactions.id });
  await tx.insert(interactionContacts).values({ orgId, interactionId: i!.id, contactId: a.contactId });
  await tx.update(surveyAnswers).set({ interactionId: i!.id }).where(and(eq(surveyAnswers.orgId, orgId), eq(surveyAnswers.id, a.answerId)));
}
