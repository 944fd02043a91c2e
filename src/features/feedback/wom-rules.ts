/**
 * Word-of-mouth points (口碑点, DOMAIN §9), the pure part: at most three per product or product line, the
 * words that suggest a point in a feedback's text, and whether that part of the text praises or criticizes.
 * No I/O; importable by the web app.
 */

export const MAX_POINTS = 3;
export const POINT_FOCUS_MESSAGE =
  'At most three word-of-mouth points per product or product line: customers remember a few things about a product, and a team can only work on a few. Retire one before naming another.';

export type Stance = 'praise' | 'criticism' | 'neutral';
export type PointSpec = { id: string; name: string; keywords: readonly string[] };
export type Polarity = 'positive' | 'negative' | 'neutral' | null;

/** The lowest free slot (1–3) among the taken ones, or null when all three are taken. */
export function freeSlot(taken: readonly number[]): number | null {
  for (let s = 1; s <= MAX_POINTS; s++) if (!taken.includes(s)) return s;
  return null;
}

const HAN = /\p{Script=Han}/u;
const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** A point's search terms: its name and keywords, normalized, distinct, non-empty (a term of one Latin letter matches too much). */
export function pointTerms(p: Pick<PointSpec, 'name' | 'keywords'>): string[] {
  const out = new Set<string>();
  for (const raw of [p.name, ...p.keywords]) {
    const t = norm(raw);
    if (!t) continue;
    if (!HAN.test(t) && t.replace(/[^\p{L}\p{N}]/gu, '').length < 2) continue;
    out.add(t);
  }
  return [...out];
}

/**
 * The clauses of a text: split at sentence and clause punctuation and at contrast words, so that in
 * "the light is even but the driver died" each half carries its own stance.
 */
export function clauses(text: string): string[] {
  return norm(text)
    .split(/[。！？!?;；\n，,、]|\.(?=\s|$)|\s(?:but|however|although|though|yet|whereas)\s|但是|但|可是|不过|然而|却/u)
    .map((c) => c.trim())
    .filter(Boolean);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a clause mentions a term: Chinese by substring, other scripts at a word start ("deliver" finds "delivery"). */
export function mentions(clause: string, term: string): boolean {
  if (HAN.test(term)) return clause.includes(term);
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escape(term)}`, 'u').test(clause);
}

/**
 * The points a text mentions, each with its stance: the polarity of the clauses that mention it
 * (majority); when those say nothing either way, the polarity of the whole text, then the feedback's
 * stored sentiment. `polarity` scores a piece of text (the organization's model or the lexicon).
 */
export function suggestPoints(text: string, points: readonly PointSpec[], polarity: (clause: string) => Polarity, overall: Polarity): { pointId: string; stance: Stance }[] {
  const cs = clauses(text);
  const out: { pointId: string; stance: Stance }[] = [];
  let whole: Polarity | undefined;
  for (const p of points) {
    const terms = pointTerms(p);
    const hit = cs.filter((c) => terms.some((t) => mentions(c, t)));
    if (!hit.length) continue;
    let pos = 0;
    let neg = 0;
    for (const c of hit) {
      const v = polarity(c);
      if (v === 'positive') pos++;
      else if (v === 'negative') neg++;
    }
    let v: Polarity = pos > neg ? 'positive' : neg > pos ? 'negative' : null;
    if (!v) {
      whole ??= polarity(text);
      v = whole === 'positive' || whole === 'negative' ? whole : overall;
    }
    out.push({ pointId: p.id, stance: v === 'positive' ? 'praise' : v === 'negative' ? 'criticism' : 'neutral' });
  }
  return out;
}

/** Keywords as the user typed them: trimmed, distinct (case-insensitive), in the order given. */
export function cleanKeywords(list: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of list) {
    const t = k.trim();
    if (!t || seen.has(norm(t))) continue;
    seen.add(norm(t));
    out.push(t);
  }
  return out;
}
