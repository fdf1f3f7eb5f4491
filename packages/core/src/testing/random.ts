/**
 * A small deterministic PRNG for test data: the same seed gives the same tensors on every
 * machine and every run, so a parity failure can be reproduced from its case name alone.
 * @module
 */

/** A function returning uniformly distributed numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: a 32-bit state PRNG, fast and good enough for test data (not for cryptography). */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a hash of a string, used to derive one independent seed per case name. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** `n` uniform floats in [lo, hi). */
export function uniform(random: Random, n: number, lo: number, hi: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * random();
  return out;
}

/** `n` uniform integers in [lo, hi] (both ends included). */
export function uniformInt(random: Random, n: number, lo: number, hi: number): number[] {
  const out = new Array<number>(n);
  const span = Math.floor(hi) - Math.ceil(lo) + 1;
  for (let i = 0; i < n; i++) out[i] = Math.ceil(lo) + Math.min(span - 1, Math.floor(random() * span));
  return out;
}
