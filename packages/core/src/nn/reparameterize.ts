/**
 * Structural re-parameterisation: train-time multi-branch blocks (RepVGG, MobileOne, large-kernel
 * convs with a parallel small kernel) fold into one plain conv for deployment. Blocks opt in by
 * implementing {@link Reparameterizable}; {@link reparameterizeModel} swaps them in place.
 * @module
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { ConvNd } from './conv.js';
import { Module } from './module.js';
import type { BatchNorm } from './norm.js';

/**
 * A module with an equivalent deploy form. `reparameterize()` computes that form from the current
 * weights (batch-norm statistics folded in) and returns it; the caller puts it where this module
 * was. It must not change what the module computes at inference, only how.
 */
export interface Reparameterizable {
  /** The fused module equivalent to this one at inference. */
  reparameterize(): Module;
}

/** Whether `m` implements {@link Reparameterizable}. */
export function isReparameterizable(m: unknown): m is Module & Reparameterizable {
  return m instanceof Module && typeof (m as Partial<Reparameterizable>).reparameterize === 'function';
}

/**
 * Replaces every {@link Reparameterizable} module in the tree by its deploy form (timm's
 * `reparameterize_model`), keeping each at its name and position, so state-dict keys become
 * those of the deploy model. Returns the root, or the root's own deploy form when the root
 * itself is reparameterizable. Fused modules are not descended into again.
 */
export function reparameterizeModel(module: Module): Module {
  if (isReparameterizable(module)) return module.reparameterize();
  for (const [name, child] of [...module.namedChildren()]) {
    const replaced = reparameterizeModel(child);
    if (replaced !== child) module.registerModule(name, replaced);
  }
  return module;
}

/** A conv kernel and bias in float64, as fusion works on them. */
export interface FusedKernel {
  /** `[C_out, C_in/groups, kh, kw]`. */
  readonly dims: readonly [number, number, number, number];
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

/** The inference-time affine map of a batch norm: `y = scale·x + shift` per channel. */
export function batchNormAffine(bn: BatchNorm): { scale: Float64Array; shift: Float64Array } {
  const n = bn.numFeatures;
  const mean = bn.runningMean.toFloat32();
  const variance = bn.runningVar.toFloat32();
  const gamma = bn.weight?.toFloat32();
  const beta = bn.bias?.toFloat32();
  const scale = new Float64Array(n);
  const shift = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    scale[c] = (gamma ? gamma[c]! : 1) / Math.sqrt(variance[c]! + bn.eps);
    shift[c] = (beta ? beta[c]! : 0) - mean[c]! * scale[c]!;
  }
  return { scale, shift };
}

/**
 * Folds a batch norm into the bias-free conv before it (RepVGG's `_fuse_bn_tensor`): the kernel
 * scaled per output channel, the bias `β − μ·γ/σ`.
 */
export function fuseConvBn(conv: ConvNd, bn: BatchNorm): FusedKernel {
  if (conv.kernelSize.length !== 2) throw new InvalidArgumentError('fuseConvBn: only 2-d convs fold');
  if (conv.bias) throw new InvalidArgumentError('fuseConvBn: the conv must have no bias');
  const dims = conv.weight.dims as unknown as [number, number, number, number];
  const { scale, shift } = batchNormAffine(bn);
  if (scale.length !== dims[0]) {
    throw new ShapeError(`fuseConvBn: batch norm of ${scale.length} channels after a conv of ${dims[0]}`);
  }
  const w = conv.weight.toFloat32();
  const per = w.length / dims[0];
  const weight = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) weight[i] = w[i]! * scale[Math.floor(i / per)]!;
  return { dims, weight, bias: shift };
}

/**
 * A batch norm on its own as a conv of kernel `k` (odd) and `groups` (RepVGG's identity branch):
 * a centred one-hot kernel, channel `c` reading input channel `c mod (C/groups)` of its group.
 */
export function fuseIdentityBn(bn: BatchNorm, kernel: number, groups: number): FusedKernel {
  const c = bn.numFeatures;
  if (kernel % 2 !== 1 || c % groups) {
    throw new InvalidArgumentError(
      `fuseIdentityBn: kernel ${kernel} must be odd and ${c} divisible by ${groups}`,
    );
  }
  const perGroup = c / groups;
  const { scale, shift } = batchNormAffine(bn);
  const weight = new Float64Array(c * perGroup * kernel * kernel);
  const mid = (kernel - 1) / 2;
  for (let o = 0; o < c; o++)
    weight[((o * perGroup + (o % perGroup)) * kernel + mid) * kernel + mid] = scale[o]!;
  return { dims: [c, perGroup, kernel, kernel], weight, bias: shift };
}

/**
 * Sums branches into one kernel of the largest size, each smaller (odd) kernel centred in it
 * (zero padding, as `F.pad(k, [p, p, p, p])`). All branches need the same out/in channels.
 */
export function sumKernels(branches: readonly FusedKernel[]): FusedKernel {
  if (!branches.length) throw new InvalidArgumentError('sumKernels: no branches');
  const [o, i] = branches[0]!.dims;
  const k = Math.max(...branches.map((b) => b.dims[2]));
  const weight = new Float64Array(o * i * k * k);
  const bias = new Float64Array(o);
  for (const b of branches) {
    const [bo, bi, bh, bw] = b.dims;
    if (bo !== o || bi !== i || bh !== bw || (k - bh) % 2) {
      throw new ShapeError(
        `sumKernels: branch [${b.dims.join(', ')}] does not centre in [${o}, ${i}, ${k}, ${k}]`,
      );
    }
    const p = (k - bh) / 2;
    for (let a = 0; a < o * i; a++) {
      for (let y = 0; y < bh; y++) {
        for (let x = 0; x < bw; x++) weight[(a * k + y + p) * k + x + p]! += b.weight[(a * bh + y) * bw + x]!;
      }
    }
    for (let c = 0; c < o; c++) bias[c]! += b.bias[c]!;
  }
  return { dims: [o, i, k, k], weight, bias };
}

/** Writes a fused kernel into a conv with a bias of the same shape (float32). */
export function assignFusedKernel(conv: ConvNd, fused: FusedKernel): void {
  const dims = conv.weight.dims;
  if (!conv.bias || dims.join() !== fused.dims.join()) {
    throw new ShapeError(
      `assignFusedKernel: conv weight [${dims.join(', ')}]${conv.bias ? '' : ' without bias'} cannot take [${fused.dims.join(', ')}]`,
    );
  }
  (conv.weight.data as Float32Array).set(fused.weight);
  (conv.bias.data as Float32Array).set(fused.bias);
}
