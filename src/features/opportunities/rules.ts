/** Pure rules of an opportunity's status, amount and stage. */

export type Status = 'open' | 'won' | 'lost';

export interface OpportunityState {
  amount: string | null;
  currency: string | null;
  status: Status;
  lostReason: string | null;
  buyingStage: string | null;
  closedAt: string | null;
}

export interface Derived {
  errors: { path: string; message: string; code: 'required' | 'invalid' }[];
  /** Columns to set besides the input. `'now'` means the transaction's time. */
  set: { closedAt?: 'now' | null; lostReason?: null; stageEnteredAt?: 'now' };
}

/**
 * Checks the merged state (stored values overlaid with the input) and says what follows from it:
 * lost needs a reason, won/lost close the deal, reopening clears the close, a new stage restarts its clock.
 */
export function deriveOpportunity(before: OpportunityState | null, after: OpportunityState, sent: { lostReason: boolean }): Derived {
  const errors: Derived['errors'] = [];
  const set: Derived['set'] = {};
  if (after.amount !== null && after.currency === null) errors.push({ path: 'currency', message: 'Required together with an amount', code: 'required' });
  if (after.currency !== null && after.amount === null) errors.push({ path: 'amount', message: 'Required together with a currency', code: 'required' });
  if (after.status === 'lost' && !after.lostReason) errors.push({ path: 'lostReason', message: 'Required when the opportunity is lost', code: 'required' });
  if (after.status !== 'lost' && after.lostReason) {
    if (sent.lostReason) errors.push({ path: 'lostReason', message: 'Only a lost opportunity has a lost reason', code: 'invalid' });
    else set.lostReason = null;
  }
  const wasClosed = before ? before.status !== 'open' : false;
  if (after.status !== 'open' && (!wasClosed || before?.status !== after.status)) set.closedAt = 'now';
  if (after.status === 'open' && (wasClosed || before?.closedAt)) set.closedAt = null;
  if (!before || before.buyingStage !== after.buyingStage) set.stageEnteredAt = 'now';
  return { errors, set };
}
