/**
 * The set-based half of an import: staging table DDL, reference resolution, duplicate detection and
 * the merge into the real tables. Every statement works on the whole staging table at once; `stg` is
 * the job's temporary table, $1 the organization, $2 the acting user.
 */
import type { ImportEntity } from './fields.ts';
import { stagingColumns } from './rules.ts';

export const stagingName = (jobId: string) => `import_stg_${jobId.replace(/-/g, '')}`;

/** Resolution and bookkeeping columns beside the staged values. */
const WORK_COLUMNS = [
  'line integer NOT NULL',
  'ok boolean NOT NULL',
  'raw text',
  'err jsonb',
  'res_account_id uuid',
  'res_owner_id uuid',
  'res_contact_id uuid',
  'dup_of uuid',
  'dup_line integer',
  'dup_reason text',
  'new_id uuid',
];

export function createStagingSql(entity: ImportEntity, table: string): string {
  const cols = [...WORK_COLUMNS, ...stagingColumns(entity).map((c) => `"${c.name}" ${c.sql}`)];
  return `CREATE TEMP TABLE ${table} (${cols.join(', ')})`;
}

/** COPY order: bookkeeping first (new_id is made in JS: no UPDATE pass over the whole table), then the values. */
export const copyColumns = (entity: ImportEntity) => ['line', 'ok', 'raw', 'err', 'new_id', ...stagingColumns(entity).map((c) => c.name)];

/** Rows that become new records. */
const IS_NEW = 's.ok AND s.dup_of IS NULL AND s.dup_line IS NULL';

const SPECIAL = /[\\\t\n\r]/;
/** One row of COPY text format (tab-separated, \N for null, backslash escapes). */
export function copyLine(values: (string | null | undefined)[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) out += '\t';
    out += v === null || v === undefined ? '\\N' : !SPECIAL.test(v) ? v : v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
  }
  return out + '\n';
}

const addError = (field: string, message: string) =>
  `ok = false, err = coalesce(err, '[]'::jsonb) || jsonb_build_array(jsonb_build_object('field', '${field}', 'message', ${message}))`;

export type Step = { sql: string; params: 'org' | 'org+actor' | 'none' | 'org+n' };

/** Statements that resolve references and mark errors; run before anything is written for real. */
export function resolveSteps(entity: ImportEntity, t: string, opts: { createAccounts: boolean }): string[] {
  const steps: string[] = [];
  const hasOwner = entity !== 'orders';
  if (hasOwner) {
    steps.push(`UPDATE ${t} s SET res_owner_id = u.id FROM users u
      WHERE s.ok AND s.owner IS NOT NULL AND u.org_id = $1 AND lower(u.email) = lower(s.owner)`);
    steps.push(`UPDATE ${t} SET ${addError('owner', `'no user with email ' || owner`)} WHERE ok AND owner IS NOT NULL AND res_owner_id IS NULL`);
  }
  if (entity !== 'accounts') {
    steps.push(`UPDATE ${t} s SET res_account_id = a.id FROM accounts a
      WHERE s.ok AND s.account_id IS NOT NULL AND a.org_id = $1 AND a.id = s.account_id AND a.deleted_at IS NULL`);
    steps.push(`UPDATE ${t} SET ${addError('account_id', `'no account with id ' || account_id`)} WHERE ok AND account_id IS NOT NULL AND res_account_id IS NULL`);
    steps.push(`UPDATE ${t} s SET res_account_id = m.id
      FROM (SELECT DISTINCT ON (lower(x.domain)) lower(x.domain) AS d, x.id FROM accounts x
            JOIN (SELECT DISTINCT account_domain AS v FROM ${t} WHERE account_domain IS NOT NULL) k ON lower(x.domain) = k.v
            WHERE x.org_id = $1 AND x.deleted_at IS NULL ORDER BY lower(x.domain), x.id) m
      WHERE s.ok AND s.res_account_id IS NULL AND s.account_domain = m.d`);
    steps.push(`UPDATE ${t} s SET res_account_id = m.id
      FROM (SELECT DISTINCT ON (lower(x.name)) lower(x.name) AS k, x.id FROM accounts x
            JOIN (SELECT DISTINCT account_key AS v FROM ${t} WHERE account_key IS NOT NULL) k ON lower(x.name) = k.v
            WHERE x.org_id = $1 AND x.deleted_at IS NULL ORDER BY lower(x.name), x.id) m
      WHERE s.ok AND s.res_account_id IS NULL AND s.account_key = m.k`);
    // A website or domain typed into the account column ("acme.com").
    steps.push(`UPDATE ${t} s SET res_account_id = m.id
      FROM (SELECT DISTINCT ON (lower(x.domain)) lower(x.domain) AS d, x.id FROM accounts x
            JOIN (SELECT DISTINCT account_key AS v FROM ${t} WHERE account_key LIKE '%.%') k ON lower(x.domain) = k.v
            WHERE x.org_id = $1 AND x.deleted_at IS NULL ORDER BY lower(x.domain), x.id) m
      WHERE s.ok AND s.res_account_id IS NULL AND s.account_key = m.d`);
    if (!opts.createAccounts) {
      steps.push(`UPDATE ${t} SET ${addError('account', `'no account named ' || coalesce(account, account_domain)`)}
        WHERE ok AND res_account_id IS NULL AND coalesce(account_key, account_domain) IS NOT NULL`);
    }
  }
  if (entity === 'interactions') {
    steps.push(`UPDATE ${t} s SET res_contact_id = m.id
      FROM (SELECT DISTINCT ON (lower(x.email)) lower(x.email) AS e, x.id FROM contacts x
            JOIN (SELECT DISTINCT lower(contact_email) AS v FROM ${t} WHERE contact_email IS NOT NULL) k ON lower(x.email) = k.v
            WHERE x.org_id = $1 AND x.deleted_at IS NULL ORDER BY lower(x.email), x.id) m
      WHERE s.ok AND s.contact_email IS NOT NULL AND lower(s.contact_email) = m.e`);
    steps.push(`UPDATE ${t} SET ${addError('contact_email', `'no contact with email ' || contact_email`)} WHERE ok AND contact_email IS NOT NULL AND res_contact_id IS NULL`);
  }
  return steps;
}

/** SQL spelling of nameKey() in rules.ts, for names already in the database. */
const sqlNameKey = (col: string) =>
  `btrim(regexp_replace(regexp_replace(regexp_replace(lower(${col}), '(股份有限公司|有限责任公司|有限責任公司|有限公司|集团|集團|公司)$', ''),
     '[^[:alnum:][:space:]]+|\\m(incorporated|inc|corporation|corp|company|co|limited|ltd|llc|llp|plc|gmbh|ag|sa|sas|srl|spa|bv|nv|oy|ab|as|pte|pty|kk)\\M', ' ', 'g'), '\\s+', ' ', 'g'))`;

/** Duplicate marking: first within the file (first line wins), then against the database. */
export function duplicateSteps(entity: ImportEntity, t: string): string[] {
  const inFile = (keyExpr: string, what: string) => `UPDATE ${t} s SET dup_line = f.first, dup_reason = 'same ${what} as line ' || f.first
    FROM (SELECT ${keyExpr} AS k, min(line) AS first FROM ${t} WHERE ok AND dup_line IS NULL AND ${keyExpr} IS NOT NULL GROUP BY 1 HAVING count(*) > 1) f
    WHERE s.ok AND s.dup_line IS NULL AND ${keyExpr.replace(/\b(email|domain|name_key|order_number|name|res_account_id)\b/g, 's.$1')} = f.k AND s.line <> f.first`;
  switch (entity) {
    case 'contacts':
      return [
        inFile('lower(email)', 'email'),
        `UPDATE ${t} s SET dup_of = m.id, dup_reason = 'a contact with this email exists'
          FROM (SELECT DISTINCT ON (lower(x.email)) lower(x.email) AS e, x.id FROM contacts x
            JOIN (SELECT DISTINCT lower(email) AS v FROM ${t} WHERE email IS NOT NULL) k ON lower(x.email) = k.v
            WHERE x.org_id = $1 AND x.deleted_at IS NULL ORDER BY lower(x.email), x.id) m
          WHERE s.ok AND s.dup_line IS NULL AND lower(s.email) = m.e`,
      ];
    case 'accounts':
      return [
        inFile('domain', 'domain'),
        inFile('name_key', 'name'),
        `UPDATE ${t} s SET dup_of = m.id, dup_reason = 'an account with this domain exists'
          FROM (SELECT DISTINCT ON (lower(x.domain)) lower(x.domain) AS d, x.id FROM accounts x
            JOIN (SELECT DISTINCT domain AS v FROM ${t} WHERE domain IS NOT NULL) k ON lower(x.domain) = k.v
            WHERE x.org_id = $1 AND x.deleted_at IS NULL ORDER BY lower(x.domain), x.id) m
          WHERE s.ok AND s.dup_line IS NULL AND s.domain = m.d`,
        // Same name once legal forms are dropped ("Acme Ltd" = "ACME Limited"): one hash join over the organization's accounts.
        `UPDATE ${t} s SET dup_of = m.id, dup_reason = 'an account with a similar name exists: ' || m.name
          FROM (SELECT DISTINCT ON (x.k) x.k, x.id, x.name FROM (SELECT ${sqlNameKey('name')} AS k, id, name FROM accounts WHERE org_id = $1 AND deleted_at IS NULL) x
                JOIN (SELECT DISTINCT name_key AS v FROM ${t} WHERE name_key IS NOT NULL) nk ON x.k = nk.v ORDER BY x.k, x.id) m
          WHERE s.ok AND s.dup_line IS NULL AND s.dup_of IS NULL AND s.name_key = m.k`,
        // Similar names: the trigram index finds candidates, the better of raw and normalized similarity decides.
        `UPDATE ${t} s SET dup_of = m.id, dup_reason = 'an account with a similar name exists: ' || m.name
          FROM (SELECT DISTINCT ON (s2.line) s2.line, a.id, a.name FROM ${t} s2
                JOIN accounts a ON a.org_id = $1 AND a.deleted_at IS NULL AND a.name % s2.name
                WHERE s2.ok AND s2.dup_line IS NULL AND s2.dup_of IS NULL
                  AND greatest(similarity(a.name, s2.name), similarity(${sqlNameKey('a.name')}, s2.name_key)) >= $2
                ORDER BY s2.line, greatest(similarity(a.name, s2.name), similarity(${sqlNameKey('a.name')}, s2.name_key)) DESC, a.id) m
          WHERE s.line = m.line`,
      ];
    case 'opportunities':
      return [
        inFile(`res_account_id::text || '/' || lower(name)`, 'account and name'),
        `UPDATE ${t} s SET dup_of = o.id, dup_reason = 'this account has an opportunity with this name'
          FROM opportunities o
          WHERE s.ok AND s.dup_line IS NULL AND s.res_account_id IS NOT NULL AND o.org_id = $1 AND o.deleted_at IS NULL
            AND o.account_id = s.res_account_id AND lower(o.name) = lower(s.name)`,
      ];
    case 'orders':
      return [
        inFile('order_number', 'order number'),
        `UPDATE ${t} s SET dup_of = o.id, dup_reason = 'an order with this number exists'
          FROM orders o
          WHERE s.ok AND s.dup_line IS NULL AND s.order_number IS NOT NULL AND o.org_id = $1 AND o.deleted_at IS NULL AND o.order_number = s.order_number`,
      ];
    case 'interactions':
      return [];
  }
}

/** Target column ← staged expression; `def` fills the column's default on insert. */
type Col = { col: string; src: string; def?: string; merge?: 'or' | 'union' | 'keep' };
const TAGS = `string_to_array(s.tags, chr(31))`;

// A deal's dates (file columns opened_at / closed_at): it closed when the file says (else its expected
// close, else now), opened when the file says (else now, never after its close); without a stage history
// in the file, a closed deal entered the first stage when opened and its final stage when it closed.
const OPP_CLOSED = `CASE WHEN s.status IN ('won', 'lost') THEN coalesce(s.closed_at, s.expected_close::timestamptz, now()) END`;
const OPP_OPENED = `coalesce(s.opened_at, least(now(), ${OPP_CLOSED}))`;
const OPP_MOVED = `(s.status IN ('won', 'lost') AND coalesce(s.buying_stage, $4) <> $4)`;

function columnsOf(entity: ImportEntity): Col[] {
  const owner: Col = { col: 'owner_id', src: 's.res_owner_id' };
  const tags: Col = { col: 'tags', src: TAGS, def: `'{}'::text[]`, merge: 'union' };
  const plain = (...names: string[]): Col[] => names.map((n) => ({ col: n, src: `s.${n}` }));
  switch (entity) {
    case 'accounts':
      return [
        { col: 'name', src: 's.name', merge: 'keep' },
        { col: 'kind', src: 's.kind', def: `'prospect'` },
        ...plain('domain', 'website', 'industry', 'country', 'region', 'city', 'address', 'phone', 'employees', 'annual_revenue',
          'total_annual_demand', 'demand_currency', 'need_type', 'price_orientation', 'supplier_status', 'relationship_depth', 'source', 'aisas_step'),
        tags,
        owner,
      ];
    case 'contacts':
      return [
        { col: 'account_id', src: 's.res_account_id' },
        ...plain('first_name', 'last_name'),
        // Named from first/last name or the email only when the file gives no name (and never on update).
        { col: 'full_name', src: 's.full_name', def: `coalesce(nullif(concat_ws(' ', s.first_name, s.last_name), ''), s.email)` },
        ...plain('title', 'department', 'language', 'email', 'phone', 'mobile', 'country', 'city'),
        { col: 'consent', src: 's.consent', def: `'unknown'` },
        // An import may add "do not email", never lift it.
        { col: 'do_not_email', src: 's.do_not_email', def: 'false', merge: 'or' },
        ...plain('source', 'aisas_step'),
        tags,
        owner,
      ];
    case 'opportunities':
      return [
        { col: 'account_id', src: 's.res_account_id' },
        ...plain('name', 'amount'),
        { col: 'currency', src: `CASE WHEN s.amount IS NOT NULL THEN coalesce(s.currency, $3) ELSE s.currency END` },
        { col: 'expected_close', src: `coalesce(s.expected_close, CASE WHEN s.status IN ('won', 'lost') THEN NULL ELSE (s.closed_at AT TIME ZONE 'UTC')::date END)` },
        ...plain('buying_situation'),
        { col: 'buying_stage', src: 's.buying_stage', def: '$4' },
        { col: 'status', src: 's.status', def: `'open'` },
        { col: 'closed_at', src: OPP_CLOSED },
        { col: 'opened_at', src: OPP_OPENED },
        { col: 'stage_entered_at', src: `CASE WHEN ${OPP_MOVED} THEN ${OPP_CLOSED} ELSE ${OPP_OPENED} END` },
        ...plain('lost_reason', 'need_type', 'source'),
        { col: 'competitors', src: `string_to_array(s.competitors, chr(31))`, def: `'{}'::text[]`, merge: 'union' },
        tags,
        owner,
      ];
    case 'interactions':
      return [
        { col: 'account_id', src: 's.res_account_id' },
        ...plain('kind'),
        { col: 'direction', src: 's.direction', def: `'outbound'` },
        ...plain('subject', 'body', 'occurred_at', 'duration_minutes', 'aisas_step', 'source'),
        owner,
      ];
    case 'orders':
      return [
        { col: 'account_id', src: 's.res_account_id' },
        ...plain('order_number', 'ordered_at', 'amount'),
        { col: 'currency', src: `coalesce(s.currency, $3)` },
        { col: 'fx_rate', src: `CASE WHEN coalesce(s.currency, $3) = $3 THEN NULL ELSE s.fx_rate END` },
        { col: 'amount_base', src: `round(s.amount * CASE WHEN coalesce(s.currency, $3) = $3 THEN 1 ELSE s.fx_rate END, 2)` },
        { col: 'status', src: 's.status', def: `'confirmed'` },
        ...plain('description'),
      ];
  }
}

const TABLE: Record<ImportEntity, string> = {
  accounts: 'accounts', contacts: 'contacts', opportunities: 'opportunities', interactions: 'interactions', orders: 'orders',
};

/** Parameters the merge statements use: $1 org, $2 actor, $3 base currency, $4 first buying stage. */
export function mergeParamCount(entity: ImportEntity): number {
  return entity === 'opportunities' ? 4 : entity === 'orders' ? 3 : 2;
}

/** Rows that are new get an id first, so follow-up rows (stage history, participants) can join on it. */
export function insertSteps(entity: ImportEntity, t: string, withNewAccounts: boolean): { insert: string; after: string[] } {
  const cols = columnsOf(entity).map((c) => (withNewAccounts && c.col === 'account_id' ? { ...c, src: 'coalesce(s.res_account_id, na.id)' } : c));
  const from = withNewAccounts
    ? `${t} s LEFT JOIN ${t}_acc na ON s.res_account_id IS NULL AND na.k = coalesce(s.account_key, s.account_domain)`
    : `${t} s`;
  const insert = `INSERT INTO ${TABLE[entity]} (org_id, id, ${cols.map((c) => c.col).join(', ')}, created_by, updated_by)
    SELECT $1::uuid, s.new_id, ${cols.map((c) => (c.def ? `coalesce(${c.src}, ${c.def})` : c.src)).join(', ')}, $2::uuid, $2::uuid
    FROM ${from} WHERE ${IS_NEW} ORDER BY s.line`;
  const after: string[] = [];
  if (entity === 'opportunities') {
    after.push(`INSERT INTO opportunity_stage_history (org_id, id, opportunity_id, from_stage, to_stage, changed_at, changed_by)
      SELECT $1::uuid, uuid_generate_v7(), s.new_id, NULL, CASE WHEN ${OPP_MOVED} THEN $4 ELSE coalesce(s.buying_stage, $4) END, o.opened_at, $2::uuid
        FROM ${t} s JOIN opportunities o ON o.org_id = $1 AND o.id = s.new_id WHERE ${IS_NEW}
      UNION ALL
      SELECT $1::uuid, uuid_generate_v7(), s.new_id, $4, s.buying_stage, o.closed_at, $2::uuid
        FROM ${t} s JOIN opportunities o ON o.org_id = $1 AND o.id = s.new_id WHERE ${IS_NEW} AND ${OPP_MOVED}`);
  }
  if (entity === 'interactions') {
    after.push(`INSERT INTO interaction_contacts (org_id, interaction_id, contact_id)
      SELECT $1::uuid, s.new_id, s.res_contact_id FROM ${t} s WHERE ${IS_NEW} AND s.res_contact_id IS NOT NULL`);
  }
  return { insert, after };
}

/** onDuplicate 'update': existing records take the file's non-empty values (one file row per record: the first). */
export function updateSql(entity: ImportEntity, t: string): string | undefined {
  if (entity === 'interactions') return undefined;
  const cols = columnsOf(entity).filter((c) => c.merge !== 'keep' && c.col !== 'account_id' && c.col !== 'closed_at' && c.col !== 'opened_at' && c.col !== 'stage_entered_at' && c.col !== 'amount_base' && c.col !== 'fx_rate');
  const set = cols.map((c) => {
    if (c.merge === 'or') return `${c.col} = r.${c.col} OR coalesce(${c.src}, false)`;
    if (c.merge === 'union') return `${c.col} = CASE WHEN ${c.src} IS NULL THEN r.${c.col} ELSE ARRAY(SELECT DISTINCT unnest(r.${c.col} || ${c.src})) END`;
    return `${c.col} = coalesce(${c.src}, r.${c.col})`;
  });
  // A deal's opening date changes only when the file gives one (its close and stage history are left alone).
  if (entity === 'opportunities') set.push(`opened_at = coalesce(s.opened_at, r.opened_at)`);
  if (entity === 'orders') {
    set.push(`fx_rate = CASE WHEN coalesce(s.currency, r.currency) = $3 THEN NULL ELSE coalesce(s.fx_rate, r.fx_rate) END`);
    set.push(`amount_base = round(coalesce(s.amount, r.amount) * CASE WHEN coalesce(s.currency, r.currency) = $3 THEN 1 ELSE coalesce(s.fx_rate, r.fx_rate) END, 2)`);
  }
  return `UPDATE ${TABLE[entity]} r SET ${set.join(', ')}, version = r.version + 1, updated_at = now(), updated_by = $2
    FROM (SELECT DISTINCT ON (dup_of) * FROM ${t} WHERE ok AND dup_of IS NOT NULL AND dup_line IS NULL ORDER BY dup_of, line) s
    WHERE r.org_id = $1 AND r.id = s.dup_of`;
}

/**
 * A new account's id: the UUIDv7 made in JS for the first row naming it, with one random bit flipped
 * (byte 9; the version and variant bits stay). Distinct rows give distinct ids, still time-ordered and
 * as unguessable as any v7 id, at no cost: uuid_generate_v7() per account took 12 µs (1.2 s per 100k).
 */
export const siblingId = (col: string) => `encode(set_byte(uuid_send(${col}), 9, get_byte(uuid_send(${col}), 9) # 128), 'hex')::uuid`;

/**
 * Accounts named by contacts (or, when asked, by other records) that do not exist yet: one per
 * distinct name (or domain), listed with fresh ids in a small side table the record insert joins
 * (rewriting every staging row instead would cost a pass over the whole file).
 */
export function createAccountsSql(t: string): [collect: string, insert: string] {
  const unresolved = `s.ok AND s.dup_line IS NULL AND s.dup_of IS NULL AND s.res_account_id IS NULL AND s.account_id IS NULL AND coalesce(s.account_key, s.account_domain) IS NOT NULL`;
  return [
    `CREATE TEMP TABLE ${t}_acc AS SELECT d.k, ${siblingId('d.first_id')} AS id, d.name, d.domain FROM (
       SELECT DISTINCT ON (coalesce(s.account_key, s.account_domain)) coalesce(s.account_key, s.account_domain) AS k,
              coalesce(s.account, s.account_domain) AS name, s.account_domain AS domain, s.new_id AS first_id
       FROM ${t} s WHERE ${unresolved} ORDER BY coalesce(s.account_key, s.account_domain), s.line) d`,
    `INSERT INTO accounts (org_id, id, name, domain, created_by, updated_by)
      SELECT $1::uuid, n.id, n.name, n.domain, $2::uuid, $2::uuid FROM ${t}_acc n ORDER BY n.id`,
  ];
}

/** Errors and skipped duplicates become the job's error rows (the error file). */
export function persistErrorsSql(t: string, reportDbDuplicates: boolean): string {
  return `INSERT INTO import_job_errors (org_id, job_id, line, seq, field, message, raw)
    SELECT $1::uuid, $2::uuid, s.line, (e.ord - 1)::smallint, e.v->>'field', e.v->>'message', CASE WHEN e.ord = 1 THEN s.raw END
    FROM ${t} s, jsonb_array_elements(s.err) WITH ORDINALITY AS e(v, ord) WHERE s.err IS NOT NULL
    UNION ALL
    SELECT $1::uuid, $2::uuid, s.line, 0, '_duplicate', s.dup_reason || coalesce(' (' || s.dup_of::text || ')', ''), s.raw
    FROM ${t} s WHERE s.ok AND (s.dup_line IS NOT NULL ${reportDbDuplicates ? 'OR s.dup_of IS NOT NULL' : ''})`;
}
