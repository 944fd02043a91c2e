import { and, eq } from 'drizzle-orm';
import { opportunities } from '../../db/schema/index.ts';
import type { DbOrTx } from '../../kernel/db/index.ts';
import type { FieldErrors } from '../../kernel/errors.ts';

/**
 * A record that names both an account and one of its deals must name the deal's own account:
 * an interaction or order filed under the wrong customer would corrupt both histories.
 * Unknown opportunities are reported by the reference check already, so they pass here.
 */
export async function checkOpportunityAccount(
  tx: DbOrTx,
  orgId: string,
  merged: Record<string, unknown>,
  errs: FieldErrors,
): Promise<void> {
  const { accountId, opportunityId } = merged;
  if (typeof opportunityId !== 'string' || typeof accountId !== 'string') return;
  const [row] = await tx
    .select({ accountId: opportunities.accountId })
    .from(opportunities)
    .where(and(eq(opportunities.orgId, orgId), eq(opportunities.id, opportunityId)));
  if (row && row.accountId !== accountId) errs.add('opportunityId', 'This opportunity belongs to another account', 'mismatch', { entity: 'account' });
}
