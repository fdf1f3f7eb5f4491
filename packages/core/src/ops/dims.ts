/**
 * Arithmetic on possibly symbolic dims for the layout ops' shape inference. A symbolic dim is
 * an opaque name (`'batch'`) or a product written as {@link dimProduct} writes it
 * (`'batch*12'`); sums are written `'a+b'` (or `'h-2'`) and treated as opaque names.
 * @module
 */
import type { Dim } from '../ir/graph.js';
import { dimProduct } from './util.js';

/** A dim (or a product of dims) as a static factor times a multiset of symbol names. */
export interface DimFactors {
  /** Product of the static parts. */
  n: number;
  /** Symbolic factors, in order of appearance (may repeat). */
  syms: string[];
}

/** Splits dims into their static product and their symbolic factors (`'batch*12'` → 12 × batch). */
export function dimFactors(dims: readonly Dim[]): DimFactors {
  let n = 1;
  const syms: string[] = [];
  for (const d of dims) {
    if (typeof d === 'number') {
      n *= d;
      continue;
    }
    // A sum is one opaque factor; a product splits at '*' into numbers and names.
    if (d.includes('+') || d.includes('-')) {
      syms.push(d);
      continue;
    }
    for (const part of d.split('*')) {
      if (/^\d+$/.test(part)) n *= Number(part);
      else syms.push(part);
    }
  }
  return { n, syms };
}

/**
 * Removes every symbol of `remove` from `from` (multiset difference). Returns the symbols of
 * `remove` that `from` did not have.
 */
export function cancelSymbols(from: string[], remove: readonly string[]): string[] {
  const missing: string[] = [];
  for (const s of remove) {
    const i = from.indexOf(s);
    if (i < 0) missing.push(s);
    else from.splice(i, 1);
  }
  return missing;
}

/** The dim `n × syms` (static when `syms` is empty), written as {@link dimProduct} writes it. */
export function dimFromFactors(n: number, syms: readonly string[]): Dim {
  // Anything times zero is zero, even a symbol.
  if (n === 0) return 0;
  return dimProduct([...syms, n]);
}

/** `d × k` for a static `k`, staying symbolic when `d` is. */
export function dimTimes(d: Dim, k: number): Dim {
  if (typeof d === 'number') return d * k;
  if (k === 1) return d;
  if (k === 0) return 0;
  const f = dimFactors([d]);
  return dimFromFactors(f.n * k, f.syms);
}

/** Sum of dims: static when all are; otherwise an opaque `'a+b+3'` name. */
export function dimSum(dims: readonly Dim[]): Dim {
  let n = 0;
  const sym: string[] = [];
  for (const d of dims) {
    if (typeof d === 'number') n += d;
    else sym.push(d);
  }
  if (!sym.length) return n;
  if (n === 0) return sym.join('+');
  return n > 0 ? `${sym.join('+')}+${n}` : `${sym.join('+')}-${-n}`;
}
