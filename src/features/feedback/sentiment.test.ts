/**
 * The sentiment model measured on real reviews: 52,773 labelled Chinese online-shop reviews in nine
 * categories (/work/shared/testdata/sentiment, read at run time, never copied into the repository).
 * Cross-domain: trained on some categories, measured on the OTHER ones — as Accord will be measured on
 * reviews of domains we did not train on.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../imports/csv.ts';
import { evaluate, features, isHeldOut, lexiconPolarity, predict, train, type Example } from './sentiment.ts';

const ZIP = '/work/shared/testdata/sentiment/online_shopping_9_cats.zip';
type Review = Example & { cat: string };

async function loadReviews(): Promise<Review[]> {
  const text = execFileSync('unzip', ['-p', ZIP], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8').replace(/^\uFEFF/, '');
  const csv = await parseCsv((async function* () { yield text; })());
  const out: Review[] = [];
  for await (const r of csv.records) {
    const [cat, label, review] = r.record;
    if (!cat || !review?.trim() || (label !== '0' && label !== '1')) continue;
    out.push({ cat, label: label === '1' ? 'positive' : 'negative', text: review.replace(/^\uFEFF/, '') });
  }
  return out;
}

/** Deterministic shuffle (mulberry32) so the figures are reproducible. */
function shuffled<T>(xs: T[], seed: number): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('sentiment rules', () => {
  it('the lexicon reads Chinese and English, with negation', () => {
    expect(lexiconPolarity('质量很好，物流也快').label).toBe('positive');
    expect(lexiconPolarity('质量不好').label).toBe('negative');
    expect(lexiconPolarity('不满意，要退货').label).toBe('negative');
    expect(lexiconPolarity('还不错').label).toBe('positive');
    expect(lexiconPolarity('没有问题').label).toBe('positive');
    expect(lexiconPolarity('The driver failed after two weeks').label).toBe('negative');
    expect(lexiconPolarity('not good at all').label).toBe('negative');
    expect(lexiconPolarity('Great support, fast delivery').label).toBe('positive');
    expect(lexiconPolarity('灯具型号 A-200').label).toBeNull();
  });

  it('features: CJK character bigrams, English words with negation scope', () => {
    const f = features('光效好 but not bright');
    expect(f.has('光效')).toBe(true);
    expect(f.has('not_bright')).toBe(true);
    expect(f.has('bright')).toBe(false);
  });

  it('naive Bayes learns from a handful of examples', () => {
    const m = train([
      { text: '交货准时', label: 'positive' }, { text: '交货很准时，服务好', label: 'positive' },
      { text: '交货拖了三周', label: 'negative' }, { text: '又拖了一周才交货', label: 'negative' },
    ]);
    expect(predict(m, '准时交货')).toBeGreaterThan(0.5);
    expect(predict(m, '拖了两周')).toBeLessThan(0.5);
  });

  it('the held-out split takes about one in five, stably', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `0190${i.toString(16).padStart(4, '0')}-0000-7000-8000-${i.toString(16).padStart(12, '0')}`);
    const n = ids.filter(isHeldOut).length;
    expect(n).toBeGreaterThan(800);
    expect(n).toBeLessThan(1200);
    expect(ids.filter(isHeldOut)).toEqual(ids.filter(isHeldOut));
  });
});

describe.runIf(existsSync(ZIP))('sentiment on 52k real reviews (cross-domain)', () => {
  // Trained on electronics, books and clothes; measured on food, dairy, shampoo and water heaters (and back).
  const A = ['平板', '计算机', '手机', '书籍', '衣服'];
  const B = ['水果', '蒙牛', '洗发水', '热水器'];
  let all: Review[] = [];

  it('loads the reviews', async () => {
    all = await loadReviews();
    expect(all.length).toBeGreaterThan(50_000);
  }, 60_000);

  it('trained on some categories it beats the majority baseline clearly on the others', () => {
    const figures: Record<string, unknown> = {};
    for (const [name, from, to] of [['A→B', A, B], ['B→A', B, A]] as const) {
      // A small organization's worth of labels: 2,000 reviews of the training categories.
      const trainSet = shuffled(all.filter((r) => (from as readonly string[]).includes(r.cat)), 7).slice(0, 2000);
      const test = all.filter((r) => (to as readonly string[]).includes(r.cat));
      const e = evaluate(trainSet, test);
      figures[name] = e;
      // Floor 0.83: the shipped lexicon alone reaches ~0.80 on these reviews (measured alongside); a learned
      // model that does not beat it by a few points after 2,000 labels is not worth running. Measured: ~0.87.
      expect(e.accuracy!).toBeGreaterThan(0.83);
      expect(e.accuracy! - e.baseline!).toBeGreaterThan(0.25);
      expect(e.accuracy!).toBeGreaterThan(e.lexiconAccuracy!);
    }
    console.log('[sentiment] cross-domain', JSON.stringify(figures));
  }, 120_000);

  it('on shuffled labels the model finds no signal (accuracy ≈ baseline)', () => {
    const src = shuffled(all.filter((r) => A.includes(r.cat)), 11).slice(0, 2000);
    const labels = shuffled(src.map((r) => r.label), 13);
    const trainSet = src.map((r, i) => ({ text: r.text, label: labels[i]! }));
    const test = all.filter((r) => B.includes(r.cat));
    const e = evaluate(trainSet, test);
    console.log('[sentiment] shuffled labels', JSON.stringify(e));
    // Shuffled labels carry no information: the model may only be as good as guessing (±5 points).
    expect(Math.abs(e.accuracy! - 0.5)).toBeLessThan(0.06);
    expect(e.accuracy!).toBeLessThan(e.baseline! + 0.06);
  }, 120_000);
});
