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

/** One entry of a deal's stage history: the stage and when the deal entered it. */
export interface StageEntry {
  stage: string;
  enteredAt: string;
}

type HistoryError = { path: string; message: string; code: 'invalid' | 'required' };

const ms = (s: string) => Date.parse(s);

/**
 * The dates of a deal must tell one story: opened, then moved through its stages, then closed,
 * none of it in the future. `openedAt` is the effective opening (given or defaulted).
 */
export function checkDealDates(
  d: { openedAt: string; closedAt: string | null; status: Status },
  history: StageEntry[] | null,
  now: number,
  paths: { history: string } = { history: 'stageHistory' },
): HistoryError[] {
  const errors: HistoryError[] = [];
  // A minute of slack: clocks of the client and of the server differ.
  const future = (s: string) => ms(s) > now + 60_000;
  if (future(d.openedAt)) errors.push({ path: 'openedAt', message: 'Must not be in the future', code: 'invalid' });
  if (d.closedAt !== null) {
    if (d.status === 'open') errors.push({ path: 'closedAt', message: 'Only a won or lost opportunity has a close date', code: 'invalid' });
    if (future(d.closedAt)) errors.push({ path: 'closedAt', message: 'Must not be in the future', code: 'invalid' });
    if (ms(d.closedAt) < ms(d.openedAt)) errors.push({ path: 'closedAt', message: 'Must not be before openedAt', code: 'invalid' });
  }
  (history ?? []).forEach((h, i) => {
    const at = ms(h.enteredAt);
    const p = `${paths.history}.${i}.enteredAt`;
    if (future(h.enteredAt)) errors.push({ path: p, message: 'Must not be in the future', code: 'invalid' });
    else if (at < ms(d.openedAt)) errors.push({ path: p, message: 'Must not be before openedAt', code: 'invalid' });
    else if (d.closedAt !== null && d.status !== 'open' && at > ms(d.closedAt)) errors.push({ path: p, message: 'Must not be after closedAt', code: 'invalid' });
  });
  return errors;
}

/** History entries oldest first (a stable sort: entries at the same moment keep the order given). */
export const sortHistory = (h: StageEntry[]): StageEntry[] => [...h].sort((a, b) => ms(a.enteredAt) - ms(b.enteredAt));

/**
 * The history a deal gets when none is given, from its dates alone: a closed deal entered the first
 * stage when it was opened and its final stage when it closed; an open one is at its stage since it
 * was opened. (Without dates that is today: the deal starts now, as before.)
 */
export function impliedHistory(d: { openedAt: string; closedAt: string | null; status: Status; stage: string; firstStage: string | null }): StageEntry[] {
  if (d.status !== 'open' && d.closedAt !== null && d.firstStage && d.firstStage !== d.stage) {
    return [{ stage: d.firstStage, enteredAt: d.openedAt }, { stage: d.stage, enteredAt: d.closedAt }];
  }
  return [{ stage: d.stage, enteredAt: d.openedAt }];
}

/** The earliest of the given instants (ISO strings); `fallback` when none is given. */
export function earliest(fallback: string, ...xs: (string | null | undefined)[]): string {
  let best = fallback;
  for (const x of xs) if (x && ms(x) < ms(best)) best = x;
  return best;
}
