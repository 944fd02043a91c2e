import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../kernel/actor.ts';
import type { Db } from '../../kernel/db/index.ts';
import { countryCode, errorResponses } from '../../kernel/http-schemas.ts';
import { changeOrgSetting, readOrgSetting, type OrgSetting } from '../../kernel/org-settings.ts';
import { parseIfMatch } from '../../kernel/resource.ts';
import { cultureByCountry, parseHofstede, readCulture, type CountryCulture as Culture } from './rules.ts';
import { countryCulture, cultureCountries, homeCountry, type HomeCountry } from './schemas.ts';

export const CREDIT = 'Hofstede, G., Hofstede, G.J., Minkov, M. (2010) Cultures and Organizations: Software of the Mind, 3rd ed. Scores as published on 2015-08-16.';

/** Reference data, the same for every organization: read once, when the module loads. */
const TABLE = cultureByCountry(parseHofstede(readFileSync(new URL('./hofstede-6d-2015-08-16.csv', import.meta.url), 'utf8')));

const describe = (country: string, c: Culture | undefined) => ({ country, known: !!c, source: c?.source ?? null, region: c?.region ?? null });

/** The organization's own country, versioned like every organization setting. */
const HOME: OrgSetting<{ country: string | null }, HomeCountry> = {
  key: 'culture',
  entity: 'culture_settings',
  read: (raw) => {
    const c = (raw?.culture as { country?: unknown } | undefined)?.country;
    return { country: typeof c === 'string' ? c : null };
  },
  show: (v, version) => ({ country: v.country, version }),
};

export function cultureRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/culture/home', {
    schema: { tags: ['culture'], summary: "Our own country, the one accounts' cultures are compared with", response: { 200: homeCountry, ...errorResponses } },
    handler: async (req) => readOrgSetting(db, req.actor!.orgId, HOME),
  });
  r.put('/api/v1/culture/home', {
    schema: {
      tags: ['culture'],
      summary: 'Set our own country for the whole organization (manager or admin; If-Match: "<version>")',
      body: z.object({ country: countryCode.nullable(), version: z.number().int().optional() }).strict(),
      response: { 200: homeCountry, ...errorResponses },
    },
    handler: async (req) => {
      requireRole(req.actor!, 'manager', 'admin');
      return changeOrgSetting(db, req.actor!, HOME, parseIfMatch(req.headers['if-match'], req.body.version), () => ({ country: req.body.country }));
    },
  });
  r.get('/api/v1/culture/countries', {
    schema: { tags: ['culture'], summary: "Hofstede's six dimensions for every country that has them", response: { 200: cultureCountries, ...errorResponses } },
    handler: async () => ({
      data: [...TABLE.values()].sort((a, b) => a.country.localeCompare(b.country)).map((c) => ({ ...describe(c.country, c), scores: c.scores, regional: c.regional })),
      credit: CREDIT,
    }),
  });
  r.get('/api/v1/culture/countries/:country', {
    schema: {
      tags: ['culture'],
      summary: "A country's culture, dimension by dimension, beside another country's (ours, usually)",
      params: z.object({ country: countryCode }),
      querystring: z.object({ compare: countryCode.optional() }).strict(),
      response: { 200: countryCulture, ...errorResponses },
    },
    handler: async (req) => {
      const { country } = req.params;
      const { compare } = req.query;
      const c = TABLE.get(country);
      const other = compare ? TABLE.get(compare) : undefined;
      return {
        ...describe(country, c),
        compare: compare ? describe(compare, other) : null,
        dimensions: c ? readCulture(c, other?.scores ?? null) : [],
        credit: CREDIT,
      };
    },
  });
}
