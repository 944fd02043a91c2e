import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cultureByCountry, DIMENSIONS, GAP_POINTS, ISO_OF, level, parseHofstede, readCulture, REGION_MEMBERS, type Scores } from './rules.ts';

const shipped = readFileSync(new URL('./hofstede-6d-2015-08-16.csv', import.meta.url), 'utf8');
// The published file as other software ships it (../shared/testdata): ours must be the same table.
const published = readFileSync(new URL('../../../../shared/testdata/hofstede/6-dimensions-for-website-2015-08-16.csv', import.meta.url), 'utf8');
const rows = parseHofstede(shipped);
const table = cultureByCountry(rows);

/** Rows for part of a country, left out on purpose (see ISO_OF). */
const PARTS = ['BEF', 'BEN', 'CAF', 'GEE', 'SAW', 'SWF', 'SWG'];

describe('the Hofstede table', () => {
  it('is the published table, every row parsed with missing scores as null and scores over 100 kept', () => {
    expect(parseHofstede(published)).toEqual(rows);
    expect(rows).toHaveLength(111);
    const by = new Map(rows.map((r) => [r.code, r]));
    expect(by.get('CHI')).toEqual({ code: 'CHI', name: 'China', scores: { pdi: 80, idv: 20, mas: 66, uai: 30, lto: 87, ivr: 24 } });
    expect(by.get('MAL')!.scores.pdi).toBe(104);
    expect(by.get('ALB')!.scores).toEqual({ pdi: null, idv: null, mas: null, uai: null, lto: 61, ivr: 15 });
    expect(by.get('USA')!.name).toBe('U.S.A.');
  });

  it('maps every row to a real ISO country, a region, or a named part of a country — none dropped silently', () => {
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    const isos = Object.values(ISO_OF);
    expect(new Set(isos).size).toBe(isos.length);
    for (const iso of [...isos, ...Object.values(REGION_MEMBERS).flat()]) expect(names.of(iso), iso).not.toBe(iso);
    for (const r of rows) expect(ISO_OF[r.code] ?? (REGION_MEMBERS[r.code] ? 'region' : PARTS.includes(r.code) ? 'part' : undefined), r.code).toBeDefined();
  });

  it('fills in what a region member lacks from its region, and marks those scores', () => {
    expect(table.get('DE')).toEqual({ country: 'DE', source: 'Germany', region: null, scores: { pdi: 35, idv: 67, mas: 66, uai: 65, lto: 83, ivr: 40 }, regional: [] });
    // Egypt's own row has only the two newer dimensions; the other four are the Arab countries'.
    expect(table.get('EG')).toEqual({ country: 'EG', source: 'Egypt', region: 'Arab countries', scores: { pdi: 80, idv: 38, mas: 53, uai: 68, lto: 7, ivr: 4 }, regional: ['pdi', 'idv', 'mas', 'uai'] });
    // No row of its own: all six are East Africa's.
    expect(table.get('KE')).toMatchObject({ source: null, region: 'Africa East', regional: [...DIMENSIONS] });
    expect(table.get('KE')!.scores).toEqual(rows.find((r) => r.code === 'AFE')!.scores);
    // A member's own scores win over the region's: Tanzania's two newer dimensions are its own.
    expect(table.get('TZ')).toEqual({ country: 'TZ', source: 'Tanzania', region: 'Africa East', scores: { pdi: 64, idv: 27, mas: 41, uai: 52, lto: 34, ivr: 38 }, regional: ['pdi', 'idv', 'mas', 'uai'] });
    // A country missing dimensions outside any region stays partial.
    expect(table.get('AL')).toMatchObject({ region: null, scores: { pdi: null, lto: 61 } });
    expect(table.has('MC')).toBe(false);
  });

  it('fails loudly, with the line, on a bad edit', () => {
    const head = 'ctr,country,pdi,idv,mas,uai,ltowvs,ivr\n';
    expect(() => parseHofstede(`${head}CHI,China,80,20,66,30,87,24\nGER,Germany,35,sixty,66,65,83,40\n`)).toThrow(/line 3: idv is "sixty"/);
    expect(() => parseHofstede(`${head}CH,China,80,20,66,30,87,24\n`)).toThrow(/line 2/);
    expect(() => parseHofstede('ctr,country,pdi\nCHI,China,80\n')).toThrow(/no column idv/);
    // A byte-order mark, CRLF line ends and blank cells are fine.
    expect(parseHofstede(`\uFEFF${head.replace('\n', '\r\n')}CHI,China,80,,66,30,87,24\r\n`)[0]!.scores).toMatchObject({ pdi: 80, idv: null });
  });
});

describe('reading a culture', () => {
  it('levels: below 40 low, above 60 high, the rest middle', () => {
    expect([0, 39, 40, 50, 60, 61, 104].map(level)).toEqual(['low', 'low', 'middle', 'middle', 'middle', 'high', 'high']);
  });

  it('reads Germany beside China: gaps and the big ones', () => {
    const r = readCulture(table.get('DE')!, table.get('CN')!.scores);
    expect(r.map((d) => d.dimension)).toEqual([...DIMENSIONS]);
    expect(r[0]).toEqual({ dimension: 'pdi', score: 35, level: 'low', compareScore: 80, gap: -45, bigGap: true, regional: false });
    expect(r.find((d) => d.dimension === 'mas')).toMatchObject({ gap: 0, bigGap: false });
    expect(r.filter((d) => d.bigGap).map((d) => d.dimension)).toEqual(['pdi', 'idv', 'uai']);
  });

  it('keeps what is unknown unknown, and marks regional scores', () => {
    const r = readCulture(table.get('EG')!, table.get('AL')!.scores);
    expect(r[0]).toMatchObject({ score: 80, regional: true, compareScore: null, gap: null, bigGap: false });
    expect(r[4]).toMatchObject({ score: 7, level: 'low', regional: false, compareScore: 61, gap: -54, bigGap: true });
    expect(readCulture(table.get('AL')!).map((d) => d.level)).toEqual([null, null, null, null, 'high', 'low']);
  });

  it('holds for any scores (property)', () => {
    const score = fc.option(fc.integer({ min: 0, max: 120 }), { nil: null });
    const scores = fc.record(Object.fromEntries(DIMENSIONS.map((d) => [d, score])) as Record<(typeof DIMENSIONS)[number], typeof score>);
    fc.assert(
      fc.property(scores, fc.option(scores, { nil: null }), fc.subarray([...DIMENSIONS]), (s: Scores, other: Scores | null, regional) => {
        const r = readCulture({ scores: s, regional }, other);
        expect(r.map((d) => d.dimension)).toEqual([...DIMENSIONS]);
        for (const d of r) {
          const theirs = other?.[d.dimension] ?? null;
          expect(d.score).toBe(s[d.dimension]);
          expect(d.level).toBe(d.score === null ? null : d.score < 40 ? 'low' : d.score > 60 ? 'high' : 'middle');
          expect(d.gap).toBe(d.score === null || theirs === null ? null : d.score - theirs);
          expect(d.bigGap).toBe(d.gap !== null && Math.abs(d.gap) >= GAP_POINTS);
          expect(d.regional).toBe(regional.includes(d.dimension));
        }
      }),
    );
  });
});
