/**
 * `nn.Unfold` / `F.fold` (im2col and its overlap-add inverse) written with standard ONNX ops
 * (Pad, strided Slice, Concat, Gather, Add), so every backend runs them and the profiler counts
 * no multiply-accumulates for them (as PyTorch's counters count none for im2col).
 * @module
 */
import { F, ShapeError, type SymbolicTensor } from '@ocular/core';

/** Number of sliding-window positions along one dim (PyTorch's unfold formula). */
export function unfoldPositions(size: number, kernel: number, padding: number, stride: number): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}

function staticDims(x: SymbolicTensor, what: string): number[] {
  const dims = x.shape.slice(1);
  if (dims.some((d) => typeof d !== 'number')) {
    throw new ShapeError(`${what}: dims after the batch must be static, got [${x.shape.join(', ')}]`);
  }
  return dims as number[];
}

/**
 * The `k × k` neighbourhoods of `x` `[B, C, H, W]` (zero padding `padding`, step `stride`) as
 * `[B, C, k·k, h, w]`: entry `(c, i·k + j, y, x)` is `input[c, y·stride + i − padding,
 * x·stride + j − padding]`. Reshaped to `[B, C·k·k, h·w]` this is `nn.Unfold`'s output.
 */
export function unfold2d(x: SymbolicTensor, kernel: number, padding: number, stride: number): SymbolicTensor {
  const [, height, width] = staticDims(x, 'unfold2d');
  const h = unfoldPositions(height!, kernel, padding, stride);
  const w = unfoldPositions(width!, kernel, padding, stride);
  if (h < 1 || w < 1)
    throw new ShapeError(`unfold2d: ${height}×${width} is smaller than the ${kernel}×${kernel} kernel`);
  const xp = padding ? F.pad(x, [padding, padding, padding, padding]) : x;
  const taps: SymbolicTensor[] = [];
  for (let i = 0; i < kernel; i++) {
    for (let j = 0; j < kernel; j++) {
      // Rows i, i + stride, …, i + (h − 1)·stride of the padded input (likewise columns).
      const tap = F.slice(
        xp,
        [i, j],
        [i + (h - 1) * stride + 1, j + (w - 1) * stride + 1],
        [2, 3],
        [stride, stride],
      );
      taps.push(F.unsqueeze(tap, 2));
    }
  }
  return F.concat(taps, 2);
}

/**
 * Overlap-adds `cols` `[B, C, k·k, h, w]` (the layout {@link unfold2d} produces) into
 * `[B, C, height, width]`, as `F.fold(cols.reshape(B, C·k·k, h·w), (height, width), k,
 * padding=padding, stride=stride)`: every column entry is added at the input position it was
 * taken from; positions in the padding are dropped.
 */
export function fold2d(
  cols: SymbolicTensor,
  height: number,
  width: number,
  kernel: number,
  padding: number,
  stride: number,
): SymbolicTensor {
  const [c, kk, h, w] = staticDims(cols, 'fold2d');
  if (kk !== kernel * kernel) throw new ShapeError(`fold2d: expected ${kernel * kernel} taps, got ${kk}`);
  if (
    h !== unfoldPositions(height, kernel, padding, stride) ||
    w !== unfoldPositions(width, kernel, padding, stride)
  ) {
    throw new ShapeError(`fold2d: ${h}×${w} positions do not tile a ${height}×${width} output`);
  }
  // Spread the positions `stride` apart: [.., h, 1, w, 1] padded to [.., h, s, w, s] puts
  // position (y, x) at (y·s, x·s) of an [h·s, w·s] grid, zeros in between.
  let spread = F.unsqueeze(cols, [4, 6]);
  if (stride > 1) spread = F.pad(spread, [0, stride - 1, 0, 0, 0, stride - 1]);
  spread = F.reshape(spread, [0, c!, kk, h! * stride, w! * stride]);
  // Canvas of the padded output; tap (i, j) lands shifted by (i, j).
  const canvasH = Math.max(h! * stride + kernel - 1, height + 2 * padding);
  const canvasW = Math.max(w! * stride + kernel - 1, width + 2 * padding);
  let sum: SymbolicTensor | undefined;
  for (let i = 0; i < kernel; i++) {
    for (let j = 0; j < kernel; j++) {
      const tap = F.gather(spread, i * kernel + j, 2); // [B, C, h·s, w·s]
      const placed = F.pad(tap, [j, canvasW - j - w! * stride, i, canvasH - i - h! * stride]);
      sum = sum ? F.add(sum, placed) : placed;
    }
  }
  return F.slice(sum!, [padding, padding], [padding + height, padding + width], [2, 3]);
}
