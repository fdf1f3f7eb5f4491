/**
 * VOLO's layers with timm's module names: outlook attention and the outlooker block, the
 * transformer block on `[B, H, W, C]` maps, class attention and its block, the conv stem and
 * the downsampling projection.
 * @module
 */
import {
  Attention,
  BatchNorm2d,
  Conv2d,
  F,
  LayerNorm,
  Linear,
  Mlp,
  Module,
  ReLU,
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';
import { fold2d, unfold2d } from './unfold.js';

/**
 * Outlook attention (timm's `OutlookAttention`, modules `v`, `attn`, `proj`): every `stride ×
 * stride` cell predicts, from its average-pooled features, a `k² × k²` attention per head that
 * mixes the `k × k` neighbourhood of values; the weighted neighbourhoods are folded back
 * (overlap-add) onto the full-resolution map. Input and output are `[B, H, W, C]`.
 */
export class OutlookAttention extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly headDim: number;
  readonly scale: number;
  readonly v: Linear;
  readonly attn: Linear;
  readonly proj: Linear;

  constructor(
    readonly dim: number,
    readonly numHeads: number,
    readonly kernelSize = 3,
    readonly padding = 1,
    readonly stride = 1,
    qkvBias = false,
  ) {
    super();
    this.headDim = Math.floor(dim / numHeads);
    this.scale = this.headDim ** -0.5;
    this.v = this.registerModule('v', new Linear(dim, dim, { bias: qkvBias }));
    this.attn = this.registerModule('attn', new Linear(dim, kernelSize ** 4 * numHeads));
    this.proj = this.registerModule('proj', new Linear(dim, dim));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const [, height, width, c] = x.shape as [unknown, number, number, number];
    const { kernelSize: k, padding: p, stride: s, numHeads: nh } = this;
    const kk = k * k;
    const cols = unfold2d(F.permute(this.v.call(x), [0, 3, 1, 2]), k, p, s); // [B, C, k², h, w]
    const [, , , h, w] = cols.shape as number[];
    const n = h! * w!;
    // [B, heads, d, k², N] → [B, heads, N, k², d]
    const v = F.permute(F.reshape(cols, [0, nh, c / nh, kk, n]), [0, 1, 4, 3, 2]);
    const pooled = F.avgPool(F.permute(x, [0, 3, 1, 2]), s, { stride: s, ceilMode: true });
    let a = this.attn.call(F.permute(pooled, [0, 2, 3, 1])); // [B, h, w, heads·k⁴]
    a = F.permute(F.reshape(a, [0, n, nh, kk, kk]), [0, 2, 1, 3, 4]); // [B, heads, N, k², k²]
    a = F.softmax(F.mul(a, this.scale), -1);
    // [B, heads, N, k², d] → [B, heads, d, k², N] → [B, C, k², h, w]
    const y = F.reshape(F.permute(F.matmul(a, v), [0, 1, 4, 3, 2]), [0, c, kk, h!, w!]);
    const folded = fold2d(y, height, width, k, p, s);
    return this.proj.call(F.permute(folded, [0, 2, 3, 1]));
  }
}

/** timm's `Outlooker` block: `x + attn(norm1(x))`, then `x + mlp(norm2(x))`, on `[B, H, W, C]`. */
export class Outlooker extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly norm1: LayerNorm;
  readonly attn: OutlookAttention;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;

  constructor(
    dim: number,
    kernelSize: number,
    padding: number,
    stride: number,
    numHeads: number,
    mlpRatio: number,
  ) {
    super();
    this.norm1 = this.registerModule('norm1', new LayerNorm(dim));
    this.attn = this.registerModule('attn', new OutlookAttention(dim, numHeads, kernelSize, padding, stride));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dim));
    this.mlp = this.registerModule('mlp', new Mlp(dim, { hiddenFeatures: Math.floor(dim * mlpRatio) }));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = F.add(x, this.attn.call(this.norm1.call(x)));
    return F.add(y, this.mlp.call(this.norm2.call(y)));
  }
}

/**
 * timm's VOLO `Transformer` block on `[B, H, W, C]` maps: core's multi-head attention over the
 * flattened tokens (timm's VOLO `Attention` has the same `qkv`/`proj` layout and arithmetic).
 */
export class VoloTransformer extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly norm1: LayerNorm;
  readonly attn: Attention;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;

  constructor(dim: number, numHeads: number, mlpRatio: number, qkvBias = false) {
    super();
    this.norm1 = this.registerModule('norm1', new LayerNorm(dim));
    this.attn = this.registerModule('attn', new Attention(dim, { numHeads, qkvBias }));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dim));
    this.mlp = this.registerModule('mlp', new Mlp(dim, { hiddenFeatures: Math.floor(dim * mlpRatio) }));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const [, h, w, c] = x.shape as [unknown, number, number, number];
    const tokens = F.reshape(this.norm1.call(x), [0, h * w, c]);
    const y = F.add(x, F.reshape(this.attn.call(tokens), [0, h, w, c]));
    return F.add(y, this.mlp.call(this.norm2.call(y)));
  }
}

/**
 * Class attention (timm's VOLO `ClassAttention`: `kv`, `q`, `proj`): the first token queries all
 * tokens; returns the updated class embedding `[B, 1, C]`.
 */
export class ClassAttention extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly headDim: number;
  readonly scale: number;
  readonly kv: Linear;
  readonly q: Linear;
  readonly proj: Linear;

  constructor(
    dim: number,
    readonly numHeads = 8,
    headDim?: number,
    qkvBias = false,
  ) {
    super();
    this.headDim = headDim ?? Math.floor(dim / numHeads);
    this.scale = this.headDim ** -0.5;
    const inner = this.headDim * numHeads;
    this.kv = this.registerModule('kv', new Linear(dim, inner * 2, { bias: qkvBias }));
    this.q = this.registerModule('q', new Linear(dim, inner, { bias: qkvBias }));
    this.proj = this.registerModule('proj', new Linear(inner, dim));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const { numHeads: nh, headDim: d } = this;
    const kv = F.permute(F.reshape(this.kv.call(x), [0, 0, 2, nh, d]), [2, 0, 3, 1, 4]);
    const k = F.gather(kv, 0, 0); // [B, heads, N, d]
    const v = F.gather(kv, 1, 0);
    const q = F.mul(F.reshape(this.q.call(F.slice(x, [0], [1], [1])), [0, nh, 1, d]), this.scale);
    const attn = F.softmax(F.matmul(q, F.permute(k, [0, 1, 3, 2])), -1); // [B, heads, 1, N]
    const y = F.reshape(F.permute(F.matmul(attn, v), [0, 2, 1, 3]), [0, 1, nh * d]);
    return this.proj.call(y);
  }
}

/** timm's VOLO `ClassBlock`: updates the class token with class attention and an MLP. */
export class ClassBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly norm1: LayerNorm;
  readonly attn: ClassAttention;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;

  constructor(dim: number, numHeads: number, mlpRatio: number, qkvBias = false) {
    super();
    this.norm1 = this.registerModule('norm1', new LayerNorm(dim));
    this.attn = this.registerModule('attn', new ClassAttention(dim, numHeads, undefined, qkvBias));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dim));
    this.mlp = this.registerModule('mlp', new Mlp(dim, { hiddenFeatures: Math.floor(dim * mlpRatio) }));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let cls = F.slice(x, [0], [1], [1]);
    cls = F.add(cls, this.attn.call(this.norm1.call(x)));
    cls = F.add(cls, this.mlp.call(this.norm2.call(cls)));
    return F.concat([cls, F.slice(x, [1], [Number.MAX_SAFE_INTEGER], [1])], 1);
  }
}

/**
 * VOLO's patch embedding (timm's VOLO `PatchEmbed` with `stem_conv=True, stem_stride=2`):
 * `conv` = three conv–BN–ReLU (7×7 stride 2, 3×3, 3×3, no conv bias), then `proj`, a
 * `patchSize/2` patchify conv. Output `[B, C, H/patchSize, W/patchSize]`.
 */
export class VoloPatchEmbed extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly conv: Sequential;
  readonly proj: Conv2d;

  constructor(inChans: number, hiddenDim: number, embedDim: number, patchSize: number) {
    super();
    const stemStride = 2;
    this.conv = this.registerModule(
      'conv',
      new Sequential([
        new Conv2d(inChans, hiddenDim, 7, { stride: stemStride, padding: 3, bias: false }),
        new BatchNorm2d(hiddenDim),
        new ReLU(),
        new Conv2d(hiddenDim, hiddenDim, 3, { padding: 1, bias: false }),
        new BatchNorm2d(hiddenDim),
        new ReLU(),
        new Conv2d(hiddenDim, hiddenDim, 3, { padding: 1, bias: false }),
        new BatchNorm2d(hiddenDim),
        new ReLU(),
      ]),
    );
    const k = patchSize / stemStride;
    this.proj = this.registerModule('proj', new Conv2d(hiddenDim, embedDim, k, { stride: k }));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.proj.call(this.conv.call(x));
  }
}

/** timm's VOLO `Downsample`: a `patchSize` patchify conv on `[B, H, W, C]` maps. */
export class VoloDownsample extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly proj: Conv2d;

  constructor(inDim: number, outDim: number, patchSize = 2) {
    super();
    this.proj = this.registerModule('proj', new Conv2d(inDim, outDim, patchSize, { stride: patchSize }));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return F.permute(this.proj.call(F.permute(x, [0, 3, 1, 2])), [0, 2, 3, 1]);
  }
}
