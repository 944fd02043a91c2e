import { and, asc, eq } from 'drizzle-orm';
import { customFieldDefs } from '../db/schema/index.ts';
import type { DbOrTx } from './db/index.ts';
import type { FieldErrors } from './errors.ts';
import { isCalendarDate } from './http-schemas.ts';
import type { CustomFieldDef } from './list.ts';

export async function loadCustomFieldDefs(db: DbOrTx, orgId: string, entity: string): Promise<CustomFieldDef[]> {
  return db
    .select({ key: customFieldDefs.key, type: customFieldDefs.type, options: customFieldDefs.options, required: customFieldDefs.required })
    .from(customFieldDefs)
    .where(and(eq(customFieldDefs.orgId, orgId), eq(customFieldDefs.entity, entity)))
    .orderBy(asc(customFieldDefs.position));
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks one custom value against its definition; returns the stored form or an error message. */
export function checkCustomValue(def: CustomFieldDef, value: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  if (value === null) return { ok: true, value: null };
  switch (def.type) {
    case 'text':
      return typeof value === 'string' && value.length <= 10_000 ? { ok: true, value } : { ok: false, message: 'Expected text' };
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? { ok: true, value } : { ok: false, message: 'Expected a number' };
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, message: 'Expected true or false' };
    case 'date':
      return typeof value === 'string' && DATE_RE.test(value) && isCalendarDate(value)
        ? { ok: true, value }
        : { ok: false, message: 'Expected a date (YYYY-MM-DD)' };
    case 'select':
      return typeof value === 'string' && def.options.includes(value) ? { ok: true, value } : { ok: false, message: `Use one of: ${def.options.join(', ')}` };
    case 'multiselect':
      return Array.isArray(value) && value.every((v) => typeof v === 'string' && def.options.includes(v))
        ? { ok: true, value: [...new Set(value as string[])] }
        : { ok: false, message: `Use a list of: ${def.options.join(', ')}` };
  }
}

/**
 * Validates custom values (a patch merges into `existing`; null removes a key). Unknown keys and
 * missing required fields are field errors under `custom.<key>`.
 */
export function mergeCustom(
  defs: CustomFieldDef[],
  existing: Record<string, unknown> | null,
  patch: Record<string, unknown> | undefined,
  errs: FieldErrors,
): Record<string, unknown> {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const out: Record<string, unknown> = { ...(existing ?? {}) };
  for (const [k, v] of Object.entries(patch ?? {})) {
    const def = byKey.get(k);
    if (!def) {
      errs.add(`custom.${k}`, 'Unknown custom field');
      continue;
    }
    const r = checkCustomValue(def, v);
    if (!r.ok) errs.add(`custom.${k}`, r.message);
    else if (r.value === null) delete out[k];
    else out[k] = r.value;
  }
  for (const d of defs) {
    if (d.required && (out[d.key] === undefined || out[d.key] === '' || (Array.isArray(out[d.key]) && !(out[d.key] as unknown[]).length))) {
      errs.add(`custom.${d.key}`, 'Required');
    }
  }
  return out;
}
