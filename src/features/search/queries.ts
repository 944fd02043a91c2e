import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../kernel/actor.ts';
import { sharedByTenants, sharesOneConnection, type DbOrTx } from '../../kernel/db/index.ts';
import { escapeLike } from '../../kernel/list.ts';
import type { SearchHit } from './schemas.ts';

/**
 * Rows one statement of a search looks at on the embedded database. PGlite has one connection and a
 * statement cannot be interrupted, so a search that matches widely in a large organization is run
 * as a walk over id ranges of this size: other organizations' requests get the connection between
 * two slices instead of after the whole search. Noisy-neighbour bench (10k accounts, 36k contacts,
 * quiet 2-core machine): with 1,000 rows the other tenant's list had p99 93–105 ms, with 500 rows
 * 52–60 ms, while the five searches beside it took about 1.6× as long.
 */
export const SEARCH_SLICE_ROWS = 500;

/**
 * Near misses (trigram similarity, `%`) need a run of three letters or digits: a shorter query has
 * no trigram of its own to compare, and `name % 'li'` only matched short names by their padding.
 * The same run is what lets the trigram (GIN) indexes answer the substring match too, so a query
 * with one is answered from the indexes; a shorter one (two Chinese characters, "li") can only be
 * answered by reading every name, which the embedded database does in slices.
 */
export const usesTrigrams = (q: string) => /[\p{L}\p{N}]{3}/u.test(q);

type Source = 'accounts' | 'contacts' | 'opportunities';

/**
 * The hits of one kind of record, with the columns the ranking needs. `after` / `upto` limit it to
 * an id range (one slice of the walk); without them the whole organization.
 */
function hitsOf(source: Source, org: string, q: string, after?: SQL, upto?: SQL): SQL {
  const contains = `%${escapeLike(q)}%`;
  const near = (column: string) => (usesTrigrams(q) ? sql` or ${sql.raw(column)} % ${q}` : sql``);
  const starts = `${escapeLike(q)}%`;
  const only = (alias: string) => (after && upto ? sql`and ${sql.raw(alias)}.id > ${after} and ${sql.raw(alias)}.id <= ${upto}` : sql``);
  switch (source) {
    case 'accounts':
      return sql`
      select 'account' as type, a.id, a.name as title,
             coalesce(a.name ilike ${starts} or a.domain ilike ${starts}, false) as prefix,
             0 as by_address,
             greatest(similarity(a.name, ${q}), similarity(coalesce(a.domain, ''), ${q})) as score
        from accounts a
       where a.org_id = ${org} and a.deleted_at is null ${only('a')}
         and (a.name ilike ${contains} or a.domain ilike ${contains}${near('a.name')})`;
    case 'contacts':
      return sql`
      select 'contact' as type, c.id, c.full_name as title,
             coalesce(c.full_name ilike ${starts} or c.last_name ilike ${starts} or c.first_name ilike ${starts}, false) as prefix,
             case when c.full_name ilike ${contains}${near('c.full_name')} then 0 else 1 end as by_address,
             greatest(similarity(c.full_name, ${q}), similarity(coalesce(c.email, ''), ${q})) as score
        from contacts c
       where c.org_id = ${org} and c.deleted_at is null ${only('c')}
         and (c.full_name ilike ${contains} or c.email ilike ${contains}${near('c.full_name')})`;
    case 'opportunities':
      return sql`
      select 'opportunity' as type, o.id, o.name as title,
             o.name ilike ${starts} as prefix,
             0 as by_address,
             similarity(o.name, ${q}) as score
        from opportunities o
       where o.org_id = ${org} and o.deleted_at is null ${only('o')}
         and (o.name ilike ${contains}${near('o.name')})`;
  }
}

/**
 * What a hit shows under its title, looked up for the hits kept only: joining every contact's
 * account before ranking built a hash of the organization's accounts for each search (163 ms of a
 * 'lum' search over 36k contacts on the embedded database).
 */
const subtitleOf = (org: string) => sql`case h.type
  when 'account' then (select nullif(concat_ws(' · ', a.city, a.country, a.domain), '') from accounts a where a.org_id = ${org} and a.id = h.id)
  when 'contact' then (select nullif(concat_ws(' · ', c.email, ca.name), '') from contacts c left join accounts ca on ca.org_id = c.org_id and ca.id = c.account_id where c.org_id = ${org} and c.id = h.id)
  else (select oa.name from opportunities o join accounts oa on oa.org_id = o.org_id and oa.id = o.account_id where o.org_id = ${org} and o.id = h.id)
end`;

// Names that start with the query first, then names that contain it, and only then people found by
// their e-mail address alone. Coalesce in the branches: a null domain or email must not make
// "prefix" null (nulls sort first when descending).
const RANKING = sql.raw('order by by_address, prefix desc, score desc, length(title), title, id');

/**
 * One ranked query over accounts, contacts and opportunities. Substring ILIKE finds any part of a
 * name in any script (明华 inside 深圳明华照明有限公司); trigram similarity adds near misses
 * (typos) and orders what matched. Names that start with the query come first, then names that
 * contain it, and only then people found by their e-mail address alone (searching "lumen" is asking for
 * Lumen, not for everyone at lumen.com).
 * On the embedded database the same ranking is computed slice by slice (see SEARCH_SLICE_ROWS).
 */
export async function globalSearch(db: DbOrTx, actor: Actor, q: string, limit: number, sliceRows?: number): Promise<SearchHit[]> {
  const embedded = sharesOneConnection(db);
  // A trigram query is one statement on the indexes, unless the embedded database holds other
  // organizations: a broad one ('ing', 'tech') held the connection 0.3-0.8 s, and another
  // organization's list of 20 waited (noisy-neighbour bench: p99 577-706 ms). Those walk the fair slices.
  const rows = sliceRows ?? (embedded && (!usesTrigrams(q) || (await sharedByTenants(db))) ? SEARCH_SLICE_ROWS : undefined);
  if (rows) return slicedSearch(db, actor.orgId, q, limit, rows);
  const sources: Source[] = ['accounts', 'contacts', 'opportunities'];
  const statement = sql`
    select h.type, h.id, h.title, ${subtitleOf(actor.orgId)} as subtitle
      from (select * from (${sql.join(sources.map((s) => hitsOf(s, actor.orgId, q)), sql` union all `)}) hits ${RANKING} limit ${limit}) h
    ${RANKING}`;
  if (!embedded) return (await db.execute(statement)).rows as SearchHit[];
  // Every condition of a trigram query is answered by a GIN index, but PGlite's planner prices a
  // sequential scan below the bitmap on a table of some thousand rows, not knowing that ILIKE and
  // similarity cost ~15 µs a row in WebAssembly: 'lum' over 13.5k accounts took 221 ms scanning
  // and 983 rows were hits. Told not to scan, it reads the candidates from the indexes only.
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    return (await tx.execute(statement)).rows as SearchHit[];
  });
}

/**
 * The same result as one query, by statements that each look at `sliceRows` ids. Each statement
 * ranks its slice's hits together with the best `limit` found so far (carried in as JSON) and keeps
 * the best `limit`: exact, because a hit's rank depends on its own row only, and no statement ranks
 * more than one slice and `limit` rows — a last statement ranking every slice's candidates at once
 * held the connection 75 ms on average in the noisy-neighbour bench.
 */
async function slicedSearch(db: DbOrTx, org: string, q: string, limit: number, sliceRows: number): Promise<SearchHit[]> {
  let best: Candidate[] = [];
  const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
  for (const source of ['accounts', 'contacts', 'opportunities'] as const) {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const table = sql.raw(source);
      // The slice is an id range found on the primary key (org_id, id), so the statement reads only
      // its own rows; the last slice has no upper bound.
      const res = await db.execute(sql`
        with bound as (
          select id from ${table} where org_id = ${org} and id > ${after}::uuid order by id offset ${sliceRows - 1} limit 1
        )
        select (select id::text from bound) as upto,
               coalesce((select json_agg(h) from (
                 select * from (
                   select * from (${hitsOf(source, org, q, sql`${after}::uuid`, sql`coalesce((select id from bound), ${MAX_UUID}::uuid)`)}) b
                   union all
                   select * from json_to_recordset(${JSON.stringify(best)}::json)
                     as c(type text, id uuid, title text, prefix boolean, by_address int, score real)
                 ) all_hits ${RANKING} limit ${limit}) h), '[]'::json) as hits`);
      const row = res.rows[0] as { upto: string | null; hits: Candidate[] | string };
      best = typeof row.hits === 'string' ? (JSON.parse(row.hits) as Candidate[]) : row.hits;
      if (!row.upto) break;
      after = row.upto;
    }
  }
  if (!best.length) return [];
  const res = await db.execute(sql`
    select h.type, h.id, h.title, ${subtitleOf(org)} as subtitle
      from json_to_recordset(${JSON.stringify(best)}::json) as h(type text, id uuid, title text, prefix boolean, by_address int, score real)
    ${RANKING}`);
  return res.rows as SearchHit[];
}

/** A hit with the columns the ranking reads, as one slice statement returns it. */
type Candidate = { type: string; id: string; title: string; prefix: boolean; by_address: number; score: number };
