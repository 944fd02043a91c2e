import { z } from 'zod';
import { DIMENSIONS } from './rules.ts';

const dimension = z.enum(DIMENSIONS).describe('pdi power distance, idv individualism, mas masculinity, uai uncertainty avoidance, lto long-term orientation, ivr indulgence');
const score = z.number().int().nullable().describe('Hofstede score, usually 0–100 (a few exceed 100); null where the table has none');
const scores = z.record(dimension, score);

const source = {
  country: z.string().describe('ISO 3166 alpha-2'),
  known: z.boolean().describe('false when the table has no scores for this country'),
  source: z.string().nullable().describe("the country's own row in Hofstede's table, if it has one"),
  region: z.string().nullable().describe("the regional row (e.g. Arab countries) that filled in the dimensions the country's own row lacks, if any"),
};

export const cultureCountries = z
  .object({ data: z.array(z.object({ ...source, scores, regional: z.array(dimension).describe("dimensions whose score is the region's") })), credit: z.string() })
  .meta({ id: 'CultureCountries' });

export const countryCulture = z
  .object({
    ...source,
    compare: z.object(source).nullable().describe('the country compared with (the `compare` query), usually our own'),
    dimensions: z.array(
      z.object({
        dimension,
        score,
        level: z.enum(['low', 'middle', 'high']).nullable().describe('low below 40, high above 60'),
        compareScore: score,
        gap: z.number().int().nullable().describe('score − compareScore'),
        bigGap: z.boolean().describe('a gap of 20 points or more: one to prepare for'),
        regional: z.boolean().describe("the score is the country's region's"),
      }),
    ),
    credit: z.string(),
  })
  .meta({ id: 'CountryCulture' });

export type CultureCountries = z.infer<typeof cultureCountries>;
export type CountryCulture = z.infer<typeof countryCulture>;

export const homeCountry = z
  .object({
    country: z.string().nullable().describe("our own country (ISO 3166 alpha-2): every account's culture is compared with it unless a user picks another"),
    version: z.number().int().describe('send it back as If-Match: "<version>" with a change'),
  })
  .meta({ id: 'HomeCountry' });
export type HomeCountry = z.infer<typeof homeCountry>;
