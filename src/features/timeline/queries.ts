import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../kernel/actor.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { badRequest, notFound } from '../../kernel/errors.ts';
import type { TimelineItem } from './schemas.ts';

export type Anchor = { kind: 'account' | 'opportunity' | 'contact'; id: string };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const encodeTimelineCursor = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');

/** `before` is a cursor from the previous page, or a plain date-time (everything strictly earlier). */
export function parseBefore(before: string | undefined): { at: string; id: string } | undefined {
  if (!before) return undefined;
  try {
    const v = JSON.parse(Buffer.from(before, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === 'string' && UUID_RE.test(v[1])) return { at: v[0], id: v[1] };
  } catch {
    /* not a cursor; maybe a date-time */
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(before) && !Number.isNaN(Date.parse(before))) return { at: new Date(before).toISOString(), id: '00000000-0000-0000-0000-000000000000' };
  throw badRequest('Invalid before', [{ path: 'before', message: 'Expected nextCursor of the previous page or an ISO date-time' }]);
}

const TABLE: Record<Anchor['kind'], string> = { account: 'accounts', opportunity: 'opportunities', contact: 'contacts' };

/**
 * Everything that happened around one account, deal or person, newest first, in one UNION ALL
 * query keyset-paged by (at, id). Deleted records and those of other organizations never appear.
 */
export async function timeline(db: DbOrTx, actor: Actor, anchor: Anchor, limit: number, before?: { at: string; id: string }) {
  const org = actor.orgId;
  const exists = await db.execute(sql`select 1 from ${sql.raw(TABLE[anchor.kind])} where org_id = ${org} and id = ${anchor.id} and deleted_at is null`);
  if (!exists.rows.length) throw notFound(anchor.kind === 'account' ? 'Account' : anchor.kind === 'opportunity' ? 'Opportunity' : 'Contact');
  const id = anchor.id;
  const NONE = sql`false`;
  // Which rows of each source belong to the anchor.
  const by = (cols: Partial<Record<Anchor['kind'], SQL>>) => cols[anchor.kind] ?? NONE;

  const interactionsOf = by({
    account: sql`i.account_id = ${id}`,
    opportunity: sql`i.opportunity_id = ${id}`,
    // Starts from the participant index (org_id, contact_id), not from every interaction of the org.
    contact: sql`i.id in (select x.interaction_id from interaction_contacts x where x.org_id = ${org} and x.contact_id = ${id})`,
  });
  const ownCol = (alias: string) =>
    by({ account: sql`${sql.raw(alias)}.account_id = ${id}`, opportunity: sql`${sql.raw(alias)}.opportunity_id = ${id}`, contact: sql`${sql.raw(alias)}.contact_id = ${id}` });
  const ordersOf = by({ account: sql`r.account_id = ${id}`, opportunity: sql`r.opportunity_id = ${id}` });
  const stagesOf = by({ account: sql`o.account_id = ${id}`, opportunity: sql`h.opportunity_id = ${id}` });
  const statusOf = by({ account: sql`s.account_id = ${id}` });
  // What the customer said (features/feedback): on the account's and the contact's timeline.
  const feedbackOf = by({ account: sql`fb.account_id = ${id}`, contact: sql`fb.contact_id = ${id}` });
  const page = before ? sql`where (at, id) < (${before.at}::timestamptz, ${before.id}::uuid)` : sql``;

  const res = await db.execute(sql`
    select type, id, at, actor_id as "actorId", title, data from (
      select 'interaction' as type, i.id, i.occurred_at as at, i.owner_id as actor_id, coalesce(i.subject, i.kind) as title,
             jsonb_build_object(
               'kind', i.kind, 'direction', i.direction, 'subject', i.subject, 'body', left(i.body, 1000),
               'durationMinutes', i.duration_minutes, 'accountId', i.account_id, 'opportunityId', i.opportunity_id,
               'contacts', coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'name', c.full_name) order by c.full_name, c.id)
                                       from interaction_contacts ic join contacts c on c.org_id = ic.org_id and c.id = ic.contact_id
                                      where ic.org_id = ${org} and ic.interaction_id = i.id), '[]'::jsonb),
               'users', coalesce((select jsonb_agg(jsonb_build_object('id', u.id, 'name', u.name) order by u.name, u.id)
                                    from interaction_users iu join users u on u.org_id = iu.org_id and u.id = iu.user_id
                                   where iu.org_id = ${org} and iu.interaction_id = i.id), '[]'::jsonb)
             ) as data
        from interactions i
       where i.org_id = ${org} and i.deleted_at is null and ${interactionsOf}
      union all
      select 'note', n.id, n.created_at, n.author_id, left(n.body, 200),
             jsonb_build_object('body', left(n.body, 2000), 'pinned', n.pinned, 'accountId', n.account_id, 'opportunityId', n.opportunity_id, 'contactId', n.contact_id)
        from notes n
       where n.org_id = ${org} and n.deleted_at is null and ${ownCol('n')}
      union all
      select 'task', t.id, coalesce(t.completed_at, t.created_at), t.assignee_id, t.title,
             jsonb_build_object('kind', t.kind, 'status', t.status, 'priority', t.priority, 'dueAt', t.due_at, 'completedAt', t.completed_at,
                                'accountId', t.account_id, 'opportunityId', t.opportunity_id, 'contactId', t.contact_id)
        from tasks t
       where t.org_id = ${org} and t.deleted_at is null and ${ownCol('t')}
      union all
      select 'order', r.id, r.ordered_at::timestamp at time zone 'UTC', r.created_by, coalesce(r.order_number, r.description),
             jsonb_build_object('orderNumber', r.order_number, 'orderedAt', r.ordered_at, 'amount', r.amount, 'currency', r.currency,
                                'amountBase', r.amount_base, 'status', r.status, 'opportunityId', r.opportunity_id)
        from orders r
       where r.org_id = ${org} and r.deleted_at is null and ${ordersOf}
      union all
      select 'stage_change', h.id, h.changed_at, h.changed_by, o.name,
             jsonb_build_object('opportunityId', h.opportunity_id, 'from', h.from_stage, 'to', h.to_stage)
        from opportunity_stage_history h
        join opportunities o on o.org_id = h.org_id and o.id = h.opportunity_id and o.deleted_at is null
       where h.org_id = ${org} and ${stagesOf}
      union all
      select 'feedback', fb.id, fb.occurred_at, fb.owner_id, left(fb.text, 200),
             jsonb_build_object('kind', fb.kind, 'channel', fb.channel, 'text', left(fb.text, 2000), 'sentiment', fb.sentiment, 'rating', fb.rating,
                                'ratingScale', fb.rating_scale, 'visibility', fb.visibility, 'status', fb.status, 'severity', fb.severity, 'dueAt', fb.due_at,
                                'personName', fb.person_name, 'contactId', fb.contact_id, 'journeyStep', fb.journey_step, 'suggestions', fb.suggestions)
        from feedback fb
       where fb.org_id = ${org} and fb.deleted_at is null and ${feedbackOf}
      union all
      select 'status_change', s.id, s.changed_at, s.changed_by, s.field,
             jsonb_build_object('field', s.field, 'from', s.from_value, 'to', s.to_value, 'note', s.note)
        from account_status_history s
       where s.org_id = ${org} and ${statusOf}
    ) items
    ${page}
    order by at desc, id desc
    limit ${limit + 1}`);
  const rows = res.rows as (TimelineItem & { data: unknown })[];
  const more = rows.length > limit;
  const data = (more ? rows.slice(0, limit) : rows).map((r) => ({ ...r, data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown> }));
  const last = data[data.length - 1];
  return { data, nextCursor: more && last ? encodeTimelineCursor(last.at, last.id) : null };
}
