import { sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/actor.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { escapeLike } from '../../kernel/list.ts';
import type { SearchHit } from './schemas.ts';

/**
 * One ranked query over accounts, contacts and opportunities. Substring ILIKE finds any part of a
 * name in any script (明华 inside 深圳明华照明有限公司); trigram similarity adds near misses
 * (typos) and orders what matched. Names that start with the query come first, then names that
 * contain it, and only then people found by their e-mail address alone (searching "lumen" is asking for
 * Lumen, not for everyone at lumen.com).
 */
export async function globalSearch(db: DbOrTx, actor: Actor, q: string, limit: number): Promise<SearchHit[]> {
  const org = actor.orgId;
  const contains = `%${escapeLike(q)}%`;
  const starts = `${escapeLike(q)}%`;
  const res = await db.execute(sql`
    select type, id, title, subtitle from (
      select 'account' as type, a.id, a.name as title,
             nullif(concat_ws(' · ', a.city, a.country, a.domain), '') as subtitle,
             coalesce(a.name ilike ${starts} or a.domain ilike ${starts}, false) as prefix,
             0 as by_address,
             greatest(similarity(a.name, ${q}), similarity(coalesce(a.domain, ''), ${q})) as score
        from accounts a
       where a.org_id = ${org} and a.deleted_at is null
         and (a.name ilike ${contains} or a.domain ilike ${contains} or a.name % ${q})
      union all
      select 'contact', c.id, c.full_name,
             nullif(concat_ws(' · ', c.email, ca.name), ''),
             coalesce(c.full_name ilike ${starts} or c.last_name ilike ${starts} or c.first_name ilike ${starts}, false),
             case when c.full_name ilike ${contains} or c.full_name % ${q} then 0 else 1 end,
             greatest(similarity(c.full_name, ${q}), similarity(coalesce(c.email, ''), ${q}))
        from contacts c
        left join accounts ca on ca.org_id = c.org_id and ca.id = c.account_id
       where c.org_id = ${org} and c.deleted_at is null
         and (c.full_name ilike ${contains} or c.email ilike ${contains} or c.full_name % ${q})
      union all
      select 'opportunity', o.id, o.name,
             oa.name,
             o.name ilike ${starts},
             0,
             similarity(o.name, ${q})
        from opportunities o
        join accounts oa on oa.org_id = o.org_id and oa.id = o.account_id
       where o.org_id = ${org} and o.deleted_at is null
         and (o.name ilike ${contains} or o.name % ${q})
    ) hits
    -- coalesce above: a null domain or email must not make "prefix" null (nulls sort first when descending).
    order by by_address, prefix desc, score desc, length(title), title, id
    limit ${limit}`);
  return res.rows as SearchHit[];
}
