/**
 * CaiT's blocks (timm's `cait.py`): talking-heads self-attention, class attention, and the two
 * layer-scaled residual blocks built on them.
 * @module
 */
import {
  Dropout,
  F,
  fullTensor,
  InvalidArgumentError,
  LayerNorm,
  Linear,
  Mlp,
  Module,
  type SymbolicTensor,
  type Tensor,
} from '@ocular/core';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

function headDim(dim: number, numHeads: number, what: string): number {
  if (dim % numHeads)
    throw new InvalidArgumentError(`${what}: dim ${dim} is not divisible by ${numHeads} heads`);
  return dim / numHeads;
}

/** `[B, N, N', H]`-last view for a per-head linear map over the scores `[B, H, N, N']`. */
function mixHeads(attn: SymbolicTensor, proj: Linear): SymbolicTensor {
  return F.permute(proj.call(F.permute(attn, [0, 2, 3, 1])), [0, 3, 1, 2]);
}

/**
 * Talking-heads attention (timm's `TalkingHeadAttn`: `qkv`, `attn_drop`, `proj`, `proj_l`,
 * `proj_w`, `proj_drop`): the scores are mixed across heads by `proj_l` before the softmax and by
 * `proj_w` after it.
 */
export class TalkingHeadAttn extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly numHeads: number;
  readonly headDim: number;
  readonly scale: number;
  readonly qkv: Linear;
  readonly attnDrop: Dropout;
  readonly proj: Linear;
  readonly projL: Linear;
  readonly projW: Linear;
  readonly projDrop: Dropout;

  constructor(dim: number, options: { numHeads?: number; qkvBias?: boolean } = {}) {
    super();
    this.numHeads = options.numHeads ?? 8;
    this.headDim = headDim(dim, this.numHeads, 'TalkingHeadAttn');
    this.scale = this.headDim ** -0.5;
    this.qkv = this.registerModule('qkv', new Linear(dim, dim * 3, { bias: options.qkvBias ?? false }));
    this.attnDrop = this.registerModule('attn_drop', new Dropout(0));
    this.proj = this.registerModule('proj', new Linear(dim, dim));
    this.projL = this.registerModule('proj_l', new Linear(this.numHeads, this.numHeads));
    this.projW = this.registerModule('proj_w', new Linear(this.numHeads, this.numHeads));
    this.projDrop = this.registerModule('proj_drop', new Dropout(0));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const h = this.numHeads;
    const qkv = F.permute(F.reshape(this.qkv.call(x), [0, 0, 3, h, this.headDim]), [2, 0, 3, 1, 4]);
    const q = F.mul(F.gather(qkv, 0, 0), this.scale); // [B, H, N, d]
    const k = F.gather(qkv, 1, 0);
    const v = F.gather(qkv, 2, 0);
    let attn = F.matmul(q, F.permute(k, [0, 1, 3, 2])); // [B, H, N, N]
    attn = F.softmax(mixHeads(attn, this.projL), -1);
    attn = this.attnDrop.call(mixHeads(attn, this.projW));
    const y = F.reshape(F.permute(F.matmul(attn, v), [0, 2, 1, 3]), [0, 0, h * this.headDim]);
    return this.projDrop.call(this.proj.call(y));
  }
}

/**
 * Class attention (timm's `ClassAttn`: `q`, `k`, `v`, `attn_drop`, `proj`, `proj_drop`): only the
 * first token queries; every token is a key and value. Returns `[B, 1, C]`.
 */
export class ClassAttn extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly numHeads: number;
  readonly headDim: number;
  readonly scale: number;
  readonly q: Linear;
  readonly k: Linear;
  readonly v: Linear;
  readonly attnDrop: Dropout;
  readonly proj: Linear;
  readonly projDrop: Dropout;

  constructor(dim: number, options: { numHeads?: number; qkvBias?: boolean } = {}) {
    super();
    this.numHeads = options.numHeads ?? 8;
    this.headDim = headDim(dim, this.numHeads, 'ClassAttn');
    this.scale = this.headDim ** -0.5;
    const bias = options.qkvBias ?? false;
    this.q = this.registerModule('q', new Linear(dim, dim, { bias }));
    this.k = this.registerModule('k', new Linear(dim, dim, { bias }));
    this.v = this.registerModule('v', new Linear(dim, dim, { bias }));
    this.attnDrop = this.registerModule('attn_drop', new Dropout(0));
    this.proj = this.registerModule('proj', new Linear(dim, dim));
    this.projDrop = this.registerModule('proj_drop', new Dropout(0));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const heads = (t: SymbolicTensor) =>
      F.permute(F.reshape(t, [0, 0, this.numHeads, this.headDim]), [0, 2, 1, 3]);
    const q = heads(this.q.call(F.slice(x, [0], [1], [1]))); // [B, H, 1, d]
    const k = heads(this.k.call(x)); // [B, H, N, d]
    const v = heads(this.v.call(x));
    let attn = F.matmul(F.mul(q, this.scale), F.permute(k, [0, 1, 3, 2])); // [B, H, 1, N]
    attn = this.attnDrop.call(F.softmax(attn, -1));
    const y = F.reshape(F.permute(F.matmul(attn, v), [0, 2, 1, 3]), [0, 1, this.numHeads * this.headDim]);
    return this.projDrop.call(this.proj.call(y));
  }
}

/** Options of the CaiT blocks. */
export interface CaitBlockOptions {
  readonly numHeads: number;
  /** Default 4. */
  readonly mlpRatio?: number;
  /** Default false. */
  readonly qkvBias?: boolean;
  /** Layer-scale initial value (default 1e-4). */
  readonly initValues?: number;
  /** LayerNorm epsilon (default 1e-6, CaiT's). */
  readonly normEps?: number;
}

/** The layer-scaled pre-norm block pieces both CaiT blocks share (`gamma_1`, `gamma_2`, norms, MLP). */
abstract class LayerScaled<A extends unknown[]> extends Module<A, SymbolicTensor> {
  readonly gamma1: Tensor<'float32'>;
  readonly gamma2: Tensor<'float32'>;
  readonly norm1: LayerNorm;
  readonly attn: Layer;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;

  constructor(dim: number, attn: Layer, options: CaitBlockOptions) {
    super();
    const init = options.initValues ?? 1e-4;
    const eps = options.normEps ?? 1e-6;
    this.gamma1 = this.registerParameter('gamma_1', fullTensor([dim], init));
    this.gamma2 = this.registerParameter('gamma_2', fullTensor([dim], init));
    this.norm1 = this.registerModule('norm1', new LayerNorm(dim, { eps }));
    this.attn = this.registerModule('attn', attn);
    this.norm2 = this.registerModule('norm2', new LayerNorm(dim, { eps }));
    this.mlp = this.registerModule(
      'mlp',
      new Mlp(dim, { hiddenFeatures: Math.floor(dim * (options.mlpRatio ?? 4)) }),
    );
  }
}

/** timm's `LayerScaleBlock`: `x + γ₁·attn(norm1(x))`, then `x + γ₂·mlp(norm2(x))`, talking-heads attention. */
export class LayerScaleBlock extends LayerScaled<[SymbolicTensor]> {
  constructor(dim: number, options: CaitBlockOptions) {
    super(dim, new TalkingHeadAttn(dim, options), options);
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = F.add(x, F.mul(this.gamma1, this.attn.call(this.norm1.call(x))));
    return F.add(y, F.mul(this.gamma2, this.mlp.call(this.norm2.call(y))));
  }
}

/**
 * timm's `LayerScaleBlockClassAttn`: updates the class token `[B, 1, C]` by class attention over
 * `[cls, patch tokens]`, then its MLP; the patch tokens are read only.
 */
export class LayerScaleBlockClassAttn extends LayerScaled<[SymbolicTensor, SymbolicTensor]> {
  constructor(dim: number, options: CaitBlockOptions) {
    super(dim, new ClassAttn(dim, options), options);
  }

  forward(x: SymbolicTensor, xCls: SymbolicTensor): SymbolicTensor {
    const u = F.concat([xCls, x], 1);
    const c = F.add(xCls, F.mul(this.gamma1, this.attn.call(this.norm1.call(u))));
    return F.add(c, F.mul(this.gamma2, this.mlp.call(this.norm2.call(c))));
  }
}
