/**
 * Swin Transformer v1 blocks with timm's child names (`norm1`, `attn`, `norm2`, `mlp`;
 * `downsample.norm`/`.reduction`; `blocks.i`) on channels-last `[B, H, W, C]` maps.
 * @module
 */
import {
  Attention,
  F,
  Identity,
  InvalidArgumentError,
  LayerNorm,
  Linear,
  Mlp,
  Module,
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';
import { roll, shiftedWindowMask, windowPartition, windowReverse } from './window.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Static `[B, H, W, C]` sizes of a channels-last map (the batch may be symbolic). */
function hwc(x: SymbolicTensor, who: string): [number, number, number] {
  const [, h, w, c] = x.shape;
  if (typeof h !== 'number' || typeof w !== 'number' || typeof c !== 'number') {
    throw new InvalidArgumentError(
      `${who}: height, width and channels must be static, got [${x.shape.join(', ')}]`,
    );
  }
  return [h, w, c];
}

/**
 * timm's `PatchMerging`: pads H and W to even, gathers each 2×2 neighbourhood into 4C channels
 * (order (0,0), (1,0), (0,1), (1,1)), then `norm` and a bias-free `reduction` to `outDim`.
 */
export class PatchMerging extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly norm: LayerNorm;
  readonly reduction: Linear;

  constructor(dim: number, outDim = 2 * dim) {
    super();
    this.norm = this.registerModule('norm', new LayerNorm(4 * dim));
    this.reduction = this.registerModule('reduction', new Linear(4 * dim, outDim, { bias: false }));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let [h, w, c] = hwc(x, 'PatchMerging');
    let y = x;
    if (h % 2 || w % 2) {
      y = F.pad(y, [0, 0, 0, w % 2, 0, h % 2]);
      h += h % 2;
      w += w % 2;
    }
    y = F.reshape(y, [-1, h / 2, 2, w / 2, 2, c]);
    y = F.reshape(F.permute(y, [0, 1, 3, 4, 2, 5]), [-1, h / 2, w / 2, 4 * c]);
    return this.reduction.call(this.norm.call(y));
  }
}

/** Options of {@link SwinTransformerBlock}. */
export interface SwinTransformerBlockOptions {
  readonly numHeads: number;
  /** Window side (already clipped to the feature size, as timm's `calc_window_shift`). */
  readonly windowSize: number;
  /** Cyclic shift (0: plain windows). */
  readonly shiftSize: number;
  /** Default 4. */
  readonly mlpRatio?: number;
  /** Default true. */
  readonly qkvBias?: boolean;
}

/**
 * Window attention (optionally on a cyclically shifted map, with the shifted-window mask) and
 * an MLP, each pre-norm with a residual. Maps whose sides are not window multiples are padded
 * on the bottom/right and cropped back. Drop path is an identity at inference.
 */
export class SwinTransformerBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly windowSize: number;
  readonly shiftSize: number;
  readonly norm1: LayerNorm;
  readonly attn: Attention;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;

  constructor(dim: number, options: SwinTransformerBlockOptions) {
    super();
    this.windowSize = options.windowSize;
    this.shiftSize = options.shiftSize;
    const ws = this.windowSize;
    this.norm1 = this.registerModule('norm1', new LayerNorm(dim));
    this.attn = this.registerModule(
      'attn',
      new Attention(dim, {
        numHeads: options.numHeads,
        qkvBias: options.qkvBias ?? true,
        relativePositionWindow: [ws, ws],
      }),
    );
    this.norm2 = this.registerModule('norm2', new LayerNorm(dim));
    this.mlp = this.registerModule(
      'mlp',
      new Mlp(dim, { hiddenFeatures: Math.floor(dim * (options.mlpRatio ?? 4)), actLayer: 'gelu' }),
    );
  }

  #attention(x: SymbolicTensor): SymbolicTensor {
    const [h, w, c] = hwc(x, 'SwinTransformerBlock');
    const ws = this.windowSize;
    const s = this.shiftSize;
    let y = s ? roll(roll(x, -s, 1, h), -s, 2, w) : x;
    const hp = Math.ceil(h / ws) * ws;
    const wp = Math.ceil(w / ws) * ws;
    if (hp !== h || wp !== w) y = F.pad(y, [0, 0, 0, wp - w, 0, hp - h]);
    const mask = s ? shiftedWindowMask(h, w, ws, [s, s]) : null;
    y = this.attn.call(windowPartition(y, ws, hp, wp, c), mask);
    y = windowReverse(y, ws, hp, wp, c);
    if (hp !== h || wp !== w) y = F.slice(y, [0, 0], [h, w], [1, 2]);
    return s ? roll(roll(y, s, 1, h), s, 2, w) : y;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = F.add(x, this.#attention(this.norm1.call(x)));
    return F.add(y, this.mlp.call(this.norm2.call(y)));
  }
}

/** Options of {@link SwinTransformerStage}. */
export interface SwinTransformerStageOptions {
  /** Feature size (H, W) the blocks see at the training resolution. */
  readonly resolution: readonly [number, number];
  readonly depth: number;
  readonly numHeads: number;
  readonly windowSize: number;
  /** Patch merging in front of the blocks (stages after the first). */
  readonly downsample: boolean;
  readonly mlpRatio?: number;
  readonly qkvBias?: boolean;
}

/**
 * `downsample` (patch merging or identity) then `depth` blocks alternating plain and shifted
 * windows. As timm, a window larger than the feature map shrinks to it and then needs no shift.
 */
export class SwinTransformerStage extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly downsample: Layer;
  readonly blocks: Sequential;

  constructor(dim: number, outDim: number, options: SwinTransformerStageOptions) {
    super();
    this.downsample = this.registerModule(
      'downsample',
      options.downsample ? new PatchMerging(dim, outDim) : new Identity(),
    );
    const [rh, rw] = options.resolution;
    const target = options.windowSize;
    // timm's calc_window_shift (square windows): clip to the feature size; no shift when clipped.
    const ws = Math.min(rh, rw) <= target ? Math.min(rh, rw, target) : target;
    if (rh !== rw && Math.min(rh, rw) < target) {
      throw new InvalidArgumentError(
        `SwinTransformerStage: non-square feature size ${rh}×${rw} below the window ${target} is not supported`,
      );
    }
    const shift = rh <= ws ? 0 : Math.floor(target / 2);
    this.blocks = this.registerModule(
      'blocks',
      new Sequential(
        Array.from(
          { length: options.depth },
          (_, i) =>
            new SwinTransformerBlock(outDim, {
              numHeads: options.numHeads,
              windowSize: ws,
              shiftSize: i % 2 === 0 ? 0 : shift,
              mlpRatio: options.mlpRatio,
              qkvBias: options.qkvBias,
            }),
        ),
      ),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.blocks.call(this.downsample.call(x));
  }
}
