/**
 * Spatial helpers of the segmentation heads: static sizes, PyTorch-style bilinear resizing
 * (`align_corners=False`) and adaptive average pooling to a fixed grid.
 * @module
 */
import { F, Module, ShapeError, type SymbolicTensor, Tensor } from '@ocular/core';

/** The static `[height, width]` of an NCHW value; heads size their resizes from it. */
export function spatialSize(x: SymbolicTensor, what: string): [number, number] {
  const [, , h, w] = x.shape;
  if (x.rank !== 4 || typeof h !== 'number' || typeof w !== 'number') {
    throw new ShapeError(`${what}: expected an NCHW value with static height and width, got ${x.toString()}`);
  }
  return [h, w];
}

/**
 * `F.interpolate(x, size, mode='bilinear', align_corners=False)`, as torchvision's and mmseg's
 * heads resize; a no-op at the same size (PyTorch's result is then `x` itself).
 */
export function resizeBilinear(x: SymbolicTensor, size: readonly [number, number]): SymbolicTensor {
  const [h, w] = spatialSize(x, 'resizeBilinear');
  if (h === size[0] && w === size[1]) return x;
  return F.interpolate(x, { size: [...size], mode: 'bilinear', alignCorners: false });
}

/** Row `i` averages PyTorch's adaptive bin `[floor(i·n/s), ceil((i+1)·n/s))` of a length-`n` axis. */
function binMatrix(n: number, s: number, transpose: boolean): Tensor<'float32'> {
  const m = new Float32Array(s * n);
  for (let i = 0; i < s; i++) {
    const start = Math.floor((i * n) / s);
    const end = Math.ceil(((i + 1) * n) / s);
    for (let j = start; j < end; j++) m[transpose ? j * s + i : i * n + j] = 1 / (end - start);
  }
  return Tensor.from('float32', m, transpose ? [n, s] : [s, n]);
}

/**
 * `nn.AdaptiveAvgPool2d(size)`: a global mean for 1, otherwise `P_h · x · P_wᵀ` with constant bin
 * matrices, which averages exactly PyTorch's (possibly overlapping) bins at any input size.
 */
export function adaptiveAvgPool2d(x: SymbolicTensor, size: number): SymbolicTensor {
  if (size === 1) return F.globalAvgPool(x);
  const [h, w] = spatialSize(x, 'adaptiveAvgPool2d');
  return F.matmul(F.matmul(binMatrix(h, size, false), x), binMatrix(w, size, true));
}

/** `nn.AdaptiveAvgPool2d(size)` as a parameter-free module (it holds an index in Sequentials). */
export class AdaptiveAvgPool2d extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(readonly size: number) {
    super();
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return adaptiveAvgPool2d(x, this.size);
  }
}
