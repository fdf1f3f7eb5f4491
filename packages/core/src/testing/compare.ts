/**
 * Tensor comparison with numpy `allclose` semantics, reporting the worst error rather than a
 * bare boolean so parity reports say how far apart two backends are.
 * @module
 */
import { isFloat } from '../dtype.js';
import type { Tensor } from '../tensor.js';

/** Element-wise tolerance: `|actual - expected| <= atol + rtol * |expected|`. */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/** The outcome of comparing one tensor against its expected value. */
export interface TensorComparison {
  /** True when dtype and shape agree and every element is within tolerance. */
  readonly ok: boolean;
  /** Largest `|actual - expected|` over finite pairs (0 when empty). */
  readonly maxAbsError: number;
  /**
   * Largest `|actual - expected| / |expected|` over pairs whose `|expected| > atol` (smaller
   * expected values make the ratio meaningless; the absolute error covers them).
   */
  readonly maxRelError: number;
  /** Number of elements outside tolerance. */
  readonly mismatches: number;
  /** Why the comparison failed (first bad element, or the dtype/shape disagreement). */
  readonly message?: string;
}

/**
 * Compares `actual` to `expected`. Floats use the tolerance; NaN equals NaN and infinities must
 * match exactly. Integers and bools must be equal. dtype and shape must agree.
 */
export function compareTensors(actual: Tensor, expected: Tensor, tolerance: Tolerance): TensorComparison {
  if (actual.dtype !== expected.dtype) {
    return fail(`dtype ${actual.dtype} differs from expected ${expected.dtype}`);
  }
  if (actual.dims.length !== expected.dims.length || actual.dims.some((d, i) => d !== expected.dims[i])) {
    return fail(`shape [${actual.dims.join(', ')}] differs from expected [${expected.dims.join(', ')}]`);
  }
  const float = isFloat(expected.dtype);
  const a = float ? actual.toNumbers() : null;
  const e = float ? expected.toNumbers() : null;
  const { rtol, atol } = float ? tolerance : { rtol: 0, atol: 0 };
  let maxAbs = 0;
  let maxRel = 0;
  let mismatches = 0;
  let first: string | undefined;
  const n = expected.size;
  for (let i = 0; i < n; i++) {
    let x: number;
    let y: number;
    let bad: boolean;
    if (float) {
      x = a![i]!;
      y = e![i]!;
      if (Number.isNaN(x) || Number.isNaN(y)) bad = Number.isNaN(x) !== Number.isNaN(y);
      else if (!Number.isFinite(x) || !Number.isFinite(y)) bad = x !== y;
      else {
        const d = Math.abs(x - y);
        if (d > maxAbs) maxAbs = d;
        if (Math.abs(y) > atol && d / Math.abs(y) > maxRel) maxRel = d / Math.abs(y);
        bad = d > atol + rtol * Math.abs(y);
      }
    } else {
      // Integers compare exactly; bigints are compared as bigints so int64 extremes stay exact.
      const p = actual.data[i]!;
      const q = expected.data[i]!;
      bad = p !== q;
      x = Number(p);
      y = Number(q);
      const d = Math.abs(x - y);
      if (d > maxAbs) maxAbs = d;
      if (y !== 0 && d / Math.abs(y) > maxRel) maxRel = d / Math.abs(y);
    }
    if (bad) {
      mismatches++;
      first ??= `element ${i}: got ${x}, expected ${y}`;
    }
  }
  const ok = mismatches === 0;
  return {
    ok,
    maxAbsError: maxAbs,
    maxRelError: maxRel,
    mismatches,
    message: ok
      ? undefined
      : `${mismatches} of ${n} elements differ (rtol ${rtol}, atol ${atol}); first at ${first}`,
  };
}

function fail(message: string): TensorComparison {
  return {
    ok: false,
    maxAbsError: Number.POSITIVE_INFINITY,
    maxRelError: Number.POSITIVE_INFINITY,
    mismatches: -1,
    message,
  };
}
