/**
 * PVTv2's blocks with timm's child names: `OverlapPatchEmbed` (`proj`, `norm`), spatial-reduction
 * `Attention` (`q`, `kv`, `proj`, `sr`, `norm`), `MlpWithDepthwiseConv` (`fc1`, `dwconv`, `fc2`),
 * `Block` (`norm1`, `attn`, `norm2`, `mlp`) and the stage (`downsample`, `blocks`, `norm`).
 * @module
 */
import {
  Conv2d,
  F,
  Identity,
  InvalidArgumentError,
  LayerNorm,
  Linear,
  Module,
  ModuleList,
  type SymbolicTensor,
} from '@ocular/core';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Static (H, W) of a map: NCHW (`channelsLast` false) or NHWC. */
function spatial(x: SymbolicTensor, channelsLast: boolean, who: string): [number, number] {
  const [h, w] = channelsLast ? x.shape.slice(1, 3) : x.shape.slice(2, 4);
  if (typeof h !== 'number' || typeof w !== 'number') {
    throw new InvalidArgumentError(`${who}: height and width must be static, got [${x.shape.join(', ')}]`);
  }
  return [h, w];
}

/** Overlapping patch embedding: k×k conv with stride s and padding k/2, then a norm (eps 1e-5); NCHW in, NHWC out. */
export class OverlapPatchEmbed extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly proj: Conv2d;
  readonly norm: LayerNorm;

  constructor(patchSize: number, stride: number, inChans: number, embedDim: number) {
    super();
    if (patchSize <= stride)
      throw new InvalidArgumentError('OverlapPatchEmbed: the patch must exceed the stride');
    this.proj = this.registerModule(
      'proj',
      new Conv2d(inChans, embedDim, patchSize, { stride, padding: Math.floor(patchSize / 2) }),
    );
    this.norm = this.registerModule('norm', new LayerNorm(embedDim));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.norm.call(F.permute(this.proj.call(x), [0, 2, 3, 1]));
  }
}

/**
 * Attention whose keys and values come from a spatially reduced map (an `sr × sr` stride-`sr`
 * conv and a norm, eps 1e-5) when `srRatio > 1`. Tokens `[B, N, C]` with their (H, W).
 */
export class SpatialReductionAttention extends Module<
  [SymbolicTensor, readonly [number, number]],
  SymbolicTensor
> {
  readonly numHeads: number;
  readonly headDim: number;
  readonly q: Linear;
  readonly kv: Linear;
  readonly proj: Linear;
  readonly sr?: Conv2d;
  readonly norm?: LayerNorm;

  constructor(dim: number, numHeads: number, srRatio: number, qkvBias = true) {
    super();
    if (dim % numHeads)
      throw new InvalidArgumentError(`Attention: dim ${dim} is not divisible by ${numHeads} heads`);
    this.numHeads = numHeads;
    this.headDim = dim / numHeads;
    this.q = this.registerModule('q', new Linear(dim, dim, { bias: qkvBias }));
    this.kv = this.registerModule('kv', new Linear(dim, 2 * dim, { bias: qkvBias }));
    this.proj = this.registerModule('proj', new Linear(dim, dim));
    if (srRatio > 1) {
      this.sr = this.registerModule('sr', new Conv2d(dim, dim, srRatio, { stride: srRatio }));
      this.norm = this.registerModule('norm', new LayerNorm(dim));
    }
  }

  forward(x: SymbolicTensor, [h, w]: readonly [number, number]): SymbolicTensor {
    const c = this.numHeads * this.headDim;
    const q = F.permute(F.reshape(this.q.call(x), [0, 0, this.numHeads, this.headDim]), [0, 2, 1, 3]);
    let src = x;
    if (this.sr && this.norm) {
      const map = F.reshape(F.permute(x, [0, 2, 1]), [-1, c, h, w]);
      src = this.norm.call(F.permute(F.flatten(this.sr.call(map), 2), [0, 2, 1]));
    }
    const kv = F.permute(
      F.reshape(this.kv.call(src), [0, -1, 2, this.numHeads, this.headDim]),
      [2, 0, 3, 1, 4],
    );
    const k = F.gather(kv, 0, 0);
    const v = F.gather(kv, 1, 0);
    const attn = F.softmax(F.mul(F.matmul(q, F.permute(k, [0, 1, 3, 2])), this.headDim ** -0.5), -1);
    const y = F.reshape(F.permute(F.matmul(attn, v), [0, 2, 1, 3]), [0, 0, c]);
    return this.proj.call(y);
  }
}

/** `fc1` → (tokens to map) 3×3 depthwise `dwconv` → (map to tokens) GELU → `fc2`. */
export class MlpWithDepthwiseConv extends Module<
  [SymbolicTensor, readonly [number, number]],
  SymbolicTensor
> {
  readonly fc1: Linear;
  readonly dwconv: Conv2d;
  readonly fc2: Linear;

  constructor(inFeatures: number, hiddenFeatures: number) {
    super();
    this.fc1 = this.registerModule('fc1', new Linear(inFeatures, hiddenFeatures));
    this.dwconv = this.registerModule(
      'dwconv',
      new Conv2d(hiddenFeatures, hiddenFeatures, 3, { padding: 1, groups: hiddenFeatures }),
    );
    this.fc2 = this.registerModule('fc2', new Linear(hiddenFeatures, inFeatures));
  }

  forward(x: SymbolicTensor, [h, w]: readonly [number, number]): SymbolicTensor {
    const y = this.fc1.call(x);
    const c = y.shape[2] as number;
    const map = F.reshape(F.permute(y, [0, 2, 1]), [-1, c, h, w]);
    const t = F.permute(F.flatten(this.dwconv.call(map), 2), [0, 2, 1]);
    return this.fc2.call(F.gelu(t));
  }
}

/** Pre-norm spatial-reduction attention and depthwise-conv MLP, each with a residual (norm eps 1e-6). */
export class PvtV2Block extends Module<[SymbolicTensor, readonly [number, number]], SymbolicTensor> {
  readonly norm1: LayerNorm;
  readonly attn: SpatialReductionAttention;
  readonly norm2: LayerNorm;
  readonly mlp: MlpWithDepthwiseConv;

  constructor(dim: number, numHeads: number, mlpRatio: number, srRatio: number, qkvBias = true) {
    super();
    this.norm1 = this.registerModule('norm1', new LayerNorm(dim, { eps: 1e-6 }));
    this.attn = this.registerModule('attn', new SpatialReductionAttention(dim, numHeads, srRatio, qkvBias));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dim, { eps: 1e-6 }));
    this.mlp = this.registerModule('mlp', new MlpWithDepthwiseConv(dim, Math.floor(dim * mlpRatio)));
  }

  forward(x: SymbolicTensor, size: readonly [number, number]): SymbolicTensor {
    const y = F.add(x, this.attn.call(this.norm1.call(x), size));
    return F.add(y, this.mlp.call(this.norm2.call(y), size));
  }
}

/** Options of {@link PvtV2Stage}. */
export interface PvtV2StageOptions {
  readonly depth: number;
  /** A 3×3 stride-2 overlapping patch embedding in front (stages after the first). */
  readonly downsample: boolean;
  readonly numHeads: number;
  readonly srRatio: number;
  readonly mlpRatio: number;
  readonly qkvBias?: boolean;
}

/**
 * `downsample` (NCHW → NHWC) or nothing (the input is already NHWC), the blocks on the tokens,
 * the stage `norm` (eps 1e-6); returns an NCHW map, as timm.
 */
export class PvtV2Stage extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly downsample: Layer;
  readonly blocks: ModuleList<PvtV2Block>;
  readonly norm: LayerNorm;

  constructor(dim: number, dimOut: number, options: PvtV2StageOptions) {
    super();
    if (!options.downsample && dim !== dimOut) {
      throw new InvalidArgumentError(
        `PvtV2Stage: without downsampling the width stays ${dim}, not ${dimOut}`,
      );
    }
    this.downsample = this.registerModule(
      'downsample',
      options.downsample ? new OverlapPatchEmbed(3, 2, dim, dimOut) : new Identity(),
    );
    this.blocks = this.registerModule(
      'blocks',
      new ModuleList(
        Array.from(
          { length: options.depth },
          () => new PvtV2Block(dimOut, options.numHeads, options.mlpRatio, options.srRatio, options.qkvBias),
        ),
      ),
    );
    this.norm = this.registerModule('norm', new LayerNorm(dimOut, { eps: 1e-6 }));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = this.downsample.call(x); // [B, H, W, C]
    const [h, w] = spatial(y, true, 'PvtV2Stage');
    const c = y.shape[3] as number;
    let t = F.reshape(y, [0, h * w, c]);
    for (const blk of this.blocks) t = blk.call(t, [h, w]);
    t = this.norm.call(t);
    return F.permute(F.reshape(t, [0, h, w, c]), [0, 3, 1, 2]);
  }
}
