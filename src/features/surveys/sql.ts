import { sql } from 'drizzle-orm';

/** One bound parameter holding a PostgreSQL array literal (drizzle would spread a JS array into a list of parameters). */
const literal = (items: readonly string[]) => `{${items.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
export const uuids = (ids: readonly string[]) => sql`${literal(ids)}::uuid[]`;
export const texts = (items: readonly string[]) => sql`${literal(items)}::text[]`;
