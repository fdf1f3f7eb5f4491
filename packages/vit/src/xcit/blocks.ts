/**
 * XCiT's blocks (timm's `xcit.py`): the convolutional patch embedding, the Fourier position
 * encoding, cross-covariance attention, local patch interaction, and the XCA and
 * class-attention blocks.
 * @module
 */
import {
  BatchNorm2d,
  Conv2d,
  createActivation,
  Dropout,
  F,
  fullTensor,
  InvalidArgumentError,
  LayerNorm,
  Linear,
  Mlp,
  Module,
  Sequential,
  type SymbolicTensor,
  Tensor,
} from '@ocular/core';
import { ClassAttn } from '../cait/blocks.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

const gelu = () => createActivation('gelu') as Layer;

/** 3×3 conv (no bias) + BatchNorm, timm's `conv3x3` in XCiT. */
function conv3x3(inChans: number, outChans: number, stride: number): Sequential {
  return new Sequential([
    new Conv2d(inChans, outChans, 3, { stride, padding: 1, bias: false }),
    new BatchNorm2d(outChans),
  ]);
}

/**
 * timm's `ConvPatchEmbed`: stride-2 3×3 conv-BN stages with GELU between them (four for patch
 * 16, three for patch 8), then flattened to tokens `[B, N, C]`.
 */
export class ConvPatchEmbed extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly proj: Sequential;
  readonly patchSize: number;

  constructor(options: { patchSize: 8 | 16; inChans: number; embedDim: number }) {
    super();
    const e = options.embedDim;
    const c = options.inChans;
    this.patchSize = options.patchSize;
    let layers: Layer[];
    if (options.patchSize === 16) {
      layers = [
        conv3x3(c, e / 8, 2),
        gelu(),
        conv3x3(e / 8, e / 4, 2),
        gelu(),
        conv3x3(e / 4, e / 2, 2),
        gelu(),
      ];
      layers.push(conv3x3(e / 2, e, 2));
    } else if (options.patchSize === 8) {
      layers = [conv3x3(c, e / 4, 2), gelu(), conv3x3(e / 4, e / 2, 2), gelu(), conv3x3(e / 2, e, 2)];
    } else {
      throw new InvalidArgumentError(`ConvPatchEmbed: patch size must be 8 or 16, got ${options.patchSize}`);
    }
    this.proj = this.registerModule('proj', new Sequential(layers));
  }

  /** The NCHW map before flattening (its H and W are the token grid). */
  forward(x: SymbolicTensor): SymbolicTensor {
    return this.proj.call(x);
  }
}

/**
 * The sine/cosine features of timm's `PositionalEncodingFourier` for an `h × w` grid, `[1,
 * 2·hiddenDim, h, w]` (y features first), computed in float32 steps as PyTorch does. They
 * depend on the grid only, so they are a constant of the traced graph.
 */
export function fourierFeatures(
  h: number,
  w: number,
  hiddenDim = 32,
  temperature = 10000,
): Tensor<'float32'> {
  const f = Math.fround;
  const eps = 1e-6;
  const scale = f(2 * Math.PI);
  const dimT = Array.from({ length: hiddenDim }, (_, i) =>
    f(f(temperature) ** f((2 * Math.floor(i / 2)) / hiddenDim)),
  );
  const embed = (pos: number, n: number) => f(f(pos / f(n + eps)) * scale);
  const c = 2 * hiddenDim;
  const out = new Float32Array(c * h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const ey = embed(y + 1, h);
      const ex = embed(x + 1, w);
      for (let i = 0; i < hiddenDim; i++) {
        // Channel i of each half: sin of the even frequencies interleaved with cos of the odd.
        const pair = Math.floor(i / 2);
        const j = i % 2 === 0 ? 2 * pair : 2 * pair + 1;
        const py = f(ey / dimT[j]!);
        const px = f(ex / dimT[j]!);
        out[(i * h + y) * w + x] = i % 2 === 0 ? Math.sin(py) : Math.cos(py);
        out[((hiddenDim + i) * h + y) * w + x] = i % 2 === 0 ? Math.sin(px) : Math.cos(px);
      }
    }
  }
  return new Tensor('float32', out, [1, c, h, w]);
}

/** timm's `PositionalEncodingFourier`: the grid's Fourier features through a 1×1 conv (`token_projection`). */
export class PositionalEncodingFourier extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly tokenProjection: Conv2d;
  readonly hiddenDim: number;

  constructor(dim: number, hiddenDim = 32) {
    super();
    this.hiddenDim = hiddenDim;
    this.tokenProjection = this.registerModule('token_projection', new Conv2d(hiddenDim * 2, dim, 1));
  }

  /** The encoding `[1, C, h, w]` of the grid of `like` (an NCHW map). */
  forward(like: SymbolicTensor): SymbolicTensor {
    const [, , h, w] = like.shape;
    if (typeof h !== 'number' || typeof w !== 'number')
      throw new InvalidArgumentError('PositionalEncodingFourier: the token grid must be static');
    return this.tokenProjection.call(fourierFeatures(h, w, this.hiddenDim) as unknown as SymbolicTensor);
  }
}

/** `x / max(‖x‖₂, 1e-12)` over the last dim (`torch.nn.functional.normalize`). */
function l2Normalize(x: SymbolicTensor): SymbolicTensor {
  const norm = F.sqrt(F.reduceSum(F.mul(x, x), [-1], { keepdims: true }));
  return F.div(x, F.clip(norm, 1e-12));
}

/**
 * Cross-covariance attention (timm's `XCA`: `temperature`, `qkv`, `attn_drop`, `proj`,
 * `proj_drop`): per head, a `d × d` attention between channels from L2-normalised (over tokens)
 * q and k, scaled by a learned per-head temperature.
 */
export class XCA extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly numHeads: number;
  readonly headDim: number;
  readonly temperature: Tensor<'float32'>;
  readonly qkv: Linear;
  readonly proj: Linear;

  constructor(dim: number, options: { numHeads: number; qkvBias: boolean }) {
    super();
    this.numHeads = options.numHeads;
    if (dim % this.numHeads)
      throw new InvalidArgumentError(`XCA: dim ${dim} is not divisible by ${this.numHeads} heads`);
    this.headDim = dim / this.numHeads;
    this.temperature = this.registerParameter('temperature', fullTensor([this.numHeads, 1, 1], 1));
    this.qkv = this.registerModule('qkv', new Linear(dim, dim * 3, { bias: options.qkvBias }));
    this.registerModule('attn_drop', new Dropout(0));
    this.proj = this.registerModule('proj', new Linear(dim, dim));
    this.registerModule('proj_drop', new Dropout(0));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    // [B, N, 3, H, d] → [3, B, H, d, N]
    const qkv = F.permute(
      F.reshape(this.qkv.call(x), [0, 0, 3, this.numHeads, this.headDim]),
      [2, 0, 3, 4, 1],
    );
    const q = l2Normalize(F.gather(qkv, 0, 0));
    const k = l2Normalize(F.gather(qkv, 1, 0));
    const v = F.gather(qkv, 2, 0);
    const attn = F.softmax(F.mul(F.matmul(q, F.permute(k, [0, 1, 3, 2])), this.temperature), -1); // [B, H, d, d]
    const y = F.reshape(F.permute(F.matmul(attn, v), [0, 3, 1, 2]), [0, 0, this.numHeads * this.headDim]);
    return this.proj.call(y);
  }
}

/**
 * Local patch interaction (timm's `LPI`: `conv1` depthwise 3×3, `act` GELU, `bn`, `conv2`
 * depthwise 3×3) on the tokens viewed as an `h × w` map.
 */
export class LPI extends Module<[SymbolicTensor, number, number], SymbolicTensor> {
  readonly conv1: Conv2d;
  readonly act: Layer;
  readonly bn: BatchNorm2d;
  readonly conv2: Conv2d;

  constructor(dim: number, kernelSize = 3) {
    super();
    const padding = Math.floor(kernelSize / 2);
    this.conv1 = this.registerModule('conv1', new Conv2d(dim, dim, kernelSize, { padding, groups: dim }));
    this.act = this.registerModule('act', gelu());
    this.bn = this.registerModule('bn', new BatchNorm2d(dim));
    this.conv2 = this.registerModule('conv2', new Conv2d(dim, dim, kernelSize, { padding, groups: dim }));
  }

  forward(x: SymbolicTensor, h: number, w: number): SymbolicTensor {
    const [, , c] = x.shape;
    if (typeof c !== 'number') throw new InvalidArgumentError('LPI: the channel dim must be static');
    let y = F.reshape(F.permute(x, [0, 2, 1]), [0, c, h, w]);
    y = this.conv2.call(this.bn.call(this.act.call(this.conv1.call(y))));
    return F.permute(F.reshape(y, [0, c, h * w]), [0, 2, 1]);
  }
}

const norm = (dim: number) => new LayerNorm(dim, { eps: 1e-6 });

/** Options of the XCiT blocks. */
export interface XcitBlockOptions {
  readonly numHeads: number;
  readonly mlpRatio: number;
  readonly qkvBias: boolean;
  /** Layer-scale initial value. */
  readonly eta: number;
}

/**
 * timm's `XCABlock`: XCA, then LPI, then the MLP, each pre-normed and layer-scaled
 * (`gamma1`, `gamma3`, `gamma2` in timm's order).
 */
export class XCABlock extends Module<[SymbolicTensor, number, number], SymbolicTensor> {
  readonly gamma1: Tensor<'float32'>;
  readonly gamma3: Tensor<'float32'>;
  readonly gamma2: Tensor<'float32'>;
  readonly norm1: LayerNorm;
  readonly attn: XCA;
  readonly norm3: LayerNorm;
  readonly localMp: LPI;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;

  constructor(dim: number, options: XcitBlockOptions) {
    super();
    this.gamma1 = this.registerParameter('gamma1', fullTensor([dim], options.eta));
    this.gamma3 = this.registerParameter('gamma3', fullTensor([dim], options.eta));
    this.gamma2 = this.registerParameter('gamma2', fullTensor([dim], options.eta));
    this.norm1 = this.registerModule('norm1', norm(dim));
    this.attn = this.registerModule('attn', new XCA(dim, options));
    this.norm3 = this.registerModule('norm3', norm(dim));
    this.localMp = this.registerModule('local_mp', new LPI(dim));
    this.norm2 = this.registerModule('norm2', norm(dim));
    this.mlp = this.registerModule(
      'mlp',
      new Mlp(dim, { hiddenFeatures: Math.floor(dim * options.mlpRatio) }),
    );
  }

  forward(x: SymbolicTensor, h: number, w: number): SymbolicTensor {
    let y = F.add(x, F.mul(this.gamma1, this.attn.call(this.norm1.call(x))));
    y = F.add(y, F.mul(this.gamma3, this.localMp.call(this.norm3.call(y), h, w)));
    return F.add(y, F.mul(this.gamma2, this.mlp.call(this.norm2.call(y))));
  }
}

/**
 * timm's `ClassAttentionBlock` in XCiT: class attention (CaiT's `ClassAttn`) updates the class
 * token, the patch tokens take their normalised values; then `norm2` on every token
 * (`tokensNorm`) or on the class token only, and the MLP on the class token.
 */
export class ClassAttentionBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly gamma1: Tensor<'float32'>;
  readonly gamma2: Tensor<'float32'>;
  readonly norm1: LayerNorm;
  readonly attn: ClassAttn;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;
  readonly tokensNorm: boolean;

  constructor(dim: number, options: XcitBlockOptions & { tokensNorm: boolean }) {
    super();
    this.tokensNorm = options.tokensNorm;
    this.gamma1 = this.registerParameter('gamma1', fullTensor([dim], options.eta));
    this.gamma2 = this.registerParameter('gamma2', fullTensor([dim], options.eta));
    this.norm1 = this.registerModule('norm1', norm(dim));
    this.attn = this.registerModule('attn', new ClassAttn(dim, options));
    this.norm2 = this.registerModule('norm2', norm(dim));
    this.mlp = this.registerModule(
      'mlp',
      new Mlp(dim, { hiddenFeatures: Math.floor(dim * options.mlpRatio) }),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const first = (t: SymbolicTensor) => F.slice(t, [0], [1], [1]);
    const rest = (t: SymbolicTensor) => F.slice(t, [1], [Number.POSITIVE_INFINITY], [1]);
    const xn = this.norm1.call(x);
    const xAttn = F.concat([this.attn.call(xn), rest(xn)], 1);
    let y = F.add(x, F.mul(this.gamma1, xAttn));
    y = this.tokensNorm ? this.norm2.call(y) : F.concat([this.norm2.call(first(y)), rest(y)], 1);
    const cls = F.mul(this.gamma2, this.mlp.call(first(y)));
    return F.add(y, F.concat([cls, rest(y)], 1));
  }
}
