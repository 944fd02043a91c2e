import { and, eq, inArray } from 'drizzle-orm';
import { vocabTerms } from '../db/schema/index.ts';
import type { DbOrTx } from './db/index.ts';

/** Active keys of the given vocabularies for one organization, in one query. */
export async function activeVocabKeys(db: DbOrTx, orgId: string, vocabularies: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>(vocabularies.map((v) => [v, new Set<string>()]));
  if (!vocabularies.length) return out;
  const rows = await db
    .select({ vocabulary: vocabTerms.vocabulary, key: vocabTerms.key })
    .from(vocabTerms)
    .where(and(eq(vocabTerms.orgId, orgId), inArray(vocabTerms.vocabulary, vocabularies), eq(vocabTerms.active, true)));
  for (const r of rows) out.get(r.vocabulary)?.add(r.key);
  return out;
}
