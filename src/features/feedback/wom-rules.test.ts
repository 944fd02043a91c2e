import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lexiconPolarity } from './sentiment.ts';
import { cleanKeywords, clauses, freeSlot, MAX_POINTS, mentions, pointTerms, suggestPoints, type Polarity } from './wom-rules.ts';

const lex = (c: string): Polarity => lexiconPolarity(c).label;
const P = (id: string, name: string, keywords: string[] = []) => ({ id, name, keywords });

describe('word-of-mouth points', () => {
  it('property: freeSlot gives the lowest free slot of three, null when all three are taken', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: MAX_POINTS }), { maxLength: 3 }), (taken) => {
      const s = freeSlot(taken);
      if (taken.length === MAX_POINTS) return s === null;
      return s !== null && !taken.includes(s) && s >= 1 && s <= MAX_POINTS && [...Array(s - 1).keys()].every((i) => taken.includes(i + 1));
    }));
  });

  it('splits clauses at punctuation and contrast words, in Chinese and English', () => {
    expect(clauses('The light is even, but the driver died.')).toEqual(['the light is even', 'the driver died']);
    expect(clauses('光线很均匀，但是驱动电源坏了。交期也慢')).toEqual(['光线很均匀', '驱动电源坏了', '交期也慢']);
    expect(clauses('Delivery was fast however the lens was scratched')).toEqual(['delivery was fast', 'the lens was scratched']);
    expect(clauses('   ')).toEqual([]);
  });

  it('matches Chinese by substring and other scripts at a word start', () => {
    expect(mentions('驱动电源寿命很长', '寿命')).toBe(true);
    expect(mentions('fast delivery', 'deliver')).toBe(true);
    expect(mentions('redelivery needed', 'deliver')).toBe(false);
    expect(pointTerms(P('a', ' Delivery Time ', ['delivery time', 'x', '交期', '']))).toEqual(['delivery time', '交期']);
  });

  it('suggests each mentioned point with the stance of its own clause; falls back to the overall sentiment', () => {
    const points = [P('life', 'Driver lifetime', ['failed', '寿命', '故障']), P('del', 'Delivery', ['交期', 'on time']), P('heat', 'Heat', ['发热'])];
    expect(suggestPoints('Delivery was fast and on time, but the driver failed after two weeks, terrible.', points, lex, null)).toEqual([
      { pointId: 'life', stance: 'criticism' },
      { pointId: 'del', stance: 'praise' },
    ]);
    expect(suggestPoints('驱动电源寿命很长，非常满意', points, lex, null)).toEqual([{ pointId: 'life', stance: 'praise' }]);
    // No opinion words in the clause: the feedback's own sentiment decides.
    expect(suggestPoints('关于交期', points, lex, 'negative')).toEqual([{ pointId: 'del', stance: 'criticism' }]);
    expect(suggestPoints('关于交期', points, lex, null)).toEqual([{ pointId: 'del', stance: 'neutral' }]);
    expect(suggestPoints('Nothing relevant here.', points, lex, 'positive')).toEqual([]);
  });

  it('property: only points whose terms occur are suggested, each at most once, in the order of the points', () => {
    const word = fc.constantFrom('交期', '寿命', '发热', 'delivery', 'lifetime', 'heat', '很好', 'bad', '，', '. ', ' but ');
    fc.assert(fc.property(fc.array(word, { maxLength: 12 }), fc.constantFrom<Polarity>('positive', 'negative', 'neutral', null), (words, overall) => {
      const text = words.join('');
      const points = [P('1', 'Delivery', ['交期']), P('2', 'Lifetime', ['寿命']), P('3', 'Heat', ['发热'])];
      const got = suggestPoints(text, points, lex, overall);
      const ids = got.map((g) => g.pointId);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(ids);
      for (const p of points) {
        const present = pointTerms(p).some((term) => clauses(text).some((c) => mentions(c, term)));
        expect(ids.includes(p.id)).toBe(present);
      }
    }));
  });

  it('property: cleanKeywords trims, drops empties and case-insensitive repeats, keeps the first spelling and order', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 8 }), { maxLength: 10 }), (list) => {
      const out = cleanKeywords(list);
      expect(out.every((k) => k === k.trim() && k.length > 0)).toBe(true);
      expect(new Set(out.map((k) => k.normalize('NFKC').toLowerCase().replace(/\s+/g, ' '))).size).toBe(out.length);
      expect(cleanKeywords(out)).toEqual(out);
    }));
  });
});
