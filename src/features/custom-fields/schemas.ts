import { z } from 'zod';
import { localizedLabel } from '../vocabularies/schemas.ts';

export const CUSTOM_ENTITIES = ['account', 'contact', 'opportunity', 'interaction', 'task', 'order', 'product'] as const;
export const customFieldType = z.enum(['text', 'number', 'date', 'select', 'multiselect', 'boolean']);

export const customFieldDef = z.object({
  id: z.uuid(),
  entity: z.string(),
  key: z.string(),
  label: z.record(z.string(), z.string()),
  type: customFieldType,
  options: z.array(z.string()),
  required: z.boolean(),
  position: z.number().int(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const options = z.array(z.string().trim().min(1).max(100)).max(200);

export const customFieldCreate = z
  .object({
    entity: z.enum(CUSTOM_ENTITIES),
    key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'Use lower-case letters, digits and _ (start with a letter)'),
    label: localizedLabel,
    type: customFieldType,
    options: options.optional(),
    required: z.boolean().optional(),
    position: z.number().int().min(0).max(1000).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const needs = v.type === 'select' || v.type === 'multiselect';
    if (needs && !v.options?.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Give the choices of a select field' });
    if (!needs && v.options?.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Only select fields have options' });
    if (v.options && new Set(v.options).size !== v.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Options must be unique' });
  });

export const customFieldUpdate = z
  .object({ label: localizedLabel.optional(), options: options.optional(), required: z.boolean().optional(), position: z.number().int().min(0).max(1000).optional(), version: z.number().int().optional() })
  .strict();
