/**
 * InceptionNeXt's blocks with timm's child names: the inception depthwise token mixer
 * (`dwconv_hw`, `dwconv_w`, `dwconv_h`), the MetaNeXt block (`token_mixer`, `norm`, `mlp`,
 * `gamma`), its stage (`downsample`, `blocks`) and the MLP classifier head (`fc1`, `norm`, `fc2`).
 * @module
 */
import {
  BatchNorm2d,
  Conv2d,
  Dropout,
  F,
  fullTensor,
  GELU,
  getPadding,
  Identity,
  InvalidArgumentError,
  LayerNorm,
  Linear,
  Mlp,
  Module,
  SelectAdaptivePool2d,
  Sequential,
  type SymbolicTensor,
  type Tensor,
} from '@ocular/core';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link InceptionDWConv2d}. */
export interface InceptionDWConv2dOptions {
  /** Kernel of the square branch (default 3). */
  readonly squareKernelSize?: number;
  /** Length of the band branches (default 11). */
  readonly bandKernelSize?: number;
  /** Share of channels per conv branch (default 0.125). */
  readonly branchRatio?: number;
}

/**
 * Splits channels into an identity part and three depthwise branches of `gc` channels each (a
 * square k×k, a 1×k band and a k×1 band) and concatenates them back in that order.
 */
export class InceptionDWConv2d extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly dwconvHw: Conv2d;
  readonly dwconvW: Conv2d;
  readonly dwconvH: Conv2d;
  /** Channel counts of the identity, square, width-band and height-band parts. */
  readonly splitIndexes: readonly [number, number, number, number];

  constructor(inChs: number, options: InceptionDWConv2dOptions = {}) {
    super();
    const sq = options.squareKernelSize ?? 3;
    const band = options.bandKernelSize ?? 11;
    const gc = Math.floor(inChs * (options.branchRatio ?? 0.125));
    if (gc < 1 || 3 * gc > inChs) {
      throw new InvalidArgumentError(`InceptionDWConv2d: branch ratio gives ${gc} channels of ${inChs}`);
    }
    const bandPad = getPadding(band);
    this.dwconvHw = this.registerModule(
      'dwconv_hw',
      new Conv2d(gc, gc, sq, { padding: getPadding(sq), groups: gc }),
    );
    this.dwconvW = this.registerModule(
      'dwconv_w',
      new Conv2d(gc, gc, [1, band], { padding: [0, bandPad], groups: gc }),
    );
    this.dwconvH = this.registerModule(
      'dwconv_h',
      new Conv2d(gc, gc, [band, 1], { padding: [bandPad, 0], groups: gc }),
    );
    this.splitIndexes = [inChs - 3 * gc, gc, gc, gc];
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const [id, hw, w, h] = F.split(x, this.splitIndexes, 1) as [
      SymbolicTensor,
      SymbolicTensor,
      SymbolicTensor,
      SymbolicTensor,
    ];
    return F.concat([id, this.dwconvHw.call(hw), this.dwconvW.call(w), this.dwconvH.call(h)], 1);
  }
}

/** Options of {@link MetaNeXtBlock}. */
export interface MetaNeXtBlockOptions extends InceptionDWConv2dOptions {
  /** MLP expansion ratio (default 4). */
  readonly mlpRatio?: number;
  /** Layer-scale init value; 0 or `null` means no `gamma` (default 1e-6). */
  readonly lsInitValue?: number | null;
}

/**
 * Token mixer → batch norm → 1×1-conv MLP (GELU) → layer scale, plus the identity shortcut
 * (drop path is an identity at inference and carries no state).
 */
export class MetaNeXtBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly gamma?: Tensor<'float32'>;
  readonly tokenMixer: InceptionDWConv2d;
  readonly norm: BatchNorm2d;
  readonly mlp: Mlp;

  constructor(dim: number, options: MetaNeXtBlockOptions = {}) {
    super();
    const ls = options.lsInitValue === undefined ? 1e-6 : options.lsInitValue;
    // `gamma` is the block's own parameter, so PyTorch lists it before the children's keys.
    if (ls) this.gamma = this.registerParameter('gamma', fullTensor([dim], ls));
    this.tokenMixer = this.registerModule('token_mixer', new InceptionDWConv2d(dim, options));
    this.norm = this.registerModule('norm', new BatchNorm2d(dim));
    // timm's ConvMlp (fc1, norm, act, drop, fc2) has the same keys and computation as core's Mlp
    // with 1×1 convs and no hidden norm.
    this.mlp = this.registerModule(
      'mlp',
      new Mlp(dim, {
        hiddenFeatures: Math.floor((options.mlpRatio ?? 4) * dim),
        actLayer: 'gelu',
        useConv: true,
      }),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = this.mlp.call(this.norm.call(this.tokenMixer.call(x)));
    if (this.gamma) y = F.mul(y, F.reshape(this.gamma, [1, -1, 1, 1]));
    return F.add(y, x);
  }
}

/** Options of {@link MetaNeXtStage}. */
export interface MetaNeXtStageOptions extends MetaNeXtBlockOptions {
  /** Stride of the downsampling conv (default 2; 1 = no downsampling). */
  readonly stride?: number;
  /** Number of blocks. */
  readonly depth: number;
}

/** Batch norm + k2 s2 conv downsampling (`downsample.0`/`.1`) when strided, then the blocks. */
export class MetaNeXtStage extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly downsample: Layer;
  readonly blocks: Sequential;

  constructor(inChs: number, outChs: number, options: MetaNeXtStageOptions) {
    super();
    const stride = options.stride ?? 2;
    if (stride > 1) {
      this.downsample = this.registerModule(
        'downsample',
        new Sequential([new BatchNorm2d(inChs), new Conv2d(inChs, outChs, 2, { stride })]),
      );
    } else {
      if (inChs !== outChs) {
        throw new InvalidArgumentError(`MetaNeXtStage: ${inChs} → ${outChs} channels need a stride`);
      }
      this.downsample = this.registerModule('downsample', new Identity());
    }
    this.blocks = this.registerModule(
      'blocks',
      new Sequential(Array.from({ length: options.depth }, () => new MetaNeXtBlock(outChs, options))),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.blocks.call(this.downsample.call(x));
  }
}

/**
 * timm's `MlpClassifierHead`: global average pool (flattened) → `fc1` (×`mlpRatio`) → GELU →
 * `LayerNorm` (eps 1e-6) → dropout → `fc2`. Pre-logits are the normed hidden features.
 */
export class MlpClassifierHead extends Module<[SymbolicTensor, boolean?], SymbolicTensor> {
  readonly inFeatures: number;
  /** Hidden width (the pre-logits size). */
  readonly numFeatures: number;
  #numClasses = 0;

  constructor(inFeatures: number, numClasses: number, options: { mlpRatio?: number } = {}) {
    super();
    this.inFeatures = inFeatures;
    this.numFeatures = Math.floor((options.mlpRatio ?? 3) * inFeatures);
    this.registerModule('global_pool', new SelectAdaptivePool2d('avg', { flatten: true }));
    this.registerModule('fc1', new Linear(inFeatures, this.numFeatures));
    this.registerModule('act', new GELU());
    this.registerModule('norm', new LayerNorm(this.numFeatures, { eps: 1e-6 }));
    this.reset(numClasses);
    this.registerModule('drop', new Dropout(0));
  }

  /** Current classifier size. */
  get numClasses(): number {
    return this.#numClasses;
  }

  /** A fresh `fc2` of `numClasses` outputs (0: identity). */
  reset(numClasses: number): void {
    this.#numClasses = numClasses;
    this.registerModule('fc2', numClasses > 0 ? new Linear(this.numFeatures, numClasses) : new Identity());
  }

  #layer(name: string): Layer {
    return this.child(name) as Layer;
  }

  forward(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    let y = this.#layer('fc1').call(this.#layer('global_pool').call(x));
    y = this.#layer('drop').call(this.#layer('norm').call(this.#layer('act').call(y)));
    return preLogits ? y : this.#layer('fc2').call(y);
  }
}
