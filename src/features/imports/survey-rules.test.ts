/** The survey-answer import's cell and row rules (entity survey_answers): property tests over odd real-world cells. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildVocabLookup, makeRowValidator, parseScale, resolveColumns, suggestMapping, surveyRowScores } from './rules.ts';
import { SURVEY_LEVEL_FIELDS } from './fields.ts';
import { DEFAULT_ITEMS } from '../surveys/items.ts';
import { respondentScores, type Values } from '../surveys/rules.ts';

const ctx = { vocab: buildVocabLookup([]), baseCurrency: 'CNY' };
const TEN = { min: 0, max: 10, dontKnow: false };
const FIVE = { min: 1, max: 5, dontKnow: true };
const fullWidth = (s: string) => s.replace(/[0-9.]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('parseScale', () => {
  it('reads every whole number of the scale however it is written: 7, " 7 ", 7.0, ７, "7 - label"', () => {
    fc.assert(fc.property(fc.boolean(), fc.integer({ min: 0, max: 10 }), fc.constantFrom('', ' ', '\t'), fc.constantFrom('', '.0', '.00', ',0'), fc.boolean(), fc.constantFrom('', ' - Extremely likely', '分', '（同意）'),
      (five, n0, pad, frac, wide, label) => {
        const type = five ? FIVE : TEN;
        const n = five ? 1 + (n0 % 5) : n0;
        const text = `${pad}${wide ? fullWidth(`${n}${frac}`) : `${n}${frac}`}${label}${pad}`;
        expect(parseScale(text, type)).toEqual({ ok: true, value: String(n) });
      }));
  });

  it('refuses numbers outside the scale and fractions, with the reason', () => {
    fc.assert(fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
      const r = parseScale(String(n), FIVE);
      expect(r.ok).toBe(n >= 1 && n <= 5);
      if (!r.ok) expect(r.message).toMatch(n < 0 ? /not a whole number from 1 to 5/ : /outside 1–5/);
    }));
    fc.assert(fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (i, d) => {
      const r = parseScale(`${i}.${d}`, TEN);
      expect(r).toEqual({ ok: false, message: expect.stringContaining('is not a whole number') });
    }));
  });

  it('"don\'t know" cells are answered-not-scored on agreement items and no answer on 0–10', () => {
    for (const dk of ['N/A', 'n/a', 'NA', "Don't know", 'DK', '不知道', '不清楚', '不適用', '-', 'ｎ／ａ']) {
      expect(parseScale(dk, FIVE), dk).toEqual({ ok: true, value: 'dk' });
      expect(parseScale(dk, TEN), dk).toEqual({ ok: true, value: '' });
    }
    expect(parseScale('Strongly agree', FIVE)).toEqual({ ok: true, value: '5' });
    expect(parseScale('非常不同意', FIVE)).toEqual({ ok: true, value: '1' });
    expect(parseScale('Strongly agree', TEN).ok).toBe(false);
  });

  it('never throws, whatever the cell', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.boolean(), (s, five) => {
      const r = parseScale(s, five ? FIVE : TEN);
      if (r.ok) expect(r.value === '' || r.value === 'dk' || /^\d+$/.test(r.value)).toBe(true);
    }));
  });
});

describe('survey rows', () => {
  const headers = ['Email', 'Submitted', 'NPS', ...SURVEY_LEVEL_FIELDS.map((f) => f.key)];
  const mapping = suggestMapping('survey_answers', headers);
  const keys = resolveColumns('survey_answers', headers, mapping).map((c) => c.key);
  const validate = makeRowValidator('survey_answers', ctx, keys);

  it('suggests the columns of other tools and Chinese files', () => {
    expect(suggestMapping('survey_answers', ['E-mail', 'Date submitted', 'Likelihood to recommend', 'Confidence 1', '信心2', '誠信1', 'Response ID', '意见', 'Company'])).toEqual({
      'E-mail': 'contact_email', 'Date submitted': 'answered_at', 'Likelihood to recommend': 'recommend', 'Confidence 1': 'confidence_1', 信心2: 'confidence_2', 誠信1: 'integrity_1',
      'Response ID': 'external_id', 意见: 'comment', Company: 'account',
    });
  });

  it('a row scores like an answer given in Accord: placement from the same rules, blank cells are no answer', () => {
    const cell = fc.oneof(fc.constant(''), fc.constant('不知道'), fc.integer({ min: 1, max: 5 }).map(String));
    fc.assert(fc.property(fc.array(cell, { minLength: SURVEY_LEVEL_FIELDS.length, maxLength: SURVEY_LEVEL_FIELDS.length }), fc.integer({ min: 0, max: 10 }), (cells, nps) => {
      const input = Object.fromEntries([['contact_email', 'a@b.cn'], ['answered_at', '2026-10-01'], ['recommend', String(nps)], ...SURVEY_LEVEL_FIELDS.map((f, i) => [f.key, cells[i]!])]);
      const r = validate(input);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const { values, scores } = surveyRowScores(r.values);
      expect(values.recommend).toBe(nps);
      SURVEY_LEVEL_FIELDS.forEach((f, i) => expect(values[f.key]).toBe(cells[i] === '' ? undefined : cells[i] === '不知道' ? null : Number(cells[i])));
      const conf = cells.slice(0, 4).filter((c) => /^\d$/.test(c)).map(Number);
      expect(scores.confidence).toBe(conf.length ? Math.round((conf.reduce((a, b) => a + b, 0) / conf.length) * 100) / 100 : null);
      expect(r.values.sc_confidence).toBe(scores.confidence === null ? null : String(scores.confidence));
    }));
  });

  it('a row needs someone, a moment and a score', () => {
    expect(validate({ contact_email: 'a@b.cn', answered_at: '2026-10-01', recommend: '' })).toMatchObject({ ok: false, errors: [{ field: 'recommend', message: expect.stringContaining('no answer') }] });
    expect(validate({ contact_email: 'a@b.cn', answered_at: '', recommend: '9' })).toMatchObject({ ok: false, errors: [{ field: 'answered_at', message: 'required' }] });
    expect(validate({ contact_email: '', answered_at: '2026-10-01', recommend: '9' })).toMatchObject({ ok: false, errors: [{ field: 'contact_email' }] });
  });
});

describe('item columns mapped to a questionnaire (item.<id>)', () => {
  const items = DEFAULT_ITEMS;
  const scored = items.filter((i) => i.kind !== 'text');
  const answer = fc.record(Object.fromEntries(scored.map((i) => [i.id, fc.option(i.kind === 'agree5' ? fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }) : fc.integer({ min: 0, max: 10 }), { nil: undefined })])) as Record<string, fc.Arbitrary<number | null | undefined>>);

  it('scores a row exactly as respondentScores scores the same answers given through a link (property)', () => {
    fc.assert(fc.property(answer, (a) => {
      const values = Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Values;
      const staged = Object.fromEntries(Object.entries(values).map(([id, v]) => [`item.${id}`, v === null ? 'dk' : String(v)]));
      const got = surveyRowScores(staged, items);
      expect(got.values).toEqual(values);
      expect(got.scores).toEqual(respondentScores(items, values));
    }));
  });

  it('the fixed 0–10 columns answer the role\'s item only where no item column did; item values are checked on their own scale', () => {
    expect(surveyRowScores({ recommend: '3', satisfaction: '7' }, items).values).toEqual({ rec: 3, sat: 7 });
    expect(surveyRowScores({ recommend: '3', 'item.rec': '9' }, items).values).toEqual({ rec: 9 });
    const validate = makeRowValidator('survey_answers', { ...ctx, surveyItems: items }, ['contact_email', 'answered_at', 'item.conf1', 'item.rec']);
    const bad = validate({ contact_email: 'a@b.cn', answered_at: '2026-01-01', 'item.conf1': '0', 'item.rec': '11' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.field).sort()).toEqual(['item.conf1', 'item.rec']);
    const good = validate({ contact_email: 'a@b.cn', answered_at: '2026-01-01', 'item.conf1': '不知道', 'item.rec': '１０' });
    expect(good.ok && JSON.parse(String(good.values.answers))).toEqual({ conf1: null, rec: 10 });
  });

  it('suggests items by export header, id or wording in any language; with a survey, never the fixed level slots', () => {
    const zh = items.find((i) => i.id === 'conf2')!.text['zh-TW'];
    const m = suggestMapping('survey_answers', ['item.conf1', zh, 'pass1', 'Confidence 3'], [], items, true);
    expect(m).toEqual({ 'item.conf1': 'item.conf1', [zh]: 'item.conf2', pass1: 'item.pass1' });
    expect(suggestMapping('survey_answers', ['Confidence 3'], [], items, false)).toEqual({ 'Confidence 3': 'confidence_3' });
    expect(() => resolveColumns('survey_answers', ['Email', 'c3'], { Email: 'contact_email', c3: 'confidence_3' }, { surveyItems: items, inSurvey: true })).toThrow(/item/);
    expect(() => resolveColumns('survey_answers', ['Email', 'x'], { Email: 'contact_email', x: 'item.nope' }, { surveyItems: items })).toThrow(/not a field/);
  });
});
