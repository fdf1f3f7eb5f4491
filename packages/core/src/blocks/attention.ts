/**
 * Multi-head self-attention (timm's ViT `Attention`: `qkv`, `q_norm`, `k_norm`, `attn_drop`,
 * `norm`, `proj`, `proj_drop`), with optional Swin-style relative position bias
 * (`relative_position_bias_table` parameter, non-persistent `relative_position_index` buffer)
 * and an additive mask.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import {
  add,
  gather,
  matmul,
  mul,
  permute,
  reshape,
  shapeOf,
  softmax,
  type TensorLike,
  unsqueeze,
} from '../functional.js';
import type { SymbolicTensor } from '../ir/trace.js';
import { Identity } from '../nn/containers.js';
import { Dropout } from '../nn/dropout.js';
import { Linear } from '../nn/linear.js';
import { Module } from '../nn/module.js';
import { LayerNorm } from '../nn/norm.js';
import { Tensor } from '../tensor.js';

/**
 * Swin's relative position index for a `h × w` window: entry (i, j) indexes the bias table
 * row for the offset between tokens i and j, `(dy + h − 1)·(2w − 1) + (dx + w − 1)`; shape
 * `[h·w, h·w]`, int64.
 */
export function relativePositionIndex(h: number, w: number): Tensor<'int64'> {
  const n = h * w;
  const out = new Array<number>(n * n);
  for (let i = 0; i < n; i++) {
    const yi = Math.floor(i / w);
    const xi = i % w;
    for (let j = 0; j < n; j++) {
      const dy = yi - Math.floor(j / w) + h - 1;
      const dx = xi - (j % w) + w - 1;
      out[i * n + j] = dy * (2 * w - 1) + dx;
    }
  }
  return Tensor.from('int64', out, [n, n]);
}

/** Options of {@link Attention}. */
export interface AttentionOptions {
  /** Default 8. */
  readonly numHeads?: number;
  /** Per-head dim; default `dim / numHeads`. */
  readonly headDim?: number;
  /** Output dim; default `dim`. */
  readonly dimOut?: number;
  /** Bias on qkv (default false, timm's ViT default; Swin uses true). */
  readonly qkvBias?: boolean;
  /** Normalise q and k per head (default false). */
  readonly qkNorm?: boolean;
  /** Normalise the attention output before `proj` (default false). */
  readonly scaleNorm?: boolean;
  /** Bias on proj (default true). */
  readonly projBias?: boolean;
  /** Norm layer for qk/scale norm (default LayerNorm with eps 1e-6). */
  readonly normLayer?: (dim: number) => Module<[SymbolicTensor], SymbolicTensor>;
  readonly attnDrop?: number;
  readonly projDrop?: number;
  /**
   * Adds Swin's relative position bias for a `[h, w]` window: the sequence length must be h·w;
   * the bias table has `(2h − 1)(2w − 1)` rows, one column per head.
   */
  readonly relativePositionWindow?: readonly [number, number];
}

/**
 * `proj(softmax(q·kᵀ/√d + bias + mask)·v)` on `[B, N, C]` tokens, computed as timm's explicit
 * (non-fused) path: q is scaled before the product.
 *
 * The optional mask is additive. A rank-4 mask (or lower) broadcasts against the scores
 * `[B, H, N, N]`. A rank-3 `[nW, N, N]` mask is Swin's shifted-window mask: the batch is viewed
 * as `[B/nW, nW]` windows, as Swin does (the N and H dims must be static).
 */
export class Attention extends Module<[SymbolicTensor, (TensorLike | null)?], SymbolicTensor> {
  readonly numHeads: number;
  readonly headDim: number;
  readonly attnDim: number;
  readonly scale: number;
  readonly relativePositionBiasTable?: Tensor<'float32'>;
  readonly relativePositionIndex?: Tensor<'int64'>;
  readonly qkv: Linear;
  readonly qNorm: Module<[SymbolicTensor], SymbolicTensor>;
  readonly kNorm: Module<[SymbolicTensor], SymbolicTensor>;
  readonly attnDrop: Dropout;
  readonly norm: Module<[SymbolicTensor], SymbolicTensor>;
  readonly proj: Linear;
  readonly projDrop: Dropout;

  constructor(dim: number, options: AttentionOptions = {}) {
    super();
    this.numHeads = options.numHeads ?? 8;
    if (options.headDim === undefined && dim % this.numHeads) {
      throw new InvalidArgumentError(`Attention: dim ${dim} is not divisible by ${this.numHeads} heads`);
    }
    this.headDim = options.headDim ?? dim / this.numHeads;
    this.attnDim = this.numHeads * this.headDim;
    this.scale = this.headDim ** -0.5;
    const norm = options.normLayer ?? ((d: number) => new LayerNorm(d, { eps: 1e-6 }));
    const win = options.relativePositionWindow;
    if (win) {
      const [h, w] = win;
      // Swin initialises the table with trunc_normal(std=0.02); zeros keep init deterministic
      // and simple; checkpoints overwrite it.
      this.relativePositionBiasTable = this.registerParameter(
        'relative_position_bias_table',
        Tensor.zeros('float32', [(2 * h - 1) * (2 * w - 1), this.numHeads]),
      );
      this.relativePositionIndex = this.registerBuffer(
        'relative_position_index',
        relativePositionIndex(h, w),
        {
          persistent: false,
        },
      );
    }
    this.qkv = this.registerModule(
      'qkv',
      new Linear(dim, this.attnDim * 3, { bias: options.qkvBias ?? false }),
    );
    this.qNorm = this.registerModule('q_norm', options.qkNorm ? norm(this.headDim) : new Identity());
    this.kNorm = this.registerModule('k_norm', options.qkNorm ? norm(this.headDim) : new Identity());
    this.attnDrop = this.registerModule('attn_drop', new Dropout(options.attnDrop ?? 0));
    this.norm = this.registerModule('norm', options.scaleNorm ? norm(this.attnDim) : new Identity());
    this.proj = this.registerModule(
      'proj',
      new Linear(this.attnDim, options.dimOut ?? dim, { bias: options.projBias ?? true }),
    );
    this.projDrop = this.registerModule('proj_drop', new Dropout(options.projDrop ?? 0));
  }

  /** The relative position bias `[1, H, N, N]` (table rows gathered by the index). */
  relativePositionBias(): SymbolicTensor | undefined {
    if (!this.relativePositionBiasTable || !this.relativePositionIndex) return undefined;
    const b = gather(this.relativePositionBiasTable, this.relativePositionIndex, 0); // [N, N, H]
    return unsqueeze(permute(b, [2, 0, 1]), 0);
  }

  forward(x: SymbolicTensor, mask?: TensorLike | null): SymbolicTensor {
    const [, n] = x.shape;
    const qkv = permute(reshape(this.qkv.call(x), [0, 0, 3, this.numHeads, this.headDim]), [2, 0, 3, 1, 4]);
    const q = this.qNorm.call(gather(qkv, 0, 0)); // [B, H, N, d]
    const k = this.kNorm.call(gather(qkv, 1, 0));
    const v = gather(qkv, 2, 0);
    let attn = matmul(mul(q, this.scale), permute(k, [0, 1, 3, 2])); // [B, H, N, N]
    const bias = this.relativePositionBias();
    if (bias) attn = add(attn, bias);
    if (mask) attn = this.addMask(attn, mask, n!);
    attn = this.attnDrop.call(softmax(attn, -1));
    let y = permute(matmul(attn, v), [0, 2, 1, 3]); // [B, N, H, d]
    y = reshape(y, [0, 0, this.attnDim]);
    return this.projDrop.call(this.proj.call(this.norm.call(y)));
  }

  private addMask(attn: SymbolicTensor, mask: TensorLike, n: number | string): SymbolicTensor {
    const mshape = shapeOf(mask);
    if (mshape.length !== 3) return add(attn, mask);
    const nw = mshape[0];
    if (typeof nw !== 'number' || typeof n !== 'number') {
      throw new InvalidArgumentError(
        'Attention: a window mask needs static window count and sequence length',
      );
    }
    const windows = reshape(attn, [-1, nw, this.numHeads, n, n]);
    const masked = add(windows, unsqueeze(mask, [0, 2])); // [1, nW, 1, N, N]
    return reshape(masked, [-1, this.numHeads, n, n]);
  }
}
