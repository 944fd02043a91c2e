/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) and the helpers the demo generator draws
 * with. Math.random is never used: the same seed must give the same organization, row for row.
 */

/** splitmix32: spreads (seed, stream) into well-mixed 32-bit words for sfc32's state. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A 32-bit hash of a string (FNV-1a), to turn slugs and labels into seeds. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (n: number) => HEX[(n >>> 24) & 255]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
const hex16 = (n: number) => HEX[(n >>> 8) & 255]! + HEX[n & 255]!;

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** One independent stream per (seed, stream): account i draws from stream i, so N=300 is a prefix of N=1000. */
  constructor(seed: number, stream = 0) {
    let s = splitmix32(seed ^ 0x5bd1e995);
    s = splitmix32(s ^ Math.imul(stream + 1, 0x27d4eb2d));
    this.a = s;
    this.b = splitmix32(s + 1);
    this.c = splitmix32(s + 2);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight; `weights` runs parallel to `items`. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i]!;
      if (r < 0) return items[i]!;
    }
    return items[items.length - 1]!;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal around `median` with spread `sigma` (in log space): sizes, demands, amounts. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** `k` distinct items (k clamped to the list length), in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      const tmp = copy[i]!;
      copy[i] = copy[j]!;
      copy[j] = tmp;
    }
    return copy.slice(0, n);
  }

  /**
   * A UUIDv7-shaped id: `ms` in the 48-bit time field, the rest from this stream. Deterministic for
   * a given seed, unlike the uuidv7 package; 74 random bits keep collisions out of reach at 10^8 ids.
   */
  uuid(ms: number): string {
    const hi = Math.floor(ms / 65536) >>> 0;
    const lo = ms % 65536;
    const x = this.u32();
    const y = this.u32();
    const z = this.u32();
    return (
      hex32(hi) + '-' + hex16(lo) + '-7' + hex16(x >>> 20).slice(1) + '-' + hex16(0x8000 | (x & 0x3fff)) + '-' + hex16(y >>> 16) + hex32(z)
    );
  }
}
