import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketLabel, bucketStart, checkDefinition, type Catalog } from './rules.ts';
import { AGGREGATES, BUCKETS, definitionSchema } from './schemas.ts';

const DAY = 86_400_000;
const date = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true });
const bucket = fc.constantFrom(...BUCKETS);

const catalog: Catalog = {
  recordType: 'opportunities',
  fields: { ownerId: 'uuid', amount: 'number', closedAt: 'timestamp', expectedClose: 'date', name: 'text', tags: 'tags', 'custom.product': 'enum' },
  ownerField: 'ownerId',
  money: { amount: 'currency' },
  baseMoney: [],
  deals: true,
};

describe('time buckets', () => {
  it('a bucket starts on or before the moment, is its own start, and the next bucket starts after it', () => {
    fc.assert(
      fc.property(bucket, date, (b, at) => {
        const start = bucketStart(b, at);
        const startMs = Date.parse(`${start}T00:00:00Z`);
        expect(startMs).toBeLessThanOrEqual(at.getTime());
        expect(bucketStart(b, new Date(startMs))).toBe(start);
        // The longest bucket is a year (≤ 366 days): one day past its end is in another bucket.
        const later = bucketStart(b, new Date(startMs + 367 * DAY));
        expect(later > start).toBe(true);
        if (b === 'week') expect(new Date(startMs).getUTCDay()).toBe(1);
      }),
    );
  });

  it('every moment of one bucket has the same start and label; labels sort like the buckets', () => {
    fc.assert(
      fc.property(bucket, date, date, (b, x, y) => {
        const [sx, sy] = [bucketStart(b, x), bucketStart(b, y)];
        const [lx, ly] = [bucketLabel(b, sx), bucketLabel(b, sy)];
        expect(sx === sy).toBe(lx === ly);
        if (b !== 'week') expect(Math.sign(sx.localeCompare(sy))).toBe(Math.sign(lx.localeCompare(ly)));
      }),
    );
  });

  it('labels name ISO weeks and quarters', () => {
    expect(bucketLabel('week', bucketStart('week', new Date('2021-01-03T12:00:00Z')))).toBe('2020-W53');
    expect(bucketLabel('week', bucketStart('week', new Date('2026-01-01T00:00:00Z')))).toBe('2026-W01');
    expect(bucketLabel('quarter', bucketStart('quarter', new Date('2026-08-31T23:59:59Z')))).toBe('2026-Q3');
    expect(bucketStart('quarter', new Date('2026-12-31T23:59:59.999Z'))).toBe('2026-10-01');
  });
});

describe('definition checks', () => {
  const field = fc.constantFrom(...Object.keys(catalog.fields), 'ownerTeam', 'nope', 'custom.missing');
  const groupBy = fc.record({ field, bucket: fc.option(bucket, { nil: undefined }) }, { requiredKeys: ['field'] });
  const measure = fc.record({ agg: fc.constantFrom(...AGGREGATES), field: fc.option(field, { nil: undefined }) }, { requiredKeys: ['agg'] });

  it('never throws, and accepts exactly the definitions whose parts all make sense', () => {
    fc.assert(
      fc.property(fc.array(groupBy, { maxLength: 2 }), fc.array(measure, { minLength: 1, maxLength: 4 }), (gs, ms) => {
        const g = gs.map((x) => (x.bucket === undefined ? { field: x.field } : x));
        const m = ms.map((x) => (x.field === undefined ? { agg: x.agg } : x));
        const errors = checkDefinition({ groupBy: g, measures: m }, catalog);
        const type = (f: string) => (Object.hasOwn(catalog.fields, f) ? catalog.fields[f] : undefined);
        const groupOk = (x: (typeof g)[number]) => {
          if (x.field === 'ownerTeam') return !x.bucket;
          const t = type(x.field);
          if (!t || t === 'tags') return false;
          const dated = t === 'date' || t === 'timestamp';
          return x.bucket ? dated : t !== 'timestamp';
        };
        const measureOk = (x: (typeof m)[number]) => {
          if (['count', 'winRate', 'cycleMedian', 'cycleAvg'].includes(x.agg)) return x.field === undefined;
          const t = x.field === undefined ? undefined : type(x.field);
          return t === 'number' || ((x.agg === 'min' || x.agg === 'max') && (t === 'date' || t === 'timestamp'));
        };
        const key = (x: (typeof m)[number]) => `${x.agg}:${x.field ?? ''}`;
        const distinct = new Set(m.map(key)).size === m.length && !(g.length === 2 && g[0]!.field === g[1]!.field && g[0]!.bucket === g[1]!.bucket);
        expect(errors.length === 0).toBe(g.every(groupOk) && m.every(measureOk) && distinct);
        for (const e of errors) expect(e.path).toMatch(/^(groupBy|measures)(\.\d+(\.(field|bucket|agg))?)?$/);
      }),
    );
  });

  it('deal measures belong to opportunities', () => {
    const accounts: Catalog = { ...catalog, recordType: 'accounts', deals: false };
    expect(checkDefinition({ groupBy: [], measures: [{ agg: 'winRate' }, { agg: 'weightedSum', field: 'amount' }] }, accounts).map((e) => e.path)).toEqual(['measures.0.agg', 'measures.1.agg']);
  });

  it('the schema rejects identifiers that are not field names before any SQL is built', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const ok = definitionSchema.safeParse({ recordType: 'opportunities', groupBy: [{ field: s }], measures: [{ agg: 'count' }] }).success;
        expect(ok).toBe(/^(custom\.)?[A-Za-z][A-Za-z0-9_-]*$/.test(s) && s.length <= 100);
      }),
    );
  });
});
