/**
 * The organization's sentiment model: trained in-process on its own labelled feedback (people's
 * corrections, and ratings), cached per organization until the labels change, measured on a stable
 * held-out fifth (split by text, so a repeated review is never on both sides). Scoring is set-based: the unscored rows of a page, an import or a retrain are
 * scored in JS and written back with one UPDATE … FROM jsonb_to_recordset.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { ratingPolarity } from './rules.ts';
import { evaluate, isHeldOut, lexiconPolarity, MIN_PER_CLASS, polarityOf, predict, train, type Example, type Model } from './sentiment.ts';

export type ModelStats = {
  mode: 'lexicon' | 'naive_bayes';
  labelled: number;
  positive: number;
  negative: number;
  trainSize: number;
  testSize: number;
  accuracy: number | null;
  baseline: number | null;
  lexiconAccuracy: number | null;
  trainedAt: string;
};

type Cached = { sig: string; model: Model | null; stats: ModelStats };
const cache = new Map<string, Cached>();
/** The most recent labelled rows a model learns from: enough for any organization's voice, bounded in memory. */
const MAX_TRAINING = 50_000;

const rows = <T>(r: unknown): T[] => (r as { rows: T[] }).rows;

async function signature(db: DbOrTx, orgId: string): Promise<string> {
  const [s] = rows<{ n: number; l: number; at: string | null }>(await db.execute(sql`
    select count(*)::int as n, count(sentiment_label)::int as l, max(updated_at)::text as at from feedback
     where org_id = ${orgId} and deleted_at is null and (sentiment_label is not null or rating is not null)`));
  return `${s?.n}/${s?.l}/${s?.at}`;
}

/** The labelled examples: a person's label first, else the rating's polarity (neutral ratings teach nothing). */
async function examples(db: DbOrTx, orgId: string): Promise<(Example & { id: string })[]> {
  const r = rows<{ id: string; text: string; label: string | null; rating: string | null; scale: number | null }>(await db.execute(sql`
    select id, text, sentiment_label as label, rating::text as rating, rating_scale as scale from feedback
     where org_id = ${orgId} and deleted_at is null and (sentiment_label is not null or rating is not null)
     order by occurred_at desc, id desc limit ${MAX_TRAINING}`));
  // One example per text (the newest label wins): the same words posted twice must not sit on both sides of the split.
  const out = new Map<string, Example & { id: string }>();
  for (const x of r) {
    const label = x.label ?? (x.rating !== null ? ratingPolarity(Number(x.rating), x.scale ?? 5) : null);
    const key = x.text.trim().toLowerCase();
    if ((label === 'positive' || label === 'negative') && !out.has(key)) out.set(key, { id: x.id, text: x.text, label });
  }
  return [...out.values()];
}

/** The current model of the organization, retrained when its labels changed since the last call. */
export async function currentModel(db: DbOrTx, orgId: string): Promise<Cached> {
  const sig = await signature(db, orgId);
  const hit = cache.get(orgId);
  if (hit && hit.sig === sig) return hit;
  const ex = await examples(db, orgId);
  const positive = ex.filter((e) => e.label === 'positive').length;
  const negative = ex.length - positive;
  const enough = positive >= MIN_PER_CLASS && negative >= MIN_PER_CLASS;
  const held = ex.filter((e) => isHeldOut(e.text.trim().toLowerCase()));
  const rest = ex.filter((e) => !isHeldOut(e.text.trim().toLowerCase()));
  const ev = evaluate(rest, held);
  const stats: ModelStats = {
    mode: enough ? 'naive_bayes' : 'lexicon',
    labelled: ex.length,
    positive,
    negative,
    trainSize: ev.trainSize,
    testSize: ev.testSize,
    accuracy: ev.accuracy,
    baseline: ev.baseline,
    lexiconAccuracy: ev.lexiconAccuracy,
    trainedAt: new Date().toISOString(),
  };
  const c: Cached = { sig, model: enough ? train(ex) : null, stats };
  cache.set(orgId, c);
  return c;
}

export type Scored = { sentiment: 'positive' | 'neutral' | 'negative'; score: number | null; source: 'rating' | 'model' | 'lexicon' };

/** One feedback's sentiment: from its rating when it has one, else from its text. */
export function scoreOne(model: Model | null, f: { text: string; rating: number | null; ratingScale: number | null }): Scored {
  if (f.rating !== null && Number.isFinite(f.rating)) return { sentiment: ratingPolarity(f.rating, f.ratingScale ?? 5), score: null, source: 'rating' };
  if (model) {
    const p = predict(model, f.text);
    return { sentiment: polarityOf(p), score: p, source: 'model' };
  }
  const l = lexiconPolarity(f.text);
  return { sentiment: l.label ?? 'neutral', score: l.score, source: 'lexicon' };
}

/**
 * Scores the organization's feedback that has no sentiment yet (new imports, labels taken back), or with
 * `rescore` every text-scored row (after the labels changed). Batches of 5,000, one UPDATE each.
 */
export async function scorePending(db: DbOrTx, orgId: string, opts: { rescore?: boolean; limit?: number } = {}): Promise<number> {
  const { model } = await currentModel(db, orgId);
  const limit = opts.limit ?? 200_000;
  let done = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  while (done < limit) {
    const batch = rows<{ id: string; text: string; rating: string | null; scale: number | null }>(await db.execute(sql`
      select id, text, rating::text as rating, rating_scale as scale from feedback
       where org_id = ${orgId} and deleted_at is null and id > ${after}::uuid
         and ${opts.rescore ? sql`sentiment_label is null and (sentiment is null or sentiment_source in ('model', 'lexicon'))` : sql`sentiment is null`}
       order by id limit 5000`));
    if (!batch.length) break;
    const values = batch.map((b) => {
      const s = scoreOne(model, { text: b.text, rating: b.rating === null ? null : Number(b.rating), ratingScale: b.scale });
      return { id: b.id, sentiment: s.sentiment, score: s.score, source: s.source };
    });
    await db.execute(sql`
      update feedback f set sentiment = v.sentiment, sentiment_score = v.score, sentiment_source = v.source
        from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(id uuid, sentiment text, score real, source text)
       where f.org_id = ${orgId} and f.id = v.id`);
    done += batch.length;
    after = batch[batch.length - 1]!.id;
    if (batch.length < 5000) break;
  }
  return done;
}

/** For tests: forget the cached models. */
export const resetModels = () => cache.clear();
