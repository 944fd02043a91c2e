import { z } from 'zod';
import { VOCABULARIES } from './defaults.ts';

/**
 * Labels per locale. On an edit only the locales sent change: the others are kept; `null` (or an empty
 * string) removes a Chinese label. English is required on a new term and can be changed, never removed.
 */
export const localizedLabel = z
  .object({
    en: z.string().trim().min(1).max(120).optional(),
    'zh-CN': z.string().trim().max(120).nullable().optional(),
    'zh-TW': z.string().trim().max(120).nullable().optional(),
  })
  .strict()
  .describe('Labels per locale, merged into the stored ones: absent locales are kept, null removes one; en is required for a new term');

export const vocabularyName = z.enum(VOCABULARIES);
export const termKey = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'Use lower-case letters, digits and _ (start with a letter)');

export const vocabTerm = z.object({
  vocabulary: z.string(),
  key: z.string(),
  label: z.record(z.string(), z.string()),
  position: z.number().int(),
  active: z.boolean(),
  meta: z.record(z.string(), z.unknown()),
  version: z.number().int(),
});

export const vocabTermUpsert = z
  .object({
    label: localizedLabel,
    position: z.number().int().min(0).max(1000).optional(),
    active: z.boolean().optional(),
    meta: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    version: z.number().int().optional(),
  })
  .strict();
