import { and, asc, eq, sql } from 'drizzle-orm';
import { vocabTerms } from '../../db/schema/index.ts';
import { requireRole, type Actor } from '../../kernel/actor.ts';
import { audit } from '../../kernel/audit.ts';
import type { Db, DbOrTx } from '../../kernel/db/index.ts';
import { badRequest, conflict } from '../../kernel/errors.ts';
import { DEFAULT_VOCABULARIES, type Vocabulary } from './defaults.ts';

/**
 * Gives an organization the default vocabularies (DOMAIN.md defaults, three locales). Idempotent:
 * terms it already has — possibly relabelled — are left alone. Returns how many were added.
 */
export async function seedVocabularies(tx: DbOrTx, orgId: string): Promise<number> {
  const rows = Object.entries(DEFAULT_VOCABULARIES).flatMap(([vocabulary, terms]) =>
    terms.map((t, i) => ({ orgId, vocabulary, key: t.key, label: t.label, position: i, meta: t.meta ?? {} })),
  );
  const inserted = await tx.insert(vocabTerms).values(rows).onConflictDoNothing().returning({ key: vocabTerms.key });
  return inserted.length;
}

export async function listVocabularies(db: DbOrTx, orgId: string) {
  const rows = await db.select().from(vocabTerms).where(eq(vocabTerms.orgId, orgId)).orderBy(asc(vocabTerms.vocabulary), asc(vocabTerms.position), asc(vocabTerms.key));
  const out: Record<string, Omit<(typeof rows)[number], 'orgId' | 'updatedAt'>[]> = {};
  for (const { orgId: _o, updatedAt: _u, ...r } of rows) (out[r.vocabulary] ??= []).push(r);
  return out;
}

/**
 * A term's labels after an edit: the locales sent replace theirs, `null` or '' removes one, the
 * locales not sent are kept (editing the English label must not erase the Chinese ones).
 */
export function mergeLabels(stored: Record<string, string> | null, sent: Record<string, string | null | undefined>): Record<string, string> {
  const out: Record<string, string> = { ...(stored ?? {}) };
  for (const [locale, value] of Object.entries(sent)) {
    if (value === undefined) continue;
    if (value === null || value === '') delete out[locale];
    else out[locale] = value;
  }
  return out;
}

/**
 * Adds or edits a term. Keys are never renamed or deleted — records keep pointing at them —
 * a term that should no longer be used is deactivated instead.
 */
export async function upsertVocabTerm(
  db: Db,
  actor: Actor,
  vocabulary: Vocabulary,
  key: string,
  input: { label: Record<string, string | null | undefined>; position?: number; active?: boolean; meta?: Record<string, unknown>; version?: number },
) {
  requireRole(actor, 'admin');
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(vocabTerms)
      .where(and(eq(vocabTerms.orgId, actor.orgId), eq(vocabTerms.vocabulary, vocabulary), eq(vocabTerms.key, key)))
      .for('update');
    const label = mergeLabels(existing?.label ?? null, input.label);
    if (!label.en) throw badRequest('A term needs an English label', [{ path: 'label.en', message: 'Required', code: 'required' }]);
    if (existing) {
      if (input.version !== undefined && input.version !== existing.version) throw conflict('This term was changed by someone else', existing);
      const [row] = await tx
        .update(vocabTerms)
        .set({
          label,
          position: input.position ?? existing.position,
          active: input.active ?? existing.active,
          meta: input.meta ? { ...existing.meta, ...input.meta } : existing.meta,
          version: sql`${vocabTerms.version} + 1`,
          updatedAt: sql`now()`,
        })
        .where(and(eq(vocabTerms.orgId, actor.orgId), eq(vocabTerms.vocabulary, vocabulary), eq(vocabTerms.key, key)))
        .returning();
      await audit(tx, actor, { action: 'update', entity: 'vocab_term', before: existing, after: row });
      return row!;
    }
    const [maxPos] = await tx
      .select({ p: sql<number>`coalesce(max(${vocabTerms.position}), -1)::int` })
      .from(vocabTerms)
      .where(and(eq(vocabTerms.orgId, actor.orgId), eq(vocabTerms.vocabulary, vocabulary)));
    const [row] = await tx
      .insert(vocabTerms)
      .values({ orgId: actor.orgId, vocabulary, key, label, position: input.position ?? (maxPos?.p ?? -1) + 1, active: input.active ?? true, meta: input.meta ?? {} })
      .returning();
    await audit(tx, actor, { action: 'create', entity: 'vocab_term', after: row });
    return row!;
  });
}
