import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitWinModel } from './commands.ts';
import type { ExampleRow } from './queries.ts';
import {
  buildProfile, calibration, changeSettings, DEFAULT_SETTINGS, evaluationSettings, fitFromWeightSum, investmentPosture, isHeldOut, isPriceDriven, judgeFeature, pairedBrierBootstrap, portfolioType,
  percentages, predictLogistic, profileWeights, sameReasons, scoreOpenDeal, sizeBand, stageBaseRates, suggestNeedTypes, tierFor, trainLogistic, trainLogisticSteps,
  WIN_FEATURES, type OpenDealFeatures, type WinModelTerms,
} from './rules.ts';
import { STAGES } from './test-helpers.ts';

describe('ideal customer profile', () => {
  const counts = [
    { attribute: 'needType', value: 'brand_owner', won: 8, base: 20 },
    { attribute: 'needType', value: 'importer', won: 2, base: 60 },
    { attribute: 'needType', value: 'designer', won: 0, base: 20 },
    { attribute: 'country', value: 'DE', won: 5, base: 50 },
    { attribute: 'country', value: 'US', won: 5, base: 50 },
  ];
  const p = buildProfile(counts, { won: 10, base: 100 });

  it('puts values over-represented among won accounts first, with lift > 1 and a readable reason', () => {
    const need = p.attributes.find((a) => a.attribute === 'needType')!;
    expect(need.entries.map((e) => e.value)).toEqual(['brand_owner', 'importer', 'designer']);
    const bo = need.entries[0]!;
    expect(bo.lift).toBeGreaterThan(2);
    expect(bo.weight).toBeGreaterThan(0);
    expect(bo.separates).toBe(true);
    expect(bo.label).toMatch(/^need type = brand owner: \d+\.\d× as common among the best accounts$/);
    // 0 of 10 best against 20 of 90 others is within chance (|z| < 3): shown, but it moves no fit.
    const designer = need.entries.find((e) => e.value === 'designer')!;
    expect(designer.lift).toBeLessThan(1);
    expect(designer.separates).toBe(false);
    expect(designer.weight).toBe(0);
    expect(p.separates).toBe(true);
    expect(p.statement).toBeNull();
  });

  it('gives equal lift (and equal, zero weight) to tied values, ordered stably', () => {
    const c = p.attributes.find((a) => a.attribute === 'country')!;
    expect(c.entries.map((e) => e.value)).toEqual(['DE', 'US']);
    expect(c.entries[0]!.lift).toBeCloseTo(1, 10);
    expect(c.entries[0]!.weight).toBeCloseTo(0, 10);
    expect(profileWeights(p).some((w) => w.a === 'country')).toBe(false);
  });

  it('is neutral with no won accounts: nothing moves the fit score, and it says so', () => {
    const empty = buildProfile([{ attribute: 'needType', value: 'importer', won: 0, base: 10 }], { won: 0, base: 10 });
    expect(empty.attributes[0]!.entries[0]!.weight).toBe(0);
    expect(empty).toMatchObject({ separates: false, statement: 'No attribute separates your won accounts from the others yet' });
    expect(profileWeights(empty)).toEqual([]);
    expect(buildProfile([], { won: 0, base: 0 }).attributes).toEqual([]);
  });

  it('learns softly from a single won account: it leans, but does not dominate', () => {
    const one = buildProfile(
      [
        { attribute: 'needType', value: 'designer', won: 1, base: 5 },
        { attribute: 'needType', value: 'importer', won: 0, base: 95 },
      ],
      { won: 1, base: 100 },
    );
    const [designer, importer] = one.attributes[0]!.entries;
    expect(designer!.value).toBe('designer');
    expect(designer!.weight).toBeGreaterThan(0);
    expect(designer!.weight).toBeLessThan(1.5);
    expect(importer!.weight).toBeLessThan(0);
    expect(fitFromWeightSum(designer!.weight)).toBeGreaterThan(50);
    expect(fitFromWeightSum(designer!.weight)).toBeLessThan(85);
  });

  it('keeps shares summing to 1 per attribute and fit in 0–100 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(50), fc.nat(200)), { minLength: 1, maxLength: 8 }), (pairs) => {
        const cs = pairs.map(([w, b], i) => ({ attribute: 'industry', value: `v${i}`, won: Math.min(w, b + 1), base: b + 1 }));
        const won = cs.reduce((s, c) => s + c.won, 0);
        const prof = buildProfile(cs, { won, base: cs.reduce((s, c) => s + c.base, 0) });
        const e = prof.attributes[0]!.entries;
        expect(e.reduce((s, x) => s + x.wonShare, 0)).toBeCloseTo(1, 9);
        expect(e.reduce((s, x) => s + x.baseShare, 0)).toBeCloseTo(1, 9);
        for (const x of e) {
          const f = fitFromWeightSum(x.weight);
          expect(f).toBeGreaterThanOrEqual(0);
          expect(f).toBeLessThanOrEqual(100);
        }
      }),
    );
  });

  it('bands employee counts', () => {
    expect([null, 0, 9, 10, 49, 50, 999, 1000, 50000].map(sizeBand)).toEqual([null, '1-9', '1-9', '10-49', '10-49', '50-249', '250-999', '1000+', '1000+']);
  });
});

describe('win model', () => {
  it('learns the direction of a signal and is deterministic', () => {
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const x = (i % 20) / 20;
      rows.push([x, (i * 7) % 13]);
      y.push(((i * 2654435761) >>> 0) % 1000 < x * 1000 ? 1 : 0);
    }
    const m1 = trainLogistic(rows, y, { l2: 1 });
    const m2 = trainLogistic(rows, y, { l2: 1 });
    expect(m1).toEqual(m2);
    expect(m1.coef[0]).toBeGreaterThan(0.5);
    expect(Math.abs(m1.coef[1]!)).toBeLessThan(0.3);
    expect(predictLogistic(m1, [0.9, 3])).toBeGreaterThan(predictLogistic(m1, [0.1, 3]));
    // The stepwise form pauses between Newton steps and ends with exactly the same model.
    const steps = trainLogisticSteps(rows, y, { l2: 1 });
    let pauses = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) pauses++;
    expect(pauses).toBeGreaterThan(1);
    expect(r.value).toEqual(m1);
  });

  it('reaches the optimum: the penalized gradient vanishes', () => {
    const rows = Array.from({ length: 300 }, (_, i) => [(i % 17) / 17, ((i * 7) % 11) / 11]);
    const y = rows.map(([a, b], i) => (((i * 2654435761) >>> 0) % 100 < 100 * (0.2 + 0.5 * a! + 0.2 * b!) ? 1 : 0));
    const m = trainLogistic(rows, y, { l2: 2 });
    const grad = [0, 0, 0];
    rows.forEach((r, i) => {
      const z = r.map((v, j) => (v - m.mean[j]!) / m.sd[j]!);
      const err = predictLogistic(m, r) - y[i]!;
      grad[0]! += err;
      z.forEach((v, j) => (grad[j + 1]! += err * v));
    });
    m.coef.forEach((c, j) => (grad[j + 1]! += 2 * c));
    for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-6);
  });

  it('shrinks coefficients as the L2 penalty grows', () => {
    const rows = Array.from({ length: 60 }, (_, i) => [i % 2, i]);
    const y = rows.map(([a]) => a!);
    const weak = trainLogistic(rows, y, { l2: 0.1 });
    const strong = trainLogistic(rows, y, { l2: 50 });
    expect(Math.abs(strong.coef[0]!)).toBeLessThan(Math.abs(weak.coef[0]!));
  });

  it('handles an empty training set and constant features', () => {
    const m = trainLogistic([], [], { features: ['a'] });
    expect(m.coef).toEqual([0]);
    const c = trainLogistic([[1], [1], [1], [1]], [1, 0, 1, 1]);
    expect(c.coef[0]).toBe(0);
    expect(predictLogistic(c, [1])).toBeGreaterThan(0.5);
  });

  it('reports calibration: reliability bins and Brier against the base-rate baseline', () => {
    const c = calibration([0.05, 0.15, 0.95, 0.85, 0.5], [0, 0, 1, 1, 1]);
    expect(c.count).toBe(5);
    expect(c.positives).toBe(3);
    expect(c.brier!).toBeLessThan(c.brierBaseline!);
    expect(c.bins).toHaveLength(10);
    expect(c.bins[9]).toMatchObject({ count: 1, observedRate: 1 });
    expect(c.bins[0]).toMatchObject({ count: 1, observedRate: 0 });
    expect(calibration([], []).brier).toBeNull();
  });

  it('splits by deal id deterministically, close to the asked share', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `0190-${i.toString(16).padStart(8, '0')}`);
    const held = ids.filter((id) => isHeldOut(id, 0.25)).length;
    expect(held / ids.length).toBeGreaterThan(0.2);
    expect(held / ids.length).toBeLessThan(0.3);
    expect(ids.filter((id) => isHeldOut(id, 0.25))).toEqual(ids.filter((id) => isHeldOut(id, 0.25)));
    expect(isHeldOut('x', 0)).toBe(false);
  });

  it('uses stage priors when a stage has no history', () => {
    const r = stageBaseRates([], STAGES);
    expect(r.recognition_of_needs).toBeLessThan(r.decision!);
    const r2 = stageBaseRates(Array.from({ length: 100 }, (_, i) => ({ stage: 'decision', won: i < 90 })), STAGES);
    expect(r2.decision).toBeGreaterThan(0.85);
  });

  const row = (i: number, won: boolean, stage = 'decision'): ExampleRow => ({
    // Fit overlaps between won and lost: a fit that split them perfectly would be dropped as a leak.
    deal_id: `deal-${i}`, won, stage, stage_rank: 4, days: 10 + (i % 7), fit: (won ? 55 : 40) + (i % 20), coverage: 0, engagement: i % 5, amount: 1000 * (1 + (i % 3)),
  });

  it('falls back to stage base rates with empty history, and says why', async () => {
    const w = await fitWinModel([], STAGES, DEFAULT_SETTINGS);
    expect(w.kind).toBe('win_stage_base');
    expect(w.reason).toMatch(/0 won, 0 lost/);
    expect(w.metrics.calibration.count).toBe(0);
  });

  it('falls back with a single won deal', async () => {
    const w = await fitWinModel([row(1, true)], STAGES, DEFAULT_SETTINGS);
    expect(w.kind).toBe('win_stage_base');
    expect(w.metrics.wonDeals).toBe(1);
  });

  it('learns a logistic model from 30 won and 30 lost, with a held-out calibration', async () => {
    const rows = [...Array.from({ length: 40 }, (_, i) => row(i, true)), ...Array.from({ length: 40 }, (_, i) => row(100 + i, false))];
    const w = await fitWinModel(rows, STAGES, DEFAULT_SETTINGS);
    expect(w.kind).toBe('win_logistic');
    expect(w.metrics.testDeals).toBeGreaterThan(5);
    expect(w.metrics.calibration.count).toBe(w.metrics.testExamples);
    if (w.kind === 'win_logistic') expect(w.model.terms.find((t) => t.feature === 'fit')!.coef).toBeGreaterThan(0);
  });
});

describe('scoring an open deal', () => {
  const term = (feature: string, coef: number, mean = 0, sd = 1) => ({ feature, coef, mean, sd });
  const deal: OpenDealFeatures = { stage: 'evaluation_of_options', stageRank: 3, daysInStage: 9.6, fit: 71.4, coverage: 40, engagement: 6, amount: 50_000 };

  it('adds coef × standardized value per feature and names the three largest contributions', () => {
    const m: WinModelTerms = {
      intercept: -0.2,
      terms: [
        term('stageRank', 0.8, 2, 2), // +0.4
        term('logDaysInStage', -0.5, Math.log1p(9.6) - 1, 1), // −0.5
        term('fit', 0.02, 50, 1), // +0.428
        term('coverage', 0.01, 40, 10), // 0: left out
        term('engagement', 0.1, 2, 1), // +0.4 (ties with stage; stage is listed first)
        term('logAmount', 0.0001, 0, 1), // ~0.001: says nothing, left out
      ],
    };
    const s = scoreOpenDeal(m, deal);
    const z = -0.2 + 0.4 - 0.5 + 0.428 + 0 + 0.4 + 0.0001 * Math.log1p(50_000);
    expect(s.p).toBe(Math.round((1 / (1 + Math.exp(-z))) * 1e4) / 1e4);
    expect(s.reasons).toEqual([
      { feature: 'daysInStage', label: '10 days in this stage', weight: -0.5 },
      { feature: 'fit', label: 'fit 71', weight: 0.428 },
      { feature: 'stage', label: 'stage evaluation of options', weight: 0.4 },
    ]);
  });

  it('leaves out features the model does not have and rounds weights half away from zero', () => {
    const s = scoreOpenDeal({ intercept: 0, terms: [term('coverage', -0.0125, 0, 1)] }, { ...deal, coverage: 1 });
    expect(s.reasons).toEqual([{ feature: 'coverage', label: 'buying-center coverage 1 %', weight: -0.013 }]);
    expect(s.p).toBe(0.4969);
    expect(scoreOpenDeal({ intercept: 0, terms: [] }, deal)).toEqual({ p: 0.5, reasons: [] });
  });

  it('gives a probability in [0, 1] and at most three reasons, largest first, for any model and deal', () => {
    const num = fc.double({ min: -1e3, max: 1e3, noNaN: true });
    fc.assert(
      fc.property(
        num,
        fc.array(fc.tuple(num, num, fc.double({ min: 0.01, max: 100, noNaN: true })), { minLength: 6, maxLength: 6 }),
        fc.record({ stageRank: fc.integer({ min: 1, max: 5 }), daysInStage: fc.double({ min: 0, max: 5000, noNaN: true }), fit: fc.double({ min: 0, max: 100, noNaN: true }),
          coverage: fc.double({ min: 0, max: 100, noNaN: true }), engagement: fc.nat(500), amount: fc.double({ min: 0, max: 1e9, noNaN: true }) }),
        (intercept, coefs, d) => {
          const m = { intercept, terms: WIN_FEATURES.map((f, j) => term(f, coefs[j]![0], coefs[j]![1], coefs[j]![2])) };
          const s = scoreOpenDeal(m, { stage: 'decision', ...d });
          expect(s.p).toBeGreaterThanOrEqual(0);
          expect(s.p).toBeLessThanOrEqual(1);
          expect(s.reasons.length).toBeLessThanOrEqual(3);
          for (let i = 1; i < s.reasons.length; i++) expect(Math.abs(s.reasons[i - 1]!.weight)).toBeGreaterThanOrEqual(Math.abs(s.reasons[i]!.weight));
          expect(sameReasons(JSON.parse(JSON.stringify(s.reasons)), s.reasons)).toBe(true);
        },
      ),
    );
  });

  it('tells stored reasons that differ from new ones', () => {
    const r = [{ feature: 'fit', label: 'fit 71', weight: 0.4 }];
    expect(sameReasons(null, r)).toBe(false);
    expect(sameReasons([], r)).toBe(false);
    expect(sameReasons([{ ...r[0]!, weight: 0.41 }], r)).toBe(false);
    expect(sameReasons([{ ...r[0]!, label: 'fit 72' }], r)).toBe(false);
    expect(sameReasons(r.map((x) => ({ ...x })), r)).toBe(true);
  });
});

describe('classification', () => {
  const s = DEFAULT_SETTINGS;
  it('places accounts in the four quadrants; a threshold counts as high', () => {
    expect(portfolioType(80, 80, s)).toBe('key');
    expect(portfolioType(80, 10, s)).toBe('development');
    expect(portfolioType(10, 80, s)).toBe('maintenance');
    expect(portfolioType(10, 10, s)).toBe('opportunity');
    expect(portfolioType(50, 50, s)).toBe('key');
    expect(portfolioType(49.9, 50, s)).toBe('maintenance');
  });

  it('gives each type its posture; an opportunity splits on price', () => {
    expect(investmentPosture('key', true)).toBe('strategic_partnership');
    expect(investmentPosture('development', false)).toBe('invest_while_profitable');
    expect(investmentPosture('maintenance', false)).toBe('build_loyalty');
    expect(investmentPosture('opportunity', false)).toBe('keep_in_touch');
    expect(investmentPosture('opportunity', true)).toBe('minimal_effort');
  });

  it('flags price-driven accounts by orientation or by losses on price', () => {
    expect(isPriceDriven('price', 0, 0)).toBe(true);
    expect(isPriceDriven('quality', 5, 5)).toBe(false);
    expect(isPriceDriven(null, 2, 1)).toBe(true);
    expect(isPriceDriven(null, 1, 1)).toBe(false);
    expect(isPriceDriven('balanced', 4, 1)).toBe(false);
  });

  it('tiers by size percentile; unknown size is C', () => {
    expect(tierFor(0.95, s.tierCuts)).toBe('A');
    expect(tierFor(0.8, s.tierCuts)).toBe('A');
    expect(tierFor(0.6, s.tierCuts)).toBe('B');
    expect(tierFor(0.1, s.tierCuts)).toBe('C');
    expect(tierFor(null, s.tierCuts)).toBe('C');
  });

  it('reads organization settings, ignoring malformed values', () => {
    const e = evaluationSettings({ evaluation: { attractivenessThreshold: 60, relationshipThreshold: 'x', tierCuts: { a: 0.9, b: 0.95 }, relationshipWeights: { shareOfWallet: 1, supplierStatus: 0, engagement: 0 } } });
    expect(e.attractivenessThreshold).toBe(60);
    expect(e.relationshipThreshold).toBe(50);
    expect(e.tierCuts).toEqual({ a: 0.9, b: 0.9 });
    expect(e.relationshipWeights).toEqual({ shareOfWallet: 1, supplierStatus: 0, engagement: 0 });
    expect(evaluationSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(evaluationSettings({ evaluation: { attractivenessWeights: { fit: 0, potential: 0, profitability: 0 } } }).attractivenessWeights).toEqual(DEFAULT_SETTINGS.attractivenessWeights);
  });

  it('suggests need types from interaction text and fields, best first', () => {
    const known = ['importer', 'brand_owner', 'designer', 'engineering_contractor', 'distributor', 'end_user'];
    const s1 = suggestNeedTypes(['Tender for the airport project: bill of quantities attached', '招标文件已发送'], { industry: 'construction' }, known);
    expect(s1[0]!.needType).toBe('engineering_contractor');
    expect(s1[0]!.evidence.join(' ')).toMatch(/tender/);
    const s2 = suggestNeedTypes(['Please send your price list and FOB lead time for one container'], {}, known);
    expect(s2[0]!.needType).toBe('importer');
    expect(suggestNeedTypes([], {}, known)).toEqual([]);
    expect(suggestNeedTypes(['tender'], {}, ['importer'])).toEqual([]);
  });
});

describe('changing the settings', () => {
  it('merges a change, tier cuts one at a time, and shows weights as percentages of their sum', () => {
    const { settings, problems } = changeSettings(DEFAULT_SETTINGS, { attractivenessThreshold: 70, relationshipWeights: { shareOfWallet: 1, supplierStatus: 1, engagement: 2 }, tierCuts: { b: 0.3 } });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ attractivenessThreshold: 70, relationshipThreshold: 50, tierCuts: { a: 0.8, b: 0.3 } });
    expect(settings.relationshipWeights).toEqual({ shareOfWallet: 25, supplierStatus: 25, engagement: 50 });
    expect(settings.attractivenessWeights).toEqual({ fit: 60, potential: 25, profitability: 15 });
    // Read back, the stored percentages score exactly as the defaults' fractions do.
    expect(evaluationSettings({ evaluation: settings }).attractivenessWeights).toEqual(DEFAULT_SETTINGS.attractivenessWeights);
  });

  it('names what does not fit together', () => {
    expect(changeSettings(DEFAULT_SETTINGS, { attractivenessWeights: { fit: 0, potential: 0, profitability: 0 }, tierCuts: { a: 0.4 } }).problems.map((p) => p.path)).toEqual(['attractivenessWeights', 'tierCuts.b']);
    expect(changeSettings(DEFAULT_SETTINGS, { tierCuts: { a: 0.5, b: 0.5 } }).problems).toEqual([]);
  });

  it('percentages keep the weights in proportion and add up to 100 (property)', () => {
    const w = fc.integer({ min: 0, max: 100 });
    fc.assert(
      fc.property(fc.record({ x: w, y: w, z: w }).filter((r) => r.x + r.y + r.z > 0), (r) => {
        const p = percentages(r);
        expect(Math.abs(p.x + p.y + p.z - 100)).toBeLessThanOrEqual(0.015);
        const total = r.x + r.y + r.z;
        for (const k of ['x', 'y', 'z'] as const) expect(Math.abs(p[k] - (r[k] / total) * 100)).toBeLessThanOrEqual(0.005 + 1e-9);
      }),
    );
  });
});

describe('judgeFeature: a value missing on one outcome only was filled in after it', () => {
  const base = { feature: 'logAmount' as const, heldOutAuc: 0.6, separatesPerfectly: false };
  it('drops a feature unset on a large share more of one outcome, or on a real share of one and (almost) none of the other', () => {
    expect(judgeFeature({ ...base, unsetWon: 0.05, unsetLost: 0.7 }).dropped).toBe('placeholder');
    expect(judgeFeature({ ...base, unsetWon: 0, unsetLost: 0.26 }).dropped).toBe('placeholder');
    expect(judgeFeature({ ...base, unsetWon: 0.3, unsetLost: 0.01 }).dropped).toBe('placeholder');
  });
  it('keeps it when both outcomes lack it about as often, or too rarely to mean anything', () => {
    expect(judgeFeature({ ...base, unsetWon: 0.2, unsetLost: 0.3 }).dropped).toBeNull();
    expect(judgeFeature({ ...base, unsetWon: 0, unsetLost: 0.05 }).dropped).toBeNull();
    expect(judgeFeature({ ...base, unsetWon: null, unsetLost: null }).dropped).toBeNull();
  });
});

describe('pairedBrierBootstrap', () => {
  const y = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const groups = Array.from({ length: 100 }, (_, g) => [2 * g, 2 * g + 1]);
  it('the same predictions differ by nothing, with an interval of zero width', () => {
    const p = y.map((v, i) => (v ? 0.6 : 0.3) + (i % 7) * 0.01);
    expect(pairedBrierBootstrap(p, p, y, groups)).toEqual({ diff: 0, lo: 0, hi: 0, groups: 100 });
  });
  it('a better model lies wholly below zero, a worse one wholly above; the observed difference is exact', () => {
    const flat = y.map(() => 1 / 3);
    const sharp = y.map((v) => (v ? 0.8 : 0.1));
    const better = pairedBrierBootstrap(flat, sharp, y, groups);
    const exact = y.reduce<number>((s, v, i) => s + (sharp[i]! - v) ** 2 - (flat[i]! - v) ** 2, 0) / y.length;
    expect(better.diff).toBeCloseTo(exact, 12);
    expect(better.hi).toBeLessThan(0);
    expect(better.lo).toBeLessThanOrEqual(better.diff);
    const worse = pairedBrierBootstrap(sharp, flat, y, groups);
    expect(worse.lo).toBeGreaterThan(0);
    // Deterministic: the same seed, the same interval; another seed, another resample.
    expect(pairedBrierBootstrap(flat, sharp, y, groups)).toEqual(better);
    expect(pairedBrierBootstrap(flat, sharp, y, groups, { seed: 5 }).lo).not.toBe(better.lo);
  });
  it('noise around the same model gives an interval that contains zero', () => {
    const a = y.map((v, i) => (v ? 0.5 : 0.3) + ((i * 37) % 11) * 0.01);
    const b = y.map((v, i) => (v ? 0.5 : 0.3) + ((i * 53) % 11) * 0.01);
    const r = pairedBrierBootstrap(a, b, y, groups);
    expect(r.lo).toBeLessThan(0);
    expect(r.hi).toBeGreaterThan(0);
  });
});
