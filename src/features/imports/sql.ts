/**
 * The set-based half of an import: staging table DDL, reference resolution, duplicate detection and
 * the merge into the real tables. Every statement works on the whole staging table at once; `stg` is
 * the job's temporary table, $1 the organization, $2 the acting user.
 */
import { ENTITY_FIELDS, namesAccount, type ImportEntity } from './fields.ts';
import { feedbackProductsInsertSql, feedbackProductSteps, LINED_DEAL, LINED_ORDER, productDuplicateSteps, productMergeSql, productResolveSteps, productWorkColumns, recomputeParentsSql } from './product-sql.ts';
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
  const cols = [...WORK_COLUMNS, ...productWorkColumns(entity), ...stagingColumns(entity).map((c) => `"${c.name}" ${c.sql}`)];
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

// jsonb_object(text[]) rather than jsonb_build_object: the same {field, message} appended to the
// array, but IMMUTABLE — Citus refuses STABLE functions over columns in an UPDATE joined to a
// distributed table, which many of these steps are (users, accounts…).
const addError = (field: string, message: string) =>
  `ok = false, err = coalesce(err, '[]'::jsonb) || jsonb_object(ARRAY['field', '${field}', 'message', (${message})::text])`;

export type Step = { sql: string; params: 'org' | 'org+actor' | 'none' | 'org+n' };

/** Statements that resolve references and mark errors; run before anything is written for real. */
/** SQL spelling of personKey() in rules.ts: lower case, accents (combining marks after NFD) and extra spaces dropped. */
export const sqlPersonKey = (col: string) =>
  `btrim(regexp_replace(lower(normalize(regexp_replace(normalize(${col}, NFD), '[\\u0300-\\u036f\\u1ab0-\\u1aff\\u1dc0-\\u1dff\\u20d0-\\u20ff\\ufe20-\\ufe2f]', '', 'g'), NFC)), '\\s+', ' ', 'g'))`;

/** The external id source of a row: its column, else the import's ($2 in the steps that take it). */
const ROW_SOURCE = `coalesce(s.external_source, $2)`;

export type ResolveOptions = { createAccounts: boolean; createUsers?: boolean; hasExternalIds?: boolean; createProducts?: boolean; hasParentIds?: boolean };

/** Statements that resolve references and mark errors; run before anything is written for real. $1 org, $2 external source. */
export function resolveSteps(entity: ImportEntity, t: string, opts: ResolveOptions): string[] {
  const steps: string[] = [];
  const hasOwner = ENTITY_FIELDS[entity].some((f) => f.key === 'owner');
  // Who answered a survey, by email first: their account is the answer's (the file's account column is not needed then).
  if (entity === 'survey_answers') {
    steps.push(`UPDATE ${t} s SET res_contact_id = m.id, res_account_id = m.account_id
      FROM (SELECT DISTINCT ON (lower(x.email)) lower(x.email) AS e, x.id, x.account_id FROM contacts x
            JOIN (SELECT DISTINCT lower(contact_email) AS v FROM ${t} WHERE contact_email IS NOT NULL) k ON lower(x.email) = k.v
            WHERE x.org_id = $1 AND x.deleted_at IS NULL AND x.erased_at IS NULL ORDER BY lower(x.email), x.id) m
      WHERE s.ok AND lower(s.contact_email) = m.e`);
    steps.push(`UPDATE ${t} SET ${addError('contact_email', `'no contact with email ' || contact_email`)}
      WHERE ok AND res_contact_id IS NULL AND contact_email IS NOT NULL AND contact_key IS NULL`);
  }
  if (hasOwner) {
    steps.push(`UPDATE ${t} s SET res_owner_id = u.id FROM users u
      WHERE s.ok AND s.owner IS NOT NULL AND s.owner_key IS NULL AND u.org_id = $1 AND lower(u.email) = lower(s.owner)`);
    // By full name: a unique match only. Users are few, their keys are computed once per distinct name.
    steps.push(`UPDATE ${t} s SET res_owner_id = m.id
      FROM (SELECT k.v, min(u.id::text)::uuid AS id, count(*) AS n
            FROM (SELECT DISTINCT owner_key AS v FROM ${t} WHERE owner_key IS NOT NULL) k
            JOIN users u ON u.org_id = $1 AND ${sqlPersonKey('u.name')} = k.v GROUP BY k.v) m
      WHERE s.ok AND s.owner_key = m.v AND m.n = 1`);
    steps.push(`UPDATE ${t} s SET ${addError('owner', `'several users are named ' || s.owner || ': ' || m.who`)}
      FROM (SELECT k.v, string_agg(u.name || ' <' || u.email || '>', ', ' ORDER BY u.email) AS who, count(*) AS n
            FROM (SELECT DISTINCT owner_key AS v FROM ${t} WHERE owner_key IS NOT NULL) k
            JOIN users u ON u.org_id = $1 AND ${sqlPersonKey('u.name')} = k.v GROUP BY k.v) m
      WHERE s.ok AND s.owner_key = m.v AND m.n > 1`);
    if (!opts.createUsers) {
      steps.push(`UPDATE ${t} SET ${addError('owner', `CASE WHEN owner_key IS NULL THEN 'no user with email ' ELSE 'no user named ' END || owner`)}
        WHERE ok AND owner IS NOT NULL AND res_owner_id IS NULL`);
    }
  }
  if (namesAccount(entity)) {
    steps.push(`UPDATE ${t} s SET res_account_id = a.id FROM accounts a
      WHERE s.ok AND s.account_uuid IS NOT NULL AND a.org_id = $1 AND a.id = s.account_uuid AND a.deleted_at IS NULL`);
    // Another organization's Accord id (its export re-imported here): the account imported from that file.
    steps.push(`UPDATE ${t} s SET res_account_id = x.record_id FROM external_ids x
      WHERE s.ok AND s.res_account_id IS NULL AND s.account_uuid IS NOT NULL
        AND x.org_id = $1 AND x.entity = 'accounts' AND x.source = 'accord' AND x.external_id = s.account_uuid::text`);
    steps.push(`UPDATE ${t} SET ${addError('account_id', `'no account with id ' || account_id`)} WHERE ok AND account_uuid IS NOT NULL AND res_account_id IS NULL`);
    if (opts.hasExternalIds) {
      steps.push(`UPDATE ${t} s SET res_account_id = x.record_id FROM external_ids x
        WHERE s.ok AND s.res_account_id IS NULL AND s.account_xid IS NOT NULL
          AND x.org_id = $1 AND x.entity = 'accounts' AND x.source = ${ROW_SOURCE} AND x.external_id = s.account_xid`);
      // Without a name to fall back on, an unknown source id is an error; with one, the name decides below.
      steps.push(`UPDATE ${t} SET ${addError('account_external_id', `'no account with ' || coalesce(external_source, $2) || ' id ' || account_xid`)}
        WHERE ok AND res_account_id IS NULL AND account_xid IS NOT NULL AND account_key IS NULL AND account_domain IS NULL`);
    }
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
        WHERE ok AND res_account_id IS NULL AND coalesce(account_key, account_domain) IS NOT NULL AND NOT coalesce(no_account, false)`);
    }
  }
  if (entity === 'accounts') {
    // A parent must exist, in the organization or in the file itself (it is linked after the merge).
    steps.push(`UPDATE ${t} s SET ${addError('parent_account', `'no parent account ' || coalesce(s.parent_account_id, s.parent_account)`)}
      WHERE s.ok AND (s.parent_account IS NOT NULL OR s.parent_account_id IS NOT NULL) AND NOT EXISTS (${parentLookup('s', t)})`);
  }
  if (entity === 'survey_answers') {
    // By name at the account (an unknown email with a name falls back to it): a unique match only.
    const byName = `SELECT x.account_id, ${sqlPersonKey('x.full_name')} AS k, min(x.id::text)::uuid AS id, count(*) AS n FROM contacts x
            JOIN (SELECT DISTINCT res_account_id AS a FROM ${t} WHERE ok AND res_contact_id IS NULL AND res_account_id IS NOT NULL AND contact_key IS NOT NULL) k ON x.account_id = k.a
            WHERE x.org_id = $1 AND x.deleted_at IS NULL AND x.erased_at IS NULL GROUP BY 1, 2`;
    steps.push(`UPDATE ${t} s SET res_contact_id = m.id FROM (${byName}) m
      WHERE s.ok AND s.res_contact_id IS NULL AND s.res_account_id = m.account_id AND s.contact_key = m.k AND m.n = 1`);
    steps.push(`UPDATE ${t} s SET ${addError('contact_name', `'several contacts of this account are named ' || s.contact_name`)} FROM (${byName}) m
      WHERE s.ok AND s.res_contact_id IS NULL AND s.res_account_id = m.account_id AND s.contact_key = m.k AND m.n > 1`);
    steps.push(`UPDATE ${t} SET ${addError('contact_name', `CASE WHEN contact_email IS NOT NULL THEN 'no contact with email ' || contact_email || ' nor named ' ELSE 'no contact named ' END || contact_name || ' at this account'`)}
      WHERE ok AND res_contact_id IS NULL AND res_account_id IS NOT NULL`);
    steps.push(`UPDATE ${t} SET ${addError('contact_email', `'the contact ' || coalesce(contact_email, contact_name) || ' belongs to no account'`)}
      WHERE ok AND res_contact_id IS NOT NULL AND res_account_id IS NULL`);
    steps.push(`UPDATE ${t} SET ${addError('contact_email', `'no contact found for ' || coalesce(contact_email, contact_name)`)} WHERE ok AND res_contact_id IS NULL`);
  }
  if (entity === 'feedback') {
    // A known contact by email; an unknown email stays on the feedback as the person's contact detail.
    steps.push(`UPDATE ${t} s SET res_contact_id = m.id
      FROM (SELECT DISTINCT ON (lower(x.email)) lower(x.email) AS e, x.id FROM contacts x
            JOIN (SELECT DISTINCT lower(contact_email) AS v FROM ${t} WHERE contact_email IS NOT NULL) k ON lower(x.email) = k.v
            WHERE x.org_id = $1 AND x.deleted_at IS NULL ORDER BY lower(x.email), x.id) m
      WHERE s.ok AND lower(s.contact_email) = m.e`);
    steps.push(...feedbackProductSteps(t));
  }
  steps.push(...productResolveSteps(entity, t, { createProducts: opts.createProducts, hasParentIds: opts.hasParentIds }));
  if (entity === 'interactions') {
    steps.push(`UPDATE ${t} s SET ${addError('contact_email', `'no contact with email ' || m.missing`)}
      FROM (SELECT s2.line, string_agg(e, ', ') AS missing FROM ${t} s2 CROSS JOIN LATERAL unnest(string_to_array(s2.contact_email, chr(31))) e
            WHERE s2.ok AND s2.contact_email IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM contacts x WHERE x.org_id = $1 AND lower(x.email) = lower(e) AND x.deleted_at IS NULL)
            GROUP BY s2.line) m
      WHERE s.line = m.line`);
  }
  return steps;
}

/** A parent account of staged row `s`: by Accord id, source id (the row's source or 'accord'), or name; in the organization, else (with `t`) among the file's rows. */
function parentLookup(s: string, t?: string): string {
  const inDb = `SELECT a.id FROM accounts a WHERE a.org_id = $1 AND a.deleted_at IS NULL AND a.id = ${s}.parent_uuid
    UNION ALL SELECT x.record_id FROM external_ids x WHERE x.org_id = $1 AND x.entity = 'accounts' AND x.source IN (coalesce(${s}.external_source, $2), 'accord') AND x.external_id = ${s}.parent_account_id
    UNION ALL SELECT a.id FROM accounts a WHERE a.org_id = $1 AND a.deleted_at IS NULL AND ${s}.parent_account_id IS NULL AND lower(a.name) = lower(${s}.parent_account)`;
  if (!t) return inDb;
  return `${inDb}
    UNION ALL SELECT f.new_id FROM ${t} f WHERE f.ok AND (f.external_id = ${s}.parent_account_id OR f.id = ${s}.parent_uuid OR (${s}.parent_account_id IS NULL AND lower(f.name) = lower(${s}.parent_account)))`;
}

/** After the merge (the file's accounts exist now): each imported or updated account's parent. $1 org, $2 external source. */
export function linkParentsSql(t: string, updating: boolean): string {
  return `UPDATE accounts r SET parent_account_id = m.pid FROM (
      SELECT coalesce(s.dup_of, s.new_id) AS rid, (SELECT p.id FROM (${parentLookup('s')}) p(id) LIMIT 1) AS pid FROM ${t} s
      WHERE s.ok AND s.dup_line IS NULL AND (s.dup_of IS NULL ${updating ? 'OR true' : ''}) AND (s.parent_account IS NOT NULL OR s.parent_account_id IS NOT NULL)) m
    WHERE r.org_id = $1 AND r.id = m.rid AND m.pid IS NOT NULL AND m.pid <> r.id`;
}

/** SQL spelling of nameKey() in rules.ts, for names already in the database. */
const sqlNameKey = (col: string) =>
  `btrim(regexp_replace(regexp_replace(regexp_replace(lower(${col}), '(股份有限公司|有限责任公司|有限責任公司|有限公司|集团|集團|公司)$', ''),
     '[^[:alnum:][:space:]]+|\\m(incorporated|inc|corporation|corp|company|co|limited|ltd|llc|llp|plc|gmbh|ag|sa|sas|srl|spa|bv|nv|oy|ab|as|pte|pty|kk)\\M', ' ', 'g'), '\\s+', ' ', 'g'))`;

/**
 * The strongest duplicate keys, run after the natural ones so they win: the Accord id of a record of
 * this organization, an Accord id from another organization's export, the source system's id.
 * $1 org, $3 external source.
 */
function idDuplicateSteps(entity: ImportEntity, t: string): string[] {
  const table = entity;
  if (entity === 'survey_answers') {
    // A response id of the other tool: survey answers have no Accord id column in the file and are never soft-deleted.
    return [
      `UPDATE ${t} s SET dup_line = f.first, dup_reason = 'same external id as line ' || f.first
        FROM (SELECT coalesce(external_source, $3) AS src, external_id AS k, min(line) AS first FROM ${t}
              WHERE ok AND dup_line IS NULL AND external_id IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) f
        WHERE s.ok AND s.dup_line IS NULL AND coalesce(s.external_source, $3) = f.src AND s.external_id = f.k AND s.line <> f.first`,
      `UPDATE ${t} s SET dup_of = x.record_id, dup_reason = 'imported before with ' || x.source || ' id ' || x.external_id
        FROM external_ids x JOIN survey_answers r ON r.org_id = x.org_id AND r.id = x.record_id
        WHERE s.ok AND s.dup_line IS NULL AND s.external_id IS NOT NULL AND x.org_id = $1 AND x.entity = 'survey_answers'
          AND x.source = coalesce(s.external_source, $3) AND x.external_id = s.external_id`,
    ];
  }
  return [
    `UPDATE ${t} s SET dup_line = f.first, dup_reason = 'same external id as line ' || f.first
      FROM (SELECT coalesce(external_source, $3) AS src, external_id AS k, min(line) AS first FROM ${t}
            WHERE ok AND dup_line IS NULL AND external_id IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) f
      WHERE s.ok AND s.dup_line IS NULL AND coalesce(s.external_source, $3) = f.src AND s.external_id = f.k AND s.line <> f.first`,
    `UPDATE ${t} s SET dup_of = r.id, dup_reason = 'a record with this id exists'
      FROM ${table} r WHERE s.ok AND s.dup_line IS NULL AND s.id IS NOT NULL AND r.org_id = $1 AND r.id = s.id AND r.deleted_at IS NULL`,
    `UPDATE ${t} s SET dup_of = x.record_id, dup_reason = 'imported before with id ' || s.id
      FROM external_ids x JOIN ${table} r ON r.org_id = x.org_id AND r.id = x.record_id AND r.deleted_at IS NULL
      WHERE s.ok AND s.dup_line IS NULL AND s.id IS NOT NULL AND x.org_id = $1 AND x.entity = '${entity}' AND x.source = 'accord' AND x.external_id = s.id::text`,
    `UPDATE ${t} s SET dup_of = x.record_id, dup_reason = 'imported before with ' || x.source || ' id ' || x.external_id
      FROM external_ids x JOIN ${table} r ON r.org_id = x.org_id AND r.id = x.record_id AND r.deleted_at IS NULL
      WHERE s.ok AND s.dup_line IS NULL AND s.external_id IS NOT NULL AND x.org_id = $1 AND x.entity = '${entity}'
        AND x.source = coalesce(s.external_source, $3) AND x.external_id = s.external_id`,
  ];
}

/**
 * After the merge: the source ids of every record the file created or matched, so the next import of
 * the file (or a file referring to these records) finds them. $1 org, $3 external source.
 */
export function externalIdsSql(entity: ImportEntity, t: string): string {
  if (entity === 'survey_answers') {
    return `INSERT INTO external_ids (org_id, entity, source, external_id, record_id)
      SELECT DISTINCT ON (coalesce(s.external_source, $3), s.external_id) $1::uuid, 'survey_answers', coalesce(s.external_source, $3), s.external_id, coalesce(s.dup_of, s.new_id)
        FROM ${t} s WHERE s.ok AND s.dup_line IS NULL AND s.external_id IS NOT NULL
       ORDER BY coalesce(s.external_source, $3), s.external_id, s.line
      ON CONFLICT DO NOTHING`;
  }
  return `INSERT INTO external_ids (org_id, entity, source, external_id, record_id)
    SELECT DISTINCT ON (src, eid) $1::uuid, '${entity}', src, eid, rid FROM (
      SELECT coalesce(s.external_source, $3) AS src, s.external_id AS eid, coalesce(s.dup_of, s.new_id) AS rid, s.line FROM ${t} s
        WHERE s.ok AND s.dup_line IS NULL AND s.external_id IS NOT NULL
      UNION ALL
      SELECT 'accord', s.id::text, coalesce(s.dup_of, s.new_id), s.line FROM ${t} s
        WHERE s.ok AND s.dup_line IS NULL AND s.id IS NOT NULL AND s.dup_of IS DISTINCT FROM s.id) e
    ORDER BY src, eid, line
    ON CONFLICT DO NOTHING`;
}

/**
 * Owners named in the file that match no user become users (inactive, no password: they cannot sign
 * in; an admin may invite them later). A name without an email gets an address that cannot receive
 * mail (RFC 2606 .invalid), unique per name. $1 org.
 */
export function createUsersSql(t: string): [insert: string, resolve: string] {
  return [
    `INSERT INTO users (org_id, id, email, name, role, active, deactivated_at)
      SELECT $1::uuid, uuid_generate_v7(), d.email, d.name, 'rep', false, now() FROM (
        SELECT DISTINCT ON (coalesce(owner_key, lower(owner))) CASE WHEN owner_key IS NULL THEN lower(owner)
                 ELSE regexp_replace(owner_key, '[^a-z0-9]+', '.', 'g') || '.' || substr(md5(owner_key), 1, 8) || '@imported.invalid' END AS email,
               CASE WHEN owner_key IS NULL THEN split_part(owner, '@', 1) ELSE owner END AS name
        FROM ${t} WHERE ok AND owner IS NOT NULL AND res_owner_id IS NULL ORDER BY coalesce(owner_key, lower(owner)), line) d
      ON CONFLICT DO NOTHING`,
    `UPDATE ${t} s SET res_owner_id = u.id FROM users u
      WHERE s.ok AND s.owner IS NOT NULL AND s.res_owner_id IS NULL AND u.org_id = $1
        AND lower(u.email) = CASE WHEN s.owner_key IS NULL THEN lower(s.owner)
          ELSE regexp_replace(s.owner_key, '[^a-z0-9]+', '.', 'g') || '.' || substr(md5(s.owner_key), 1, 8) || '@imported.invalid' END`,
  ];
}

/** Duplicate marking: first within the file (first line wins), then against the database. */
export function duplicateSteps(entity: ImportEntity, t: string): string[] {
  const own = productDuplicateSteps(entity, t);
  // Price list items and lines have no ids of their own in a file; products do (id, external_id).
  if (own) return entity === 'products' ? [...own, ...idDuplicateSteps(entity, t)] : own;
  return [...naturalDuplicateSteps(entity, t), ...idDuplicateSteps(entity, t)];
}

function naturalDuplicateSteps(entity: ImportEntity, t: string): string[] {
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
        // Only rows still without a duplicate are looked up, each through the index (LATERAL): joined
        // as a whole, the planner paired every account with every staged row even when the earlier
        // steps had already matched them all (a re-import of 5 000 accounts spent 8.7 s here on 0 rows).
        `UPDATE ${t} s SET dup_of = m.id, dup_reason = 'an account with a similar name exists: ' || m.name
          FROM (SELECT s2.line, a.id, a.name FROM (SELECT line, name, name_key FROM ${t} WHERE ok AND dup_line IS NULL AND dup_of IS NULL OFFSET 0) s2
                CROSS JOIN LATERAL (SELECT a.id, a.name FROM accounts a
                  WHERE a.org_id = $1 AND a.deleted_at IS NULL AND a.name % s2.name
                    AND greatest(similarity(a.name, s2.name), similarity(${sqlNameKey('a.name')}, s2.name_key)) >= $2
                  ORDER BY greatest(similarity(a.name, s2.name), similarity(${sqlNameKey('a.name')}, s2.name_key)) DESC, a.id LIMIT 1) a) m
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
    default:
      return [];
    case 'survey_answers':
      // One answer per person and moment: a re-import of the same results adds nothing.
      return [
        inFile(`res_contact_id::text || '/' || answered_at::text`, 'contact and answer time'),
        `UPDATE ${t} s SET dup_of = a.id, dup_reason = 'this contact has an answer at this time'
          FROM survey_answers a WHERE s.ok AND s.dup_line IS NULL AND s.res_contact_id IS NOT NULL AND a.org_id = $1
            AND a.contact_id = s.res_contact_id AND a.completed_at = s.answered_at`,
      ];
    case 'feedback':
      // The same words at the same moment are the same review (a re-import of an export).
      return [
        inFile(`md5(text) || '/' || coalesce(occurred_at::text, '')`, 'text and time'),
        `UPDATE ${t} s SET dup_of = f.id, dup_reason = 'this feedback exists'
          FROM feedback f WHERE s.ok AND s.dup_line IS NULL AND s.occurred_at IS NOT NULL AND f.org_id = $1 AND f.deleted_at IS NULL
            AND f.occurred_at = s.occurred_at AND md5(f.text) = md5(s.text)`,
      ];
  }
}

/** A review's rating scale: the file's, else 5 stars up to 5, 10 points up to 10, else 100. */
const FEEDBACK_SCALE = `coalesce(s.rating_scale, CASE WHEN s.rating <= 5 THEN 5 WHEN s.rating <= 10 THEN 10 ELSE 100 END)`;

/** Target column ← staged expression; `def` fills the column's default on insert. */
type Col = { col: string; src: string; def?: string; merge?: 'or' | 'union' | 'keep' | 'object' };
const TAGS = `string_to_array(s.tags, chr(31))`;
// Custom field values: a new record takes the file's; an updated one keeps the fields the file leaves empty.
const CUSTOM: Col = { col: 'custom', src: 's.custom', def: `'{}'::jsonb`, merge: 'object' };

// A deal's dates (file columns opened_at / closed_at): it closed when the file says (else its expected
// close, else now), opened when the file says (else now, never after its close); without a stage history
// in the file, a closed deal entered the first stage when opened and its final stage when it closed.
const OPP_CLOSED = `CASE WHEN s.status IN ('won', 'lost') THEN coalesce(s.closed_at, s.expected_close::timestamptz, now()) END`;
const OPP_OPENED = `coalesce(s.opened_at, least(now(), ${OPP_CLOSED}))`;
const OPP_MOVED = `(s.status IN ('won', 'lost') AND coalesce(s.buying_stage, $4) <> $4)`;

function columnsOf(entity: ImportEntity): Col[] {
  return [...builtInColumnsOf(entity), CUSTOM];
}

/** Survey answers are merged by surveyAnswerSteps, not column by column. */
function builtInColumnsOf(entity: ImportEntity): Col[] {
  if (entity === 'survey_answers') return [];
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
        { col: 'name', src: 's.name' },
        // With a product, the deal's amount is its line's total, in the currency it was priced in.
        { col: 'amount', src: 'coalesce(s.res_total, s.amount)' },
        { col: 'currency', src: `CASE WHEN s.res_total IS NOT NULL THEN s.res_currency WHEN s.amount IS NOT NULL THEN coalesce(s.currency, $3) ELSE s.currency END` },
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
    case 'feedback':
      return [
        { col: 'account_id', src: `coalesce(s.res_account_id, (SELECT c.account_id FROM contacts c WHERE c.org_id = $1 AND c.id = s.res_contact_id))` },
        { col: 'contact_id', src: 's.res_contact_id' },
        { col: 'person_name', src: `coalesce(s.person_name, CASE WHEN s.res_contact_id IS NULL THEN s.contact_email END)` },
        { col: 'person_contact', src: `coalesce(s.person_contact, CASE WHEN s.res_contact_id IS NULL THEN s.contact_email END)` },
        { col: 'channel', src: 's.channel', def: `'review_site'` },
        // Without a kind column a rated review is praise when the rating is high, else a suggestion (never a complaint
        // by guess: a complaint starts a workflow with deadlines).
        { col: 'kind', src: 's.kind', def: `CASE WHEN s.rating IS NOT NULL AND s.rating >= 0.6 * ${FEEDBACK_SCALE} THEN 'praise' ELSE 'suggestion' END` },
        ...plain('text', 'language', 'rating'),
        { col: 'rating_scale', src: `CASE WHEN s.rating IS NOT NULL THEN ${FEEDBACK_SCALE} END` },
        ...plain('source_url'),
        { col: 'occurred_at', src: 's.occurred_at', def: 'now()' },
        { col: 'visibility', src: 's.visibility', def: `coalesce((SELECT CASE WHEN (v.meta->>'public')::boolean THEN 'public' ELSE 'private' END FROM vocab_terms v
            WHERE v.org_id = $1 AND v.vocabulary = 'feedback_channel' AND v.key = coalesce(s.channel, 'review_site')), 'private')` },
        owner,
      ];
    default:
      return [];
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
  accounts: 'accounts', contacts: 'contacts', opportunities: 'opportunities', interactions: 'interactions', orders: 'orders', feedback: 'feedback',
  products: 'products', price_lists: 'price_list_items', deal_lines: 'opportunity_lines', order_lines: 'order_lines',
  survey_answers: 'survey_answers',
};

/** Parameters the merge statements use: $1 org, $2 actor, $3 base currency, $4 first buying stage. */
export function mergeParamCount(entity: ImportEntity): number {
  return entity === 'opportunities' ? 4 : entity === 'orders' ? 3 : 2;
}

/** Rows that are new get an id first, so follow-up rows (stage history, participants) can join on it. */
export function insertSteps(entity: ImportEntity, t: string, withNewAccounts: boolean): { insert: string; after: string[] } {
  const own = productMergeSql(entity, t);
  // (Lines recompute their deals and orders after the update: commands.ts.)
  if (own) return own;
  if (entity === 'survey_answers') return surveyAnswerSteps(t);
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
  if (entity === 'opportunities') after.push(...recomputeParentsSql(entity, t, false));
  if (entity === 'feedback') after.push(feedbackProductsInsertSql(t));
  if (entity === 'interactions') {
    after.push(`INSERT INTO interaction_contacts (org_id, interaction_id, contact_id)
      SELECT DISTINCT $1::uuid, s.new_id, m.id FROM ${t} s
        CROSS JOIN LATERAL (SELECT DISTINCT ON (lower(x.email)) x.id FROM unnest(string_to_array(s.contact_email, chr(31))) e
          JOIN contacts x ON x.org_id = $1 AND lower(x.email) = lower(e) AND x.deleted_at IS NULL ORDER BY lower(x.email), x.id) m
      WHERE ${IS_NEW} AND s.contact_email IS NOT NULL`);
  }
  return { insert, after };
}

/** onDuplicate 'update': existing records take the file's non-empty values (one file row per record: the first). */
export function updateSql(entity: ImportEntity, t: string): string | undefined {
  if (entity === 'interactions' || entity === 'feedback' || entity === 'survey_answers') return undefined;
  const own = productMergeSql(entity, t);
  if (own) return own.update;
  const cols = columnsOf(entity).filter((c) => c.merge !== 'keep' && c.col !== 'account_id' && c.col !== 'closed_at' && c.col !== 'opened_at' && c.col !== 'stage_entered_at' && c.col !== 'amount_base' && c.col !== 'fx_rate');
  const set = cols.map((c) => {
    if (c.merge === 'or') return `${c.col} = r.${c.col} OR coalesce(${c.src}, false)`;
    if (c.merge === 'object') return `${c.col} = r.${c.col} || coalesce(${c.src}, '{}'::jsonb)`;
    if (c.merge === 'union') return `${c.col} = CASE WHEN ${c.src} IS NULL THEN r.${c.col} ELSE ARRAY(SELECT DISTINCT unnest(r.${c.col} || ${c.src})) END`;
    // A deal or order with lines keeps the amount and currency its lines give it (docs/import.md).
    if ((entity === 'opportunities' || entity === 'orders') && (c.col === 'amount' || c.col === 'currency')) {
      // (An existing deal gets no line from a product column: only a new deal does.)
      const src = entity === 'orders' ? c.src : c.col === 'amount' ? 's.amount' : `CASE WHEN s.amount IS NOT NULL THEN coalesce(s.currency, $3) ELSE s.currency END`;
      return `${c.col} = CASE WHEN ${entity === 'orders' ? LINED_ORDER : LINED_DEAL} THEN r.${c.col} ELSE coalesce(${src}, r.${c.col}) END`;
    }
    return `${c.col} = coalesce(${c.src}, r.${c.col})`;
  });
  // A deal's opening date changes only when the file gives one (its close and stage history are left alone).
  if (entity === 'opportunities') set.push(`opened_at = coalesce(s.opened_at, r.opened_at)`);
  if (entity === 'orders') {
    const cur = `CASE WHEN ${LINED_ORDER} THEN r.currency ELSE coalesce(s.currency, r.currency) END`;
    set.push(`fx_rate = CASE WHEN ${cur} = $3 THEN NULL ELSE coalesce(s.fx_rate, r.fx_rate) END`);
    set.push(`amount_base = round(CASE WHEN ${LINED_ORDER} THEN r.amount ELSE coalesce(s.amount, r.amount) END * CASE WHEN ${cur} = $3 THEN 1 ELSE coalesce(s.fx_rate, r.fx_rate) END, 2)`);
  }
  return `UPDATE ${TABLE[entity]} r SET ${set.join(', ')}, version = r.version + 1, updated_at = now(), updated_by = $2
    FROM (SELECT DISTINCT ON (dup_of) * FROM ${t} WHERE ok AND dup_of IS NOT NULL AND dup_line IS NULL ORDER BY dup_of, line) s
    WHERE r.org_id = $1 AND r.id = s.dup_of`;
}

/**
 * Survey results from another tool: completed answers (source `import`, no link; in the Accord survey the import names, if any) with
 * the scores rules.ts computed from the row, each a survey_answer interaction on the contact's timeline
 * as an answer given through a link is. The engagement roll-up runs after (commands.ts).
 */
function surveyAnswerSteps(t: string): { insert: string; after: string[] } {
  const subject = `coalesce(s.survey, 'Survey (imported)') || coalesce(' — ' || s.sc_recommend || '/10', '')`;
  return {
    insert: `INSERT INTO survey_answers (org_id, id, survey_id, version_id, contact_id, account_id, answers, comment, source, language, started_at, updated_at, completed_at,
        recommend, satisfaction, continuation, rational, confidence, integrity, pride, passion, emotional)
      SELECT $1::uuid, s.new_id, s.answer_survey_id, s.answer_version_id, s.res_contact_id, s.res_account_id, coalesce(s.answers, '{}'::jsonb), s.comment, 'import', s.answer_language, s.answered_at, now(), s.answered_at,
        s.sc_recommend, s.sc_satisfaction, s.sc_continuation, s.sc_rational, s.sc_confidence, s.sc_integrity, s.sc_pride, s.sc_passion, s.sc_emotional
      FROM ${t} s WHERE ${IS_NEW} ORDER BY s.line`,
    after: [
      `INSERT INTO interactions (org_id, id, account_id, kind, direction, occurred_at, owner_id, subject, body, created_by, updated_by)
        SELECT $1::uuid, ${siblingId('s.new_id')}, s.res_account_id, 'survey_answer', 'inbound', s.answered_at, a.owner_id, ${subject}, s.comment, $2::uuid, $2::uuid
        FROM ${t} s JOIN accounts a ON a.org_id = $1 AND a.id = s.res_account_id WHERE ${IS_NEW} ORDER BY s.line`,
      `INSERT INTO interaction_contacts (org_id, interaction_id, contact_id)
        SELECT $1::uuid, ${siblingId('s.new_id')}, s.res_contact_id FROM ${t} s WHERE ${IS_NEW}`,
      `UPDATE survey_answers a SET interaction_id = ${siblingId('s.new_id')} FROM ${t} s WHERE a.org_id = $1 AND a.id = s.new_id AND ${IS_NEW}`,
    ],
  };
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
  const unresolved = `s.ok AND s.dup_line IS NULL AND s.dup_of IS NULL AND s.res_account_id IS NULL AND s.account_uuid IS NULL AND coalesce(s.account_key, s.account_domain) IS NOT NULL`;
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
