/**
 * Twins-SVT blocks with timm's child names: `LocallyGroupedAttn` (`qkv`, `proj`), the global
 * sub-sampled attention (`q`, `kv`, `proj`, `sr`, `norm`: PVTv2's spatial-reduction attention),
 * `PosConv` (`proj.0`, the conditional position encoding) and the block (`norm1`, `attn`,
 * `norm2`, `mlp`).
 * @module
 */
import {
  Conv2d,
  F,
  InvalidArgumentError,
  LayerNorm,
  Linear,
  Mlp,
  Module,
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';
import { SpatialReductionAttention } from '../pvt_v2/blocks.js';

type TokenLayer = Module<[SymbolicTensor, readonly [number, number]], SymbolicTensor>;

/**
 * Self-attention inside non-overlapping `ws × ws` windows of the token map. The map is zero
 * padded bottom/right to window multiples and the padded tokens take part unmasked, as timm.
 */
export class LocallyGroupedAttn extends Module<[SymbolicTensor, readonly [number, number]], SymbolicTensor> {
  readonly numHeads: number;
  readonly ws: number;
  readonly qkv: Linear;
  readonly proj: Linear;

  constructor(dim: number, numHeads: number, ws: number) {
    super();
    if (dim % numHeads)
      throw new InvalidArgumentError(`LocallyGroupedAttn: dim ${dim} is not divisible by ${numHeads}`);
    this.numHeads = numHeads;
    this.ws = ws;
    this.qkv = this.registerModule('qkv', new Linear(dim, 3 * dim));
    this.proj = this.registerModule('proj', new Linear(dim, dim));
  }

  forward(x: SymbolicTensor, [h, w]: readonly [number, number]): SymbolicTensor {
    const c = x.shape[2] as number;
    const ws = this.ws;
    const nh = this.numHeads;
    const hd = c / nh;
    const hp = Math.ceil(h / ws) * ws;
    const wp = Math.ceil(w / ws) * ws;
    const gh = hp / ws;
    const gw = wp / ws;
    let y = F.reshape(x, [-1, h, w, c]);
    if (hp !== h || wp !== w) y = F.pad(y, [0, 0, 0, wp - w, 0, hp - h]);
    y = F.transpose(F.reshape(y, [-1, gh, ws, gw, ws, c]), 2, 3); // [B, gh, gw, ws, ws, C]
    const qkv = F.permute(F.reshape(this.qkv.call(y), [-1, gh * gw, ws * ws, 3, nh, hd]), [3, 0, 1, 4, 2, 5]);
    const q = F.mul(F.gather(qkv, 0, 0), hd ** -0.5);
    const k = F.gather(qkv, 1, 0);
    const v = F.gather(qkv, 2, 0);
    const attn = F.softmax(F.matmul(q, F.transpose(k, -2, -1)), -1);
    let o = F.transpose(F.matmul(attn, v), 2, 3); // [B, nW, T, nh, hd]
    o = F.transpose(F.reshape(o, [-1, gh, gw, ws, ws, c]), 2, 3);
    o = F.reshape(o, [-1, hp, wp, c]);
    if (hp !== h || wp !== w) o = F.slice(o, [0, 0], [h, w], [1, 2]);
    return this.proj.call(F.reshape(o, [-1, h * w, c]));
  }
}

/** The conditional position encoding (PEG): a 3×3 depthwise conv on the token map plus the map. */
export class PosConv extends Module<[SymbolicTensor, readonly [number, number]], SymbolicTensor> {
  readonly proj: Sequential;

  constructor(inChans: number, embedDim: number) {
    super();
    this.proj = this.registerModule(
      'proj',
      new Sequential([new Conv2d(inChans, embedDim, 3, { padding: 1, groups: embedDim })]),
    );
  }

  forward(x: SymbolicTensor, [h, w]: readonly [number, number]): SymbolicTensor {
    const c = x.shape[2] as number;
    const map = F.reshape(F.permute(x, [0, 2, 1]), [-1, c, h, w]);
    const y = F.add(this.proj.call(map), map);
    return F.permute(F.flatten(y, 2), [0, 2, 1]);
  }
}

/** Options of {@link TwinsBlock}. */
export interface TwinsBlockOptions {
  readonly numHeads: number;
  readonly mlpRatio: number;
  /** Sub-sampling ratio of the global attention. */
  readonly srRatio: number;
  /** 1: global sub-sampled attention; > 1: locally-grouped attention in `ws × ws` windows. */
  readonly ws: number;
}

/** Pre-norm attention (eps 1e-6) and MLP, each with a residual, on `[B, N, C]` tokens with their (H, W). */
export class TwinsBlock extends Module<[SymbolicTensor, readonly [number, number]], SymbolicTensor> {
  readonly norm1: LayerNorm;
  readonly attn: TokenLayer;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;

  constructor(dim: number, options: TwinsBlockOptions) {
    super();
    this.norm1 = this.registerModule('norm1', new LayerNorm(dim, { eps: 1e-6 }));
    this.attn = this.registerModule(
      'attn',
      options.ws === 1
        ? new SpatialReductionAttention(dim, options.numHeads, options.srRatio)
        : new LocallyGroupedAttn(dim, options.numHeads, options.ws),
    );
    this.norm2 = this.registerModule('norm2', new LayerNorm(dim, { eps: 1e-6 }));
    this.mlp = this.registerModule(
      'mlp',
      new Mlp(dim, { hiddenFeatures: Math.floor(dim * options.mlpRatio), actLayer: 'gelu' }),
    );
  }

  forward(x: SymbolicTensor, size: readonly [number, number]): SymbolicTensor {
    const y = F.add(x, this.attn.call(this.norm1.call(x), size));
    return F.add(y, this.mlp.call(this.norm2.call(y)));
  }
}
