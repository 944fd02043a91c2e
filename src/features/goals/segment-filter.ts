import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { accounts, segments } from '../../db/schema/index.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import { AppError, fieldError } from '../../kernel/errors.ts';
import { definitionFilters } from '../segments/resource.ts';
import type { SegmentDefinition } from '../segments/schemas.ts';

/**
 * A saved segment as a subquery of account ids, so goals and funnels filter in SQL with the segment's own
 * definition (the accounts list syntax, parsed by the segments feature). An unknown segment is a 400 on the
 * parameter that named it.
 */
export async function segmentAccountIds(db: DbOrTx, orgId: string, segmentId: string, path = 'segmentId'): Promise<SQL> {
  const [seg] = await db.select().from(segments).where(and(eq(segments.orgId, orgId), eq(segments.id, segmentId), isNull(segments.deletedAt)));
  if (!seg) throw fieldError(path, 'Segment not found');
  let filters: SQL[];
  try {
    filters = await definitionFilters(db, orgId, seg.definition as SegmentDefinition);
  } catch (e) {
    if (e instanceof AppError) throw fieldError(path, `Segment "${seg.name}" has a definition that no longer applies: ${e.message}`);
    throw e;
  }
  const where = and(eq(accounts.orgId, orgId), isNull(accounts.deletedAt), ...filters);
  return sql`(select ${accounts.id} from ${accounts} where ${where})`;
}
