/**
 * The transformer block of timm's ViT (`Block`: `norm1`, `attn`, `ls1`, `drop_path1`, `norm2`,
 * `mlp`, `ls2`, `drop_path2`) and the RMS norm some variants use, built on core's blocks.
 * @module
 */
import {
  Attention,
  Dropout,
  DropPath,
  F,
  Identity,
  LayerNorm,
  LayerScale,
  Linear,
  Mlp,
  Module,
  type SymbolicTensor,
  Tensor,
} from '@ocular/core';
import type { VitNorm } from './configs.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** timm's `RmsNorm` over the last dim: `x / √(mean(x²) + eps) · weight` (eps 1e-6, no bias). */
export class RmsNorm extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly weight: Tensor<'float32'>;

  constructor(
    dim: number,
    readonly eps = 1e-6,
  ) {
    super();
    this.weight = this.registerParameter('weight', Tensor.from('float32', new Array(dim).fill(1), [dim]));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const ms = F.reduceMean(F.mul(x, x), [-1]);
    return F.mul(F.div(x, F.sqrt(F.add(ms, this.eps))), this.weight);
  }
}

/** The token norm of a configuration (timm's ViT norms use eps 1e-6). */
export function vitNorm(kind: VitNorm = 'layernorm'): (dim: number) => Layer {
  return kind === 'rmsnorm' ? (d) => new RmsNorm(d) : (d) => new LayerNorm(d, { eps: 1e-6 });
}

/** Options of {@link VitBlock}. */
export interface VitBlockOptions {
  readonly numHeads: number;
  readonly mlpRatio?: number;
  readonly qkvBias?: boolean;
  /** Layer scale init value; identity `ls1`/`ls2` when absent. */
  readonly initValues?: number;
  readonly norm?: (dim: number) => Layer;
}

/** Pre-norm residual block: `x + ls1(attn(norm1(x)))`, then `x + ls2(mlp(norm2(x)))`. */
export class VitBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly norm1: Layer;
  readonly attn: Attention;
  readonly ls1: Layer;
  readonly dropPath1: DropPath;
  readonly norm2: Layer;
  readonly mlp: Mlp;
  readonly ls2: Layer;
  readonly dropPath2: DropPath;

  constructor(dim: number, options: VitBlockOptions) {
    super();
    const norm = options.norm ?? vitNorm();
    const ls = (): Layer =>
      options.initValues === undefined ? new Identity() : new LayerScale(dim, options.initValues);
    this.norm1 = this.registerModule('norm1', norm(dim));
    this.attn = this.registerModule(
      'attn',
      new Attention(dim, { numHeads: options.numHeads, qkvBias: options.qkvBias ?? true }),
    );
    this.ls1 = this.registerModule('ls1', ls());
    this.dropPath1 = this.registerModule('drop_path1', new DropPath());
    this.norm2 = this.registerModule('norm2', norm(dim));
    this.mlp = this.registerModule(
      'mlp',
      new Mlp(dim, { hiddenFeatures: Math.trunc(dim * (options.mlpRatio ?? 4)) }),
    );
    this.ls2 = this.registerModule('ls2', ls());
    this.dropPath2 = this.registerModule('drop_path2', new DropPath());
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = F.add(x, this.dropPath1.call(this.ls1.call(this.attn.call(this.norm1.call(x)))));
    return F.add(y, this.dropPath2.call(this.ls2.call(this.mlp.call(this.norm2.call(y)))));
  }
}

/** Options of {@link AttentionPoolLatent}. */
export interface AttentionPoolLatentOptions {
  readonly numHeads?: number;
  readonly mlpRatio?: number;
  readonly norm?: (dim: number) => Layer;
}

/**
 * timm's `AttentionPoolLatent` (the `'map'` head): one learned latent query attends over the
 * tokens (`latent`, `q`, `kv`, `proj`), then a residual `norm` → `mlp`; returns the pooled
 * `[B, C]` features.
 */
export class AttentionPoolLatent extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly numHeads: number;
  readonly headDim: number;
  readonly latent: Tensor<'float32'>;
  readonly q: Linear;
  readonly kv: Linear;
  readonly proj: Linear;
  readonly norm: Layer;
  readonly mlp: Mlp;

  constructor(
    readonly dim: number,
    options: AttentionPoolLatentOptions = {},
  ) {
    super();
    this.numHeads = options.numHeads ?? 8;
    this.headDim = dim / this.numHeads;
    this.latent = this.registerParameter('latent', Tensor.zeros('float32', [1, 1, dim]));
    this.q = this.registerModule('q', new Linear(dim, dim));
    this.kv = this.registerModule('kv', new Linear(dim, dim * 2));
    this.registerModule('q_norm', new Identity());
    this.registerModule('k_norm', new Identity());
    this.proj = this.registerModule('proj', new Linear(dim, dim));
    this.registerModule('proj_drop', new Dropout(0));
    this.norm = this.registerModule('norm', (options.norm ?? vitNorm())(dim));
    this.mlp = this.registerModule(
      'mlp',
      new Mlp(dim, { hiddenFeatures: Math.trunc(dim * (options.mlpRatio ?? 4)) }),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const [h, d] = [this.numHeads, this.headDim];
    const q = F.transpose(F.reshape(this.q.call(F.expandBatch(this.latent, x)), [0, 1, h, d]), 1, 2);
    const kv = F.permute(F.reshape(this.kv.call(x), [0, 0, 2, h, d]), [2, 0, 3, 1, 4]);
    const k = F.gather(kv, 0, 0);
    const v = F.gather(kv, 1, 0);
    const attn = F.softmax(F.matmul(F.mul(q, d ** -0.5), F.transpose(k, 2, 3)), -1); // [B, H, 1, N]
    let y = F.reshape(F.transpose(F.matmul(attn, v), 1, 2), [0, 1, this.dim]);
    y = this.proj.call(y);
    y = F.add(y, this.mlp.call(this.norm.call(y)));
    return F.gather(y, 0, 1);
  }
}
