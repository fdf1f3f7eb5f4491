/**
 * TNT's layers with timm's module names: its attention (separate `qk` and `v` projections), the
 * block pairing an inner (pixel) and an outer (patch) transformer, and the pixel embedding.
 * @module
 */
import { Conv2d, F, LayerNorm, Linear, Mlp, Module, type SymbolicTensor, type Tensor } from '@ocular/core';

/**
 * timm's TNT `Attention` (`qk`, `v`, `proj`) on `[B, N, C]`: q and k come from one projection of
 * width `2·hiddenDim`, v from its own; the scale is applied to the scores.
 */
export class TntAttention extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly headDim: number;
  readonly scale: number;
  readonly qk: Linear;
  readonly v: Linear;
  readonly proj: Linear;

  constructor(
    readonly dim: number,
    hiddenDim: number,
    readonly numHeads = 8,
    qkvBias = false,
  ) {
    super();
    this.headDim = Math.floor(hiddenDim / numHeads);
    this.scale = this.headDim ** -0.5;
    this.qk = this.registerModule('qk', new Linear(dim, hiddenDim * 2, { bias: qkvBias }));
    this.v = this.registerModule('v', new Linear(dim, dim, { bias: qkvBias }));
    this.proj = this.registerModule('proj', new Linear(dim, dim));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const nh = this.numHeads;
    const qk = F.permute(F.reshape(this.qk.call(x), [0, 0, 2, nh, this.headDim]), [2, 0, 3, 1, 4]);
    const q = F.gather(qk, 0, 0); // [B, heads, N, d]
    const k = F.gather(qk, 1, 0);
    const v = F.permute(F.reshape(this.v.call(x), [0, 0, nh, this.dim / nh]), [0, 2, 1, 3]);
    const attn = F.softmax(F.mul(F.matmul(q, F.permute(k, [0, 1, 3, 2])), this.scale), -1);
    return this.proj.call(F.reshape(F.permute(F.matmul(attn, v), [0, 2, 1, 3]), [0, 0, this.dim]));
  }
}

/**
 * timm's TNT `Block` (non-legacy): the inner transformer on pixel tokens `[B·N, P, c]`, their
 * projection (`norm1_proj` → `proj` → `norm2_proj`) added to the patch tokens (not the class
 * token), then the outer transformer on `[B, 1 + N, C]`.
 */
export class TntBlock extends Module<[SymbolicTensor, SymbolicTensor], [SymbolicTensor, SymbolicTensor]> {
  readonly normIn: LayerNorm;
  readonly attnIn: TntAttention;
  readonly normMlpIn: LayerNorm;
  readonly mlpIn: Mlp;
  readonly norm1Proj: LayerNorm;
  readonly proj: Linear;
  readonly norm2Proj: LayerNorm;
  readonly normOut: LayerNorm;
  readonly attnOut: TntAttention;
  readonly normMlp: LayerNorm;
  readonly mlp: Mlp;

  constructor(
    readonly dim: number,
    readonly dimOut: number,
    readonly numPixel: number,
    numHeadsIn = 4,
    numHeadsOut = 12,
    mlpRatio = 4,
    qkvBias = false,
  ) {
    super();
    this.normIn = this.registerModule('norm_in', new LayerNorm(dim));
    this.attnIn = this.registerModule('attn_in', new TntAttention(dim, dim, numHeadsIn, qkvBias));
    this.normMlpIn = this.registerModule('norm_mlp_in', new LayerNorm(dim));
    this.mlpIn = this.registerModule('mlp_in', new Mlp(dim, { hiddenFeatures: dim * 4, outFeatures: dim }));
    this.norm1Proj = this.registerModule('norm1_proj', new LayerNorm(dim * numPixel));
    this.proj = this.registerModule('proj', new Linear(dim * numPixel, dimOut, { bias: false }));
    this.norm2Proj = this.registerModule('norm2_proj', new LayerNorm(dimOut));
    this.normOut = this.registerModule('norm_out', new LayerNorm(dimOut));
    this.attnOut = this.registerModule('attn_out', new TntAttention(dimOut, dimOut, numHeadsOut, qkvBias));
    this.normMlp = this.registerModule('norm_mlp', new LayerNorm(dimOut));
    this.mlp = this.registerModule(
      'mlp',
      new Mlp(dimOut, { hiddenFeatures: Math.floor(dimOut * mlpRatio), outFeatures: dimOut }),
    );
  }

  forward(pixel: SymbolicTensor, patch: SymbolicTensor): [SymbolicTensor, SymbolicTensor] {
    let px = F.add(pixel, this.attnIn.call(this.normIn.call(pixel)));
    px = F.add(px, this.mlpIn.call(this.normMlpIn.call(px)));
    const n = (patch.shape[1] as number) - 1;
    const flat = F.reshape(px, [-1, n, this.dim * this.numPixel]);
    const added = this.norm2Proj.call(this.proj.call(this.norm1Proj.call(flat)));
    let pt = F.concat(
      [F.slice(patch, [0], [1], [1]), F.add(F.slice(patch, [1], [Number.MAX_SAFE_INTEGER], [1]), added)],
      1,
    );
    pt = F.add(pt, this.attnOut.call(this.normOut.call(pt)));
    pt = F.add(pt, this.mlp.call(this.normMlp.call(pt)));
    return [px, pt];
  }
}

/**
 * timm's TNT `PixelEmbed` (non-legacy): the image cut into `patchSize` patches (`nn.Unfold` with
 * stride = kernel, here a reshape and transpose), each embedded by `proj` (7×7 conv, stride
 * `stride`, padding 3), plus `pixelPos`; output pixel tokens `[B·N, P, innerDim]`. Rows and
 * columns beyond the last whole patch are dropped, as `nn.Unfold` drops them.
 */
export class PixelEmbed extends Module<[SymbolicTensor, Tensor | SymbolicTensor], SymbolicTensor> {
  readonly proj: Conv2d;

  constructor(
    readonly inChans: number,
    readonly inDim: number,
    readonly patchSize: number,
    stride: number,
  ) {
    super();
    this.proj = this.registerModule('proj', new Conv2d(inChans, inDim, 7, { padding: 3, stride }));
  }

  forward(x: SymbolicTensor, pixelPos: Tensor | SymbolicTensor): SymbolicTensor {
    const [, c, height, width] = x.shape as [unknown, number, number, number];
    const p = this.patchSize;
    const gh = Math.floor(height / p);
    const gw = Math.floor(width / p);
    let y = gh * p === height && gw * p === width ? x : F.slice(x, [0, 0], [gh * p, gw * p], [2, 3]);
    y = F.permute(F.reshape(y, [0, c, gh, p, gw, p]), [0, 2, 4, 1, 3, 5]); // [B, gh, gw, C, p, p]
    y = this.proj.call(F.reshape(y, [-1, c, p, p]));
    y = F.add(y, pixelPos);
    return F.transpose(F.reshape(y, [0, this.inDim, -1]), 1, 2);
  }
}
