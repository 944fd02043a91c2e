/** Pure helpers for 409 conflicts: what the other person changed, and what re-applying ours means. */
export type Rec = Record<string, unknown>;

const IGNORED = new Set(['version', 'updatedAt', 'updatedBy', 'createdAt', 'createdBy', 'id', 'orgId']);

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Fields the other person changed between the version we edited and the server's current one. */
export function theirChanges(base: Rec, current: Rec): string[] {
  const keys = new Set([...Object.keys(base), ...Object.keys(current)]);
  const out: string[] = [];
  for (const k of keys) {
    if (IGNORED.has(k)) continue;
    if (k === 'custom') {
      const b = (base.custom ?? {}) as Rec;
      const c = (current.custom ?? {}) as Rec;
      for (const ck of new Set([...Object.keys(b), ...Object.keys(c)])) if (!same(b[ck], c[ck])) out.push(`custom.${ck}`);
      continue;
    }
    if (!same(base[k], current[k])) out.push(k);
  }
  return out.sort();
}

/** Flatten a patch into dotted keys (custom fields nested one level). */
export function patchKeys(patch: Rec): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'custom' && v && typeof v === 'object') for (const ck of Object.keys(v as Rec)) out.push(`custom.${ck}`);
    else out.push(k);
  }
  return out;
}

export function valueAt(rec: Rec, dotted: string): unknown {
  if (dotted.startsWith('custom.')) return ((rec.custom ?? {}) as Rec)[dotted.slice(7)];
  return rec[dotted];
}

/** Fields both sides changed — where re-applying ours overwrites theirs. */
export function overlapping(base: Rec, current: Rec, patch: Rec): string[] {
  const theirs = new Set(theirChanges(base, current));
  return patchKeys(patch).filter((k) => theirs.has(k) && !same(valueAt(current, k), valueAt({ ...base, ...patch, custom: { ...((base.custom ?? {}) as Rec), ...((patch.custom ?? {}) as Rec) } }, k)));
}
