/**
 * Swin's window helpers on channels-last maps: partition into / merge from `ws × ws` windows,
 * cyclic shift (`torch.roll` as Slice + Concat), and the shifted-window attention mask, which
 * depends only on static sizes and so is computed at trace time as a constant.
 * @module
 */
import { F, type SymbolicTensor, Tensor } from '@ocular/core';

/** `[B, H, W, C]` → `[B·nW, ws·ws, C]` (H, W multiples of `ws`). */
export function windowPartition(
  x: SymbolicTensor,
  ws: number,
  h: number,
  w: number,
  c: number,
): SymbolicTensor {
  const y = F.reshape(x, [-1, h / ws, ws, w / ws, ws, c]);
  return F.reshape(F.permute(y, [0, 1, 3, 2, 4, 5]), [-1, ws * ws, c]);
}

/** `[B·nW, ws·ws, C]` → `[B, H, W, C]`. */
export function windowReverse(
  x: SymbolicTensor,
  ws: number,
  h: number,
  w: number,
  c: number,
): SymbolicTensor {
  const y = F.reshape(x, [-1, h / ws, w / ws, ws, ws, c]);
  return F.reshape(F.permute(y, [0, 1, 3, 2, 4, 5]), [-1, h, w, c]);
}

/** `torch.roll(x, shift, axis)` for a static axis of length `n`. */
export function roll(x: SymbolicTensor, shift: number, axis: number, n: number): SymbolicTensor {
  const s = ((shift % n) + n) % n;
  if (s === 0) return x;
  // roll by s: the last s entries move to the front.
  return F.concat([F.slice(x, [n - s], [n], [axis]), F.slice(x, [0], [n - s], [axis])], axis);
}

/**
 * The additive mask `[nW, ws·ws, ws·ws]` of shifted windows on an `h × w` map padded up to
 * multiples of `ws`: tokens of one window that came from different regions before the shift
 * get −100, as timm's `get_attn_mask`.
 */
export function shiftedWindowMask(
  h: number,
  w: number,
  ws: number,
  shift: [number, number],
): Tensor<'float32'> {
  const hp = Math.ceil(h / ws) * ws;
  const wp = Math.ceil(w / ws) * ws;
  // Region id per row/column: [0, hp−ws) → 0, [hp−ws, hp−shift) → 1, [hp−shift, hp) → 2.
  const region = (i: number, n: number, s: number) => (i < n - ws ? 0 : i < n - s ? 1 : 2);
  const nwh = hp / ws;
  const nww = wp / ws;
  const n = ws * ws;
  const out = new Float32Array(nwh * nww * n * n);
  const ids = new Int32Array(n);
  for (let a = 0; a < nwh; a++) {
    for (let b = 0; b < nww; b++) {
      for (let i = 0; i < ws; i++) {
        for (let j = 0; j < ws; j++) {
          ids[i * ws + j] = region(a * ws + i, hp, shift[0]) * 3 + region(b * ws + j, wp, shift[1]);
        }
      }
      const base = (a * nww + b) * n * n;
      for (let p = 0; p < n; p++)
        for (let q = 0; q < n; q++) out[base + p * n + q] = ids[p] === ids[q] ? 0 : -100;
    }
  }
  return new Tensor('float32', out, [nwh * nww, n, n]);
}
