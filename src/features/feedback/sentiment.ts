/**
 * Text sentiment for short reviews in Chinese and English, in-process and dependency-free:
 * a polarity lexicon with negation for cold start, and a binarized multinomial naive Bayes over
 * character uni/bigrams (CJK) and word uni/bigrams with negation scope (Latin script), trained on the
 * organization's own labelled feedback. The lexicon's verdicts are features of the model too, so a
 * small training set in one domain still carries over to reviews of another.
 */
import { EN_NEGATORS, LEXICON, ZH_MAX, ZH_NEGATORS } from './lexicon.ts';

export type Label = 'positive' | 'negative';
export type Example = { text: string; label: Label };

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const SEGMENT = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9']+|[.!?;,，。！？；、…~～]+/giu;

/** Lexicon score of a text: +1 per positive word, −1 per negative one, flipped after a negator. */
export function lexiconHits(text: string): { pos: number; neg: number } {
  let pos = 0;
  let neg = 0;
  const add = (p: number) => (p > 0 ? pos++ : neg++);
  for (const seg of text.toLowerCase().match(SEGMENT) ?? []) {
    if (HAN.test(seg[0]!)) {
      let i = 0;
      while (i < seg.length) {
        let hit = 0;
        let pol = 0;
        for (let len = Math.min(ZH_MAX, seg.length - i); len >= 1; len--) {
          const p = LEXICON.get(seg.slice(i, i + len));
          if (p) {
            hit = len;
            pol = p;
            break;
          }
        }
        if (!hit) {
          i++;
          continue;
        }
        const before = seg.slice(Math.max(0, i - 3), i);
        const negated = ZH_NEGATORS.some((n) => before.endsWith(n));
        add(negated ? -pol : pol);
        i += hit;
      }
    }
  }
  const words = text.toLowerCase().match(/[a-z']+|[.!?;,]/g) ?? [];
  let scope = 0;
  for (const w of words) {
    if (/^[.!?;,]$/.test(w)) {
      scope = 0;
      continue;
    }
    if (EN_NEGATORS.has(w) || w.endsWith("n't")) {
      scope = 3;
      continue;
    }
    const p = LEXICON.get(w);
    if (p) add(scope > 0 ? -p : p);
    if (scope > 0) scope--;
  }
  return { pos, neg };
}

/** Cold-start verdict: the lexicon alone; null when it finds nothing either way. */
export function lexiconPolarity(text: string): { label: Label | null; score: number } {
  const { pos, neg } = lexiconHits(text);
  if (pos === neg) return { label: null, score: 0.5 };
  return { label: pos > neg ? 'positive' : 'negative', score: (pos + 1) / (pos + neg + 2) };
}

/** The features of a text, each once (binarized NB is the better bag for short reviews). */
export function features(text: string): Set<string> {
  const out = new Set<string>();
  const lower = text.toLowerCase().normalize('NFKC');
  let prevWord: string | null = null;
  let negScope = 0;
  for (const seg of lower.match(SEGMENT) ?? []) {
    if (HAN.test(seg[0]!)) {
      prevWord = null;
      for (let i = 0; i < seg.length; i++) {
        out.add(seg[i]!);
        if (i + 1 < seg.length) out.add(seg.slice(i, i + 2));
      }
    } else if (/^[a-z0-9']+$/.test(seg)) {
      if (EN_NEGATORS.has(seg) || seg.endsWith("n't")) {
        negScope = 3;
        out.add(seg);
        prevWord = seg;
        continue;
      }
      const w = negScope > 0 ? `not_${seg}` : seg;
      if (negScope > 0) negScope--;
      out.add(w);
      if (prevWord) out.add(`${prevWord} ${w}`);
      prevWord = w;
    } else {
      prevWord = null;
      negScope = 0;
    }
  }
  const { pos, neg } = lexiconHits(text);
  if (pos > neg) out.add('\u0000lex+');
  if (neg > pos) out.add('\u0000lex-');
  if (pos && neg) out.add('\u0000lex±');
  if (!pos && !neg) out.add('\u0000lex0');
  return out;
}

export type Model = {
  kind: 'naive_bayes';
  docs: { positive: number; negative: number };
  /** Per feature: documents of each class containing it. */
  counts: Map<string, [number, number]>;
  totals: [number, number];
};

export function train(examples: Iterable<Example>): Model {
  const counts = new Map<string, [number, number]>();
  const docs = { positive: 0, negative: 0 };
  const totals: [number, number] = [0, 0];
  for (const ex of examples) {
    const k = ex.label === 'positive' ? 0 : 1;
    docs[ex.label]++;
    for (const f of features(ex.text)) {
      let c = counts.get(f);
      if (!c) counts.set(f, (c = [0, 0]));
      c[k]++;
      totals[k]++;
    }
  }
  return { kind: 'naive_bayes', docs, counts, totals };
}

/** P(positive | text); features never seen in training are left out (they say nothing about either class). */
export function predict(model: Model, text: string): number {
  const V = model.counts.size + 1;
  const n = model.docs.positive + model.docs.negative;
  let lp = Math.log((model.docs.positive + 1) / (n + 2));
  let ln = Math.log((model.docs.negative + 1) / (n + 2));
  const dp = Math.log(model.totals[0] + V);
  const dn = Math.log(model.totals[1] + V);
  for (const f of features(text)) {
    const c = model.counts.get(f);
    if (!c) continue;
    lp += Math.log(c[0] + 1) - dp;
    ln += Math.log(c[1] + 1) - dn;
  }
  const d = Math.max(-50, Math.min(50, ln - lp));
  return 1 / (1 + Math.exp(d));
}

export const labelOf = (p: number): Label => (p >= 0.5 ? 'positive' : 'negative');

/** Shown polarity of a probability: a narrow band around ½ is neutral. */
export const polarityOf = (p: number): 'positive' | 'neutral' | 'negative' => (p >= 0.6 ? 'positive' : p <= 0.4 ? 'negative' : 'neutral');

export type Evaluation = { trainSize: number; testSize: number; accuracy: number | null; baseline: number | null; lexiconAccuracy: number | null };

/** Accuracy on `test` of a model trained on `trainSet`, next to always answering the training set's majority class. */
export function evaluate(trainSet: Example[], test: Example[]): Evaluation {
  if (!test.length || !trainSet.some((e) => e.label === 'positive') || !trainSet.some((e) => e.label === 'negative')) {
    return { trainSize: trainSet.length, testSize: test.length, accuracy: null, baseline: null, lexiconAccuracy: null };
  }
  const m = train(trainSet);
  const majority: Label = m.docs.positive >= m.docs.negative ? 'positive' : 'negative';
  let right = 0;
  let base = 0;
  let lex = 0;
  for (const e of test) {
    if (labelOf(predict(m, e.text)) === e.label) right++;
    if (majority === e.label) base++;
    const l = lexiconPolarity(e.text).label ?? majority;
    if (l === e.label) lex++;
  }
  return { trainSize: trainSet.length, testSize: test.length, accuracy: right / test.length, baseline: base / test.length, lexiconAccuracy: lex / test.length };
}

/** A stable 1-in-5 held-out split by a key (FNV-1a of the text), so the same labels always give the same figures. */
export function isHeldOut(id: string): boolean {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 5 === 0;
}

/** Minimum labelled examples of each class before the organization's model replaces the lexicon. */
export const MIN_PER_CLASS = 10;
