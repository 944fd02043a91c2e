import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ITEMS } from './items.ts';
import {
  bankProblems, DEFAULT_ENGAGEMENT_SETTINGS as S, engagementAlerts, engagementSettings, gapPercent, indexOf, LEVELS, levelOfScore, missingItems,
  npsBand, npsOf, placeRespondent, PLACEMENT_POINTS, respondentScores, respondentWeight, rollUpAccount, seedComparison, surveyLanguage, tooThin, valueProblems,
  type Placement, type RespondentScores, type Values,
} from './rules.ts';

const scores = (o: Partial<RespondentScores>): RespondentScores => ({
  confidence: null, integrity: null, pride: null, passion: null, emotional: null, rational: null, satisfaction: null, continue: null, recommend: null, ...o,
});
const all = (v: number, rational: number | null = 8) =>
  scores({ confidence: v, integrity: v, pride: v, passion: v, emotional: v, rational, satisfaction: rational, continue: rational });

const level = fc.option(fc.double({ min: 1, max: 5, noNaN: true }), { nil: null });
const respondent = fc.record({
  confidence: level, integrity: level, pride: level, passion: level, emotional: level,
  rational: fc.option(fc.double({ min: 0, max: 10, noNaN: true }), { nil: null }),
  satisfaction: fc.constant(null), continue: fc.constant(null), recommend: fc.constant(null),
});

describe('NPS', () => {
  it('bands are 9–10 promoter, 7–8 passive, 0–6 detractor', () => {
    expect([0, 6, 7, 8, 9, 10].map(npsBand)).toEqual(['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']);
    expect(() => npsBand(11)).toThrow();
    expect(() => npsBand(7.5)).toThrow();
  });
  it('is % promoters − % detractors', () => {
    expect(npsOf([10, 9, 8, 3])).toEqual({ nps: 25, n: 4, promoters: 2, passives: 1, detractors: 1 });
    expect(npsOf([]).nps).toBeNull();
  });
  it('stays within −100 … 100 and counts every answer once (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 200 }), (xs) => {
      const r = npsOf(xs);
      expect(r.promoters + r.passives + r.detractors).toBe(xs.length);
      expect(r.nps!).toBeGreaterThanOrEqual(-100);
      expect(r.nps!).toBeLessThanOrEqual(100);
    }));
  });
});

describe('answers and the item bank', () => {
  it('the default bank is complete: three rational questions, two items per level, a free-text question, three languages', () => {
    expect(bankProblems(DEFAULT_ITEMS)).toEqual([]);
    expect(DEFAULT_ITEMS.some((i) => i.kind === 'text')).toBe(true);
    for (const i of DEFAULT_ITEMS) for (const l of ['en', 'zh-CN', 'zh-TW'] as const) expect(i.text[l].length).toBeGreaterThan(5);
  });
  it('a bank without a level or with duplicate ids is refused', () => {
    expect(bankProblems(DEFAULT_ITEMS.filter((i) => i.id !== 'pass1'))).toEqual(['Fewer than two "passion" items']);
    expect(bankProblems([...DEFAULT_ITEMS, DEFAULT_ITEMS[0]!])).toContain('Item id "sat" is used twice');
  });
  it('values must be item ids of the version and in range; "don\'t know" only on agreement items', () => {
    expect(valueProblems(DEFAULT_ITEMS, { sat: 10, conf1: 5, conf2: null, intg1: 1 })).toEqual([]);
    expect(valueProblems(DEFAULT_ITEMS, { nope: 3, sat: 11, conf1: 0, rec: null, intg1: 2.5, better: 3 }).map((p) => p.itemId)).toEqual(['nope', 'sat', 'conf1', 'rec', 'intg1', 'better']);
  });
  it('missing items exclude the free text; "don\'t know" counts as answered', () => {
    const v: Values = Object.fromEntries(DEFAULT_ITEMS.filter((i) => i.kind !== 'text').map((i) => [i.id, i.kind === 'agree5' ? null : 5]));
    expect(missingItems(DEFAULT_ITEMS, v)).toEqual([]);
    delete v.pass2;
    expect(missingItems(DEFAULT_ITEMS, v)).toEqual(['pass2']);
  });
  it('"don\'t know" is not scored: a level of only "don\'t know" has no score', () => {
    const s = respondentScores(DEFAULT_ITEMS, { conf1: 5, conf2: null, intg1: null, intg2: null, sat: 8, cont: 6, rec: 9 });
    expect(s.confidence).toBe(5);
    expect(s.integrity).toBeNull();
    expect(s.rational).toBe(7);
    expect(s.recommend).toBe(9);
  });
});

describe('placement of a respondent', () => {
  it('places the ladder: all four held = fully engaged; confidence + integrity = engaged', () => {
    expect(placeRespondent(all(5), S)).toBe('fully_engaged');
    expect(placeRespondent({ ...all(5), pride: 3, passion: 3, emotional: 4 }, S)).toBe('engaged');
    expect(placeRespondent(all(3), S)).toBe('not_engaged');
    expect(placeRespondent(all(1.5), S)).toBe('actively_disengaged');
  });
  it('passion without confidence is not engagement (the hierarchy)', () => {
    expect(placeRespondent({ ...all(5), confidence: 3, emotional: 4.5 }, S)).toBe('not_engaged');
  });
  it('broken trust is active disengagement whatever the higher levels say', () => {
    expect(placeRespondent({ ...all(5), integrity: 1.5, emotional: 4.1 }, S)).toBe('actively_disengaged');
  });
  it('rational needs unmet cap the placement at not engaged', () => {
    expect(placeRespondent(all(5, 4), S)).toBe('not_engaged');
    expect(placeRespondent(all(5, 6), S)).toBe('fully_engaged');
  });
  it('cannot be placed without confidence and integrity scores', () => {
    expect(placeRespondent(scores({ pride: 5, passion: 5, emotional: 5 }), S)).toBeNull();
  });
  it('thresholds are configurable', () => {
    expect(placeRespondent(all(3.6), S)).toBe('not_engaged');
    expect(placeRespondent(all(3.6), { ...S, agree: 3.5 })).toBe('fully_engaged');
  });
  it('raising every level score never lowers the placement (property)', () => {
    fc.assert(fc.property(respondent, fc.double({ min: 0, max: 2, noNaN: true }), (r, up) => {
      const before = placeRespondent(r, S);
      const bump = (x: number | null) => (x === null ? null : Math.min(5, x + up));
      const after = placeRespondent({ ...r, confidence: bump(r.confidence), integrity: bump(r.integrity), pride: bump(r.pride), passion: bump(r.passion), emotional: bump(r.emotional) }, S);
      if (before !== null) expect(PLACEMENT_POINTS[after!]).toBeGreaterThanOrEqual(PLACEMENT_POINTS[before]);
    }));
  });
  it('never engaged with rational needs unmet, never fully engaged unless every level holds (property)', () => {
    fc.assert(fc.property(respondent, (r) => {
      const p = placeRespondent(r, S);
      if (r.rational !== null && r.rational < S.rationalMin) expect(['not_engaged', 'actively_disengaged', null]).toContain(p);
      if (p === 'fully_engaged') for (const l of LEVELS) expect(r[l]!).toBeGreaterThanOrEqual(S.agree);
      if (p === 'engaged' || p === 'fully_engaged') expect(Math.min(r.confidence!, r.integrity!)).toBeGreaterThanOrEqual(S.agree);
    }));
  });
});

describe('account roll-up', () => {
  it('weighs a decider more than a user', () => {
    const decider = respondentWeight(['decider'], 5, S);
    const user = respondentWeight(['user'], 2, S);
    expect(decider).toBeGreaterThan(user);
    const r = rollUpAccount([
      { placement: 'fully_engaged', weight: decider, recommend: 10 },
      { placement: 'actively_disengaged', weight: user, recommend: 2 },
    ], S);
    expect(r.level).toBe('fully_engaged');
    expect(r.respondents).toBe(2);
    expect(r.nps.nps).toBe(0);
  });
  it('the heaviest role counts; outside any buying center the weight is `other`', () => {
    expect(respondentWeight(['user', 'decider'], 3, S)).toBe(3);
    expect(respondentWeight([], null, S)).toBe(1);
  });
  it('too few answers is a state, not a hidden level', () => {
    const r = rollUpAccount([{ placement: 'engaged', weight: 1, recommend: 8 }], S);
    expect(r).toMatchObject({ level: 'engaged', respondents: 1, tooFew: true });
    expect(rollUpAccount([], S)).toMatchObject({ level: null, score: null, respondents: 0, tooFew: true });
  });
  it('the level lies between the worst and the best respondent (property)', () => {
    const p = fc.constantFrom<Placement>('fully_engaged', 'engaged', 'not_engaged', 'actively_disengaged');
    fc.assert(fc.property(fc.array(fc.record({ placement: p, weight: fc.double({ min: 0.1, max: 5, noNaN: true }), recommend: fc.constant(null) }), { minLength: 1, maxLength: 30 }), (rs) => {
      const r = rollUpAccount(rs, S);
      const pts = rs.map((x) => PLACEMENT_POINTS[x.placement]);
      expect(PLACEMENT_POINTS[r.level!]).toBeGreaterThanOrEqual(Math.min(...pts));
      expect(PLACEMENT_POINTS[r.level!]).toBeLessThanOrEqual(Math.max(...pts));
      expect(levelOfScore(r.score!)).toBe(r.level);
    }));
  });
});

describe('alerts', () => {
  it('a key or development account dropping a level or losing npsDrop NPS points raises an alert', () => {
    expect(engagementAlerts({ level: 'engaged', nps: 50 }, { level: 'not_engaged', nps: 50 }, 'key', S)).toEqual(['engagement_level_drop']);
    expect(engagementAlerts({ level: 'engaged', nps: 50 }, { level: 'engaged', nps: 30 }, 'development', S)).toEqual(['nps_drop']);
    expect(engagementAlerts({ level: 'engaged', nps: 50 }, { level: 'engaged', nps: 31 }, 'development', S)).toEqual([]);
    expect(engagementAlerts({ level: 'engaged', nps: 50 }, { level: 'engaged', nps: 31 }, 'key', { npsDrop: 10 })).toEqual(['nps_drop']);
  });
  it('maintenance and opportunity accounts, rises and first measurements raise nothing', () => {
    expect(engagementAlerts({ level: 'engaged', nps: 50 }, { level: 'actively_disengaged', nps: -100 }, 'maintenance', S)).toEqual([]);
    expect(engagementAlerts({ level: 'not_engaged', nps: 0 }, { level: 'engaged', nps: 60 }, 'key', S)).toEqual([]);
    expect(engagementAlerts(null, { level: 'actively_disengaged', nps: -100 }, 'key', S)).toEqual([]);
  });
});

describe('settings, index and thin data', () => {
  it('reads stored settings, falling back to defaults for missing or absurd values', () => {
    expect(engagementSettings(undefined)).toEqual(S);
    expect(engagementSettings({ agree: 3.5, npsDrop: 10, minRespondents: 'x', disagree: 4 })).toMatchObject({ agree: 4, disagree: 2, npsDrop: 10, minRespondents: 2 });
  });
  it('index = level average ÷ organization average × 100; gap in % of the disengaged', () => {
    expect(indexOf(0.246, 0.2)).toBe(123);
    expect(indexOf(0.1, 0)).toBeNull();
    expect(gapPercent(1.23, 0.87)).toBe(41.4);
  });
  it('is too thin without both ends of the scale or with few accounts', () => {
    expect(tooThin({ fully_engaged: 10, engaged: 20, not_engaged: 20, actively_disengaged: 10 })).toBe(false);
    expect(tooThin({ fully_engaged: 2, engaged: 40, not_engaged: 40, actively_disengaged: 10 })).toBe(true);
    expect(tooThin({ fully_engaged: 5, engaged: 5, not_engaged: 5, actively_disengaged: 5 })).toBe(true);
  });
  it('maps a contact language to a survey language', () => {
    expect(['zh', 'zh-CN', 'zh_TW', 'zh-Hant', 'en-GB', 'de', null].map((l) => surveyLanguage(l, 'en'))).toEqual(['zh-CN', 'zh-CN', 'zh-TW', 'zh-TW', 'en', 'en', 'en']);
  });
});

describe('our data beside the seed', () => {
  const cell = fc.record({ index: fc.option(fc.double({ min: 0, max: 400, noNaN: true }), { nil: null }), thin: fc.boolean() });
  it('gives a reading only with enough answers, and says opposite whenever the disengaged do at least as well', () => {
    fc.assert(fc.property(cell, cell, fc.boolean(), (f, d, thin) => {
      const r = seedComparison(f, d, thin);
      if (thin || f.thin || d.thin || f.index === null || d.index === null) expect(r.verdict).toBeNull();
      else if (r.fullyVsAverage! <= r.disengagedVsAverage!) expect(r.verdict).toBe('opposite');
      else expect(r.verdict).toBe(r.fullyVsAverage! > 0 && r.disengagedVsAverage! < 0 ? 'as_seed' : 'mixed');
      if (f.index !== null) expect(r.fullyVsAverage).toBeCloseTo(f.index - 100, 1);
    }));
    expect(seedComparison({ index: 123, thin: false }, { index: 87, thin: false }, false)).toEqual({ fullyVsAverage: 23, disengagedVsAverage: -13, verdict: 'as_seed' });
    expect(seedComparison({ index: 123, thin: false }, { index: 87, thin: true }, false).verdict).toBeNull();
  });
});
