/**
 * A tiny seeded PRNG. The sample world must be byte-identical for the same seed, so nothing here may touch
 * `Math.random` or the clock.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** `n` lower-case hex digits. */
  hex(n: number): string;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

/** mulberry32: 32-bit state, good enough spread for test data and fast enough for millions of draws. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    hex: (n) => {
      let s = '';
      for (let i = 0; i < n; i++) s += Math.floor(next() * 16).toString(16);
      return s;
    },
    chance: (p) => next() < p,
  };
}

/**
 * Derives an independent stream from the world seed and a label (e.g. an object index). Each object gets its own
 * stream so its content does not depend on the order in which concurrent writers happen to run.
 */
export function derive(seed: number, ...parts: (string | number)[]): Rng {
  // FNV-1a over the parts: cheap, deterministic, and spreads nearby indexes far apart.
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (const ch of parts.join('/')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return mulberry32(h);
}
