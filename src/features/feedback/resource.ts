import { and, eq, isNull, sql } from 'drizzle-orm';
import { accounts, complaintTransitions, contacts, feedback, feedbackProducts, users } from '../../db/schema/index.ts';
import { nameField, Resource, type NameSpec } from '../../kernel/resource.ts';
import { currentModel, scoreOne } from './model.ts';
import { complaintDeadlines, isComplaintKind, isOpen } from './rules.ts';
import { feedbackCreate, feedbackRecord, feedbackUpdate } from './schemas.ts';
import { channelFactor, loadServiceSettings } from './settings.ts';
import { bumpSweep } from './sweep.ts';
import { checkProducts, expandFeedback, replaceProducts } from './voice.ts';
import { suggestTags } from './wom.ts';
const fp = feedbackProducts;

const f = feedback;
const accountName: NameSpec = { from: 'accountId', table: accounts, column: accounts.name };
const contactName: NameSpec = { from: 'contactId', table: contacts, column: contacts.fullName };
const ownerName: NameSpec = { from: 'ownerId', table: users, column: users.name };

const iso = (v: unknown) => (typeof v === 'string' ? new Date(v).toISOString() : v);

export const feedbackResource = new Resource({
  name: 'feedback',
  entity: 'feedback',
  label: 'Feedback',
  table: f,
  schemas: { create: feedbackCreate, update: feedbackUpdate, record: feedbackRecord },
  defaultSort: '-occurredAt',
  search: [f.text, f.personName],
  ownerField: 'ownerId',
  names: { accountName, contactName, ownerName },
  vocab: { channel: 'feedback_channel' },
  refs: {
    accountId: { table: accounts, label: 'Account', softDeleted: true },
    contactId: { table: contacts, label: 'Contact', softDeleted: true },
  },
  virtual: ['productIds'],
  fields: {
    id: { column: f.id, type: 'uuid' },
    // `productIds=<id>`: the feedback about a product.
    productIds: { column: sql`(select coalesce(jsonb_agg(${fp.productId}::text), '[]'::jsonb) from ${fp} where ${fp.orgId} = ${f.orgId} and ${fp.feedbackId} = ${f.id})`, type: 'tags' },
    accountId: { column: f.accountId, type: 'uuid' },
    accountName: nameField(accountName, f.accountId, f.orgId),
    contactId: { column: f.contactId, type: 'uuid' },
    contactName: nameField(contactName, f.contactId, f.orgId),
    personName: { column: f.personName, type: 'text' },
    channel: { column: f.channel, type: 'text' },
    kind: { column: f.kind, type: 'text' },
    text: { column: f.text, type: 'text' },
    language: { column: f.language, type: 'text' },
    rating: { column: f.rating, type: 'number' },
    occurredAt: { column: f.occurredAt, type: 'timestamp' },
    visibility: { column: f.visibility, type: 'enum', values: ['public', 'private'] },
    sentiment: { column: f.sentiment, type: 'enum', values: ['positive', 'neutral', 'negative'] },
    sentimentSource: { column: f.sentimentSource, type: 'text' },
    ownerId: { column: f.ownerId, type: 'uuid' },
    ownerName: nameField(ownerName, f.ownerId, f.orgId),
    status: { column: f.status, type: 'text' },
    severity: { column: f.severity, type: 'text' },
    dueAt: { column: f.dueAt, type: 'timestamp' },
    journeyStep: { column: f.journeyStep, type: 'text' },
    createdAt: { column: f.createdAt, type: 'timestamp' },
    updatedAt: { column: f.updatedAt, type: 'timestamp' },
  },
  prepare: async (values, { tx, actor, existing }, errs) => {
    await checkProducts(tx, actor.orgId, values.productIds as string[] | undefined, errs);
    const m = { ...existing, ...values } as Record<string, unknown>;
    if (!m.accountId && !m.contactId && !(typeof m.personName === 'string' && m.personName.trim())) {
      errs.add('personName', 'Say who spoke: an account, a contact, or the name of the person', 'required');
    }
    // A contact's feedback is on its account's timeline too.
    if (typeof values.contactId === 'string' && !m.accountId) {
      const [c] = await tx.select({ accountId: contacts.accountId }).from(contacts).where(and(eq(contacts.orgId, actor.orgId), eq(contacts.id, values.contactId), isNull(contacts.deletedAt)));
      if (c?.accountId) values.accountId = c.accountId;
    }
    if (m.rating !== null && m.rating !== undefined) {
      const scale = (m.ratingScale as number | null | undefined) ?? (Number(m.rating) <= 5 ? 5 : null);
      if (scale === null) errs.add('ratingScale', 'Give the rating scale (e.g. 5 stars, 10 points)', 'required');
      else {
        if (Number(m.rating) > scale) errs.add('rating', `The rating is above its scale (${scale})`, 'too_big');
        if ('rating' in values && values.ratingScale === undefined && !existing?.ratingScale) values.ratingScale = scale;
      }
    }
    if (!existing && values.occurredAt === undefined) values.occurredAt = new Date().toISOString();
    if (values.occurredAt !== undefined) values.occurredAt = iso(values.occurredAt);
    if (typeof values.occurredAt === 'string' && Date.parse(values.occurredAt) > Date.now() + 86_400_000) errs.add('occurredAt', 'Feedback cannot come from the future', 'too_big');
    const kind = String(m.kind);
    const complaint = isComplaintKind(kind);
    if (existing?.status && !complaint) errs.add('kind', 'A complaint stays a complaint: close it with a reason instead', 'invalid');
    if (!complaint && m.severity) errs.add('severity', 'Only complaints have a severity', 'invalid');
    if (m.journeyStep && kind !== 'question') errs.add('journeyStep', 'Only service questions have a journey step', 'invalid');
    if (existing?.status === 'closed' && Object.keys(values).some((k) => k !== 'custom')) errs.add('status', 'This complaint is closed', 'invalid');
    if (!errs.list.length) {
      const rescore = !existing || 'text' in values || 'rating' in values || 'ratingScale' in values;
      if (rescore && !m.sentimentLabel) {
        const { model } = await currentModel(tx, actor.orgId);
        const s = scoreOne(model, { text: String(m.text), rating: m.rating === null || m.rating === undefined ? null : Number(m.rating), ratingScale: (values.ratingScale ?? m.ratingScale ?? null) as number | null });
        Object.assign(values, { sentiment: s.sentiment, sentimentScore: s.score, sentimentSource: s.source });
      }
      if (complaint) {
        if (!existing?.status) Object.assign(values, { status: 'received', receivedAt: m.occurredAt ?? values.occurredAt });
        const status = (values.status ?? existing?.status) as string;
        const recompute = !existing?.status || 'severity' in values || 'channel' in values || 'occurredAt' in values;
        if (recompute && isOpen(status) && !existing?.pausedAt) {
          const settings = await loadServiceSettings(tx, actor.orgId);
          const received = new Date(String(values.receivedAt ?? existing?.receivedAt));
          const d = complaintDeadlines(received, (m.severity ?? null) as string | null, await channelFactor(tx, actor.orgId, String(m.channel)), Number(existing?.pausedMinutes ?? 0), settings);
          Object.assign(values, { responseDueAt: d.responseDueAt.toISOString(), dueAt: d.dueAt.toISOString(), warnAt: d.warnAt.toISOString() });
        }
      }
    }
    return values;
  },
  // A complaint's first step is on its record from the start.
  // Products live in feedback_products; the word-of-mouth points are suggested again when the text or the products change.
  afterWrite: async ({ tx, actor, existing, input }, after) => {
    if (!existing?.status && after.status === 'received') {
      await tx.insert(complaintTransitions).values({ orgId: actor.orgId, feedbackId: after.id, fromStatus: null, toStatus: 'received', at: String(after.receivedAt ?? after.occurredAt), by: actor.kind === 'system' ? null : actor.userId });
    }
    const want = input?.productIds as string[] | undefined;
    const productsChanged = want !== undefined && (await replaceProducts(tx, actor, after.id, want));
    if (productsChanged || (existing && existing.text !== after.text)) await suggestTags(tx, actor.orgId, { feedbackIds: [after.id] });
    // New or moved deadlines: the next read sweeps.
    if (after.status && (after.dueAt !== existing?.dueAt || after.responseDueAt !== existing?.responseDueAt)) await bumpSweep(tx, actor.orgId);
  },
  expand: expandFeedback,
});
