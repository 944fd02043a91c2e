/**
 * National culture per DOMAIN §10 (seeds 003, 004): Hofstede's six dimensions for an account's
 * country, what they mean for selling to it, and where they differ from our own.
 * Scores: Hofstede, G., Hofstede, G.J., Minkov, M. (2010) Cultures and Organizations, 3rd ed.
 * (the 2015-08-16 "6 dimensions for website" table, kept next to this file).
 */
import { parse } from 'csv-parse/sync';

export const DIMENSIONS = ['pdi', 'idv', 'mas', 'uai', 'lto', 'ivr'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type Scores = Record<Dimension, number | null>;

/** One row of Hofstede's table, as published: his own codes (CHI, GER, USA…), not ISO. */
export interface HofstedeRow {
  code: string;
  name: string;
  scores: Scores;
}

/** The table's column of each dimension (long-term orientation is Minkov's World Values Survey version). */
const COLUMNS: Record<Dimension, string> = { pdi: 'pdi', idv: 'idv', mas: 'mas', uai: 'uai', lto: 'ltowvs', ivr: 'ivr' };

/**
 * Parses the published table. A score is a whole number or missing (`#NULL!`, empty); some exceed
 * 100 (Malaysia's power distance is 104) and are kept as they are. A row without a code or name,
 * or with a score that is neither, is an error naming its line: the table is ours, shipped with the
 * code, so a bad edit must fail loudly rather than drop a country.
 */
export function parseHofstede(text: string): HofstedeRow[] {
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true }) as { record: Record<string, string>; info: { lines: number } }[];
  return records.map(({ record, info }) => {
    const code = record.ctr ?? '';
    const name = record.country ?? '';
    if (!/^[A-Z]{3}$/.test(code) || !name) throw new Error(`Hofstede table, line ${info.lines}: expected a three-letter code and a name`);
    const scores = {} as Scores;
    for (const d of DIMENSIONS) {
      const raw = record[COLUMNS[d]];
      if (raw === undefined) throw new Error(`Hofstede table: no column ${COLUMNS[d]}`);
      if (raw === '' || raw === '#NULL!') scores[d] = null;
      else if (/^\d{1,3}$/.test(raw)) scores[d] = Number(raw);
      else throw new Error(`Hofstede table, line ${info.lines}: ${COLUMNS[d]} is "${raw}", not a score`);
    }
    return { code, name, scores };
  });
}

/**
 * Hofstede's country codes → ISO 3166 alpha-2. Rows for part of a country (Belgium French, Canada
 * French, Germany East, South Africa white, Switzerland French/German) are left out: the country's
 * own row is the one an account's country means.
 */
export const ISO_OF: Readonly<Record<string, string>> = {
  ALB: 'AL', ALG: 'DZ', AND: 'AD', ARG: 'AR', ARM: 'AM', AUL: 'AU', AUT: 'AT', AZE: 'AZ', BAN: 'BD', BLR: 'BY', BEL: 'BE', BOS: 'BA',
  BRA: 'BR', BUL: 'BG', BUF: 'BF', CAN: 'CA', CHL: 'CL', CHI: 'CN', COL: 'CO', COS: 'CR', CRO: 'HR', CYP: 'CY', CZE: 'CZ', DEN: 'DK',
  DOM: 'DO', ECA: 'EC', EGY: 'EG', ETH: 'ET', SAL: 'SV', EST: 'EE', FIN: 'FI', FRA: 'FR', GEO: 'GE', GER: 'DE', GHA: 'GH', GBR: 'GB',
  GRE: 'GR', GUA: 'GT', HOK: 'HK', HUN: 'HU', ICE: 'IS', IND: 'IN', IDO: 'ID', IRA: 'IR', IRQ: 'IQ', IRE: 'IE', ISR: 'IL', ITA: 'IT',
  JAM: 'JM', JPN: 'JP', JOR: 'JO', KOR: 'KR', KYR: 'KG', LAT: 'LV', LIT: 'LT', LUX: 'LU', MAC: 'MK', MAL: 'MY', MLI: 'ML', MLT: 'MT',
  MEX: 'MX', MOL: 'MD', MNG: 'ME', MOR: 'MA', NET: 'NL', NZL: 'NZ', NIG: 'NG', NOR: 'NO', PAK: 'PK', PAN: 'PA', PER: 'PE', PHI: 'PH',
  POL: 'PL', POR: 'PT', PUE: 'PR', ROM: 'RO', RUS: 'RU', RWA: 'RW', SAU: 'SA', SER: 'RS', SIN: 'SG', SLK: 'SK', SLV: 'SI', SAF: 'ZA',
  SPA: 'ES', SUR: 'SR', SWE: 'SE', SWI: 'CH', TAI: 'TW', TAN: 'TZ', THA: 'TH', TRI: 'TT', TUR: 'TR', USA: 'US', UGA: 'UG', UKR: 'UA',
  URU: 'UY', VEN: 'VE', VIE: 'VN', ZAM: 'ZM', ZIM: 'ZW',
};

/**
 * Hofstede's regional rows and the countries his surveys pooled into them. A member country gets the
 * region's score for every dimension its own row lacks (Egypt has only the two newer dimensions), or
 * for all six when it has no row (Kenya); each such score is marked as the region's.
 */
export const REGION_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  AFE: ['ET', 'KE', 'TZ', 'ZM'],
  AFW: ['GH', 'NG', 'SL'],
  ARA: ['EG', 'IQ', 'KW', 'LB', 'LY', 'SA', 'AE'],
};

export interface CountryCulture {
  /** ISO 3166 alpha-2. */
  country: string;
  /** The country's own row in Hofstede's table, if it has one. */
  source: string | null;
  /** The regional row that filled in dimensions, if any did. */
  region: string | null;
  scores: Scores;
  /** The dimensions whose score is the region's. */
  regional: Dimension[];
}

/** Every country with at least one score, by ISO code. */
export function cultureByCountry(rows: readonly HofstedeRow[]): Map<string, CountryCulture> {
  const out = new Map<string, CountryCulture>();
  for (const r of rows) {
    const iso = ISO_OF[r.code];
    if (iso) out.set(iso, { country: iso, source: r.name, region: null, scores: { ...r.scores }, regional: [] });
  }
  for (const r of rows) {
    for (const iso of REGION_MEMBERS[r.code] ?? []) {
      const c = out.get(iso) ?? { country: iso, source: null, region: null, scores: Object.fromEntries(DIMENSIONS.map((d) => [d, null])) as Scores, regional: [] };
      for (const d of DIMENSIONS) {
        if (c.scores[d] === null && r.scores[d] !== null) {
          c.scores[d] = r.scores[d];
          c.regional.push(d);
        }
      }
      if (c.regional.length) c.region = r.name;
      out.set(iso, c);
    }
  }
  for (const [iso, c] of out) if (DIMENSIONS.every((d) => c.scores[d] === null)) out.delete(iso);
  return out;
}

export type Level = 'low' | 'middle' | 'high';

/** Below LOW_BELOW is low, above HIGH_ABOVE high: the scales are built around 50. */
export const LOW_BELOW = 40;
export const HIGH_ABOVE = 60;
/** A difference of this many points or more is one to prepare for. */
export const GAP_POINTS = 20;

export function level(score: number): Level {
  return score < LOW_BELOW ? 'low' : score > HIGH_ABOVE ? 'high' : 'middle';
}

export interface DimensionReading {
  dimension: Dimension;
  score: number | null;
  level: Level | null;
  /** The compared country's score, when one was asked for and it has this dimension. */
  compareScore: number | null;
  /** score − compareScore, when both are known. */
  gap: number | null;
  /** |gap| ≥ GAP_POINTS. */
  bigGap: boolean;
  /** The score is the country's region's (see REGION_MEMBERS). */
  regional: boolean;
}

/**
 * What a country's scores say, dimension by dimension, beside another country's (ours, usually).
 * The advice for each level lives in the UI's translations (culture.advice.<dimension>.<level>).
 */
export function readCulture(c: Pick<CountryCulture, 'scores' | 'regional'>, compare: Scores | null = null): DimensionReading[] {
  return DIMENSIONS.map((dimension) => {
    const score = c.scores[dimension];
    const compareScore = compare?.[dimension] ?? null;
    const gap = score !== null && compareScore !== null ? score - compareScore : null;
    return { dimension, score, level: score === null ? null : level(score), compareScore, gap, bigGap: gap !== null && Math.abs(gap) >= GAP_POINTS, regional: c.regional.includes(dimension) };
  });
}
