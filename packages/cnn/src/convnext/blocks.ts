/**
 * ConvNeXt's block, stage and head with timm's child names (`conv_dw`, `norm`, `mlp`, `gamma`;
 * `downsample`, `blocks`; `global_pool`, `norm`, `pre_logits`, `fc`) so checkpoints load unchanged.
 * @module
 */
import {
  Conv2d,
  createActivation,
  Dropout,
  F,
  Flatten,
  fullTensor,
  Identity,
  InvalidArgumentError,
  LayerNorm,
  LayerNorm2d,
  Linear,
  Mlp,
  Module,
  type PoolType,
  SelectAdaptivePool2d,
  Sequential,
  type SymbolicTensor,
  type Tensor,
} from '@ocular/core';
import type { ConvNeXtAct } from './configs.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link ConvNeXtBlock}. */
export interface ConvNeXtBlockOptions {
  /** Depthwise kernel size (default 7). */
  readonly kernelSize?: number;
  /** MLP expansion ratio (default 4). */
  readonly mlpRatio?: number;
  /** 1×1-conv MLP on NCHW with `LayerNorm2d` (default false: channels-last `Linear` MLP). */
  readonly convMlp?: boolean;
  /** Bias of the convs and linear layers (default true). */
  readonly convBias?: boolean;
  /** Layer-scale init value; `null` means no `gamma` (default 1e-6). */
  readonly lsInitValue?: number | null;
  /** MLP activation (default `'gelu'`). */
  readonly actLayer?: ConvNeXtAct;
  /** Layer-norm epsilon (default 1e-6). */
  readonly normEps?: number;
}

/**
 * Depthwise k×k conv → layer norm over channels → MLP (×4) → layer scale, plus the identity
 * shortcut. Drop path is an identity at inference and has no state, so it is left out.
 */
export class ConvNeXtBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly gamma?: Tensor<'float32'>;
  readonly convDw: Conv2d;
  readonly norm: Layer;
  readonly mlp: Mlp;
  readonly useConvMlp: boolean;

  constructor(dim: number, options: ConvNeXtBlockOptions = {}) {
    super();
    const kernelSize = options.kernelSize ?? 7;
    const eps = options.normEps ?? 1e-6;
    const bias = options.convBias ?? true;
    this.useConvMlp = options.convMlp ?? false;
    const ls = options.lsInitValue === undefined ? 1e-6 : options.lsInitValue;
    // `gamma` is the block's own parameter, so PyTorch lists it before the children's keys.
    if (ls !== null) this.gamma = this.registerParameter('gamma', fullTensor([dim], ls));
    this.convDw = this.registerModule(
      'conv_dw',
      new Conv2d(dim, dim, kernelSize, { padding: Math.floor((kernelSize - 1) / 2), groups: dim, bias }),
    );
    this.norm = this.registerModule(
      'norm',
      this.useConvMlp ? new LayerNorm2d(dim, { eps }) : new LayerNorm(dim, { eps }),
    );
    this.mlp = this.registerModule(
      'mlp',
      new Mlp(dim, {
        hiddenFeatures: Math.floor((options.mlpRatio ?? 4) * dim),
        actLayer: options.actLayer ?? 'gelu',
        bias,
        useConv: this.useConvMlp,
      }),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = this.convDw.call(x);
    if (this.useConvMlp) {
      y = this.mlp.call(this.norm.call(y));
    } else {
      y = F.permute(y, [0, 2, 3, 1]);
      y = this.mlp.call(this.norm.call(y));
      y = F.permute(y, [0, 3, 1, 2]);
    }
    if (this.gamma) y = F.mul(y, F.reshape(this.gamma, [1, -1, 1, 1]));
    return F.add(y, x);
  }
}

/** Options of {@link ConvNeXtStage}. */
export interface ConvNeXtStageOptions extends ConvNeXtBlockOptions {
  /** Stride of the downsampling conv (default 2). */
  readonly stride?: number;
  /** Number of blocks. */
  readonly depth: number;
}

/**
 * A downsampling step (`LayerNorm2d` + k2 s2 conv, children `downsample.0`/`.1`) when the
 * stride or width changes, then `depth` blocks (`blocks.i`).
 */
export class ConvNeXtStage extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly downsample: Layer;
  readonly blocks: Sequential;

  constructor(inChs: number, outChs: number, options: ConvNeXtStageOptions) {
    super();
    const stride = options.stride ?? 2;
    if (inChs !== outChs || stride > 1) {
      const kernel = stride > 1 ? 2 : 1;
      this.downsample = this.registerModule(
        'downsample',
        new Sequential([
          new LayerNorm2d(inChs, { eps: options.normEps ?? 1e-6 }),
          new Conv2d(inChs, outChs, kernel, { stride, bias: options.convBias ?? true }),
        ]),
      );
    } else {
      this.downsample = this.registerModule('downsample', new Identity());
    }
    this.blocks = this.registerModule(
      'blocks',
      new Sequential(Array.from({ length: options.depth }, () => new ConvNeXtBlock(outChs, options))),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.blocks.call(this.downsample.call(x));
  }
}

/** Options of {@link NormMlpClassifierHead}. */
export interface NormMlpClassifierHeadOptions {
  /** Hidden size of a pre-logits `fc` + activation (default none). */
  readonly hiddenSize?: number;
  /** Global pooling (default `'avg'`). */
  readonly poolType?: PoolType;
  /** Pre-classifier dropout (identity at inference). */
  readonly dropRate?: number;
  /** Epsilon of the `LayerNorm2d` (default 1e-6). */
  readonly normEps?: number;
  /** Activation of the pre-logits layer (default `'gelu'`, as ConvNeXt passes). */
  readonly actLayer?: ConvNeXtAct;
}

/**
 * timm's `NormMlpClassifierHead`: global pool → `LayerNorm2d` on the pooled `[B, C, 1, 1]` →
 * flatten → optional pre-logits (`pre_logits.fc` + act) → dropout → `fc`.
 */
export class NormMlpClassifierHead extends Module<[SymbolicTensor, boolean?], SymbolicTensor> {
  readonly inFeatures: number;
  /** Width of the pre-logits output (the hidden size when there is one). */
  readonly numFeatures: number;
  #numClasses = 0;

  constructor(inFeatures: number, numClasses: number, options: NormMlpClassifierHeadOptions = {}) {
    super();
    const poolType = options.poolType ?? 'avg';
    if (!poolType) throw new InvalidArgumentError('NormMlpClassifierHead: pooling cannot be disabled here');
    this.inFeatures = inFeatures;
    this.registerModule('global_pool', new SelectAdaptivePool2d(poolType));
    this.registerModule('norm', new LayerNorm2d(inFeatures, { eps: options.normEps ?? 1e-6 }));
    this.registerModule('flatten', new Flatten());
    if (options.hiddenSize) {
      this.registerModule(
        'pre_logits',
        Sequential.fromEntries([
          ['fc', new Linear(inFeatures, options.hiddenSize)],
          ['act', createActivation(options.actLayer ?? 'gelu')],
        ]),
      );
      this.numFeatures = options.hiddenSize;
    } else {
      this.registerModule('pre_logits', new Identity());
      this.numFeatures = inFeatures;
    }
    this.registerModule('drop', new Dropout(options.dropRate ?? 0));
    this.reset(numClasses);
  }

  /** Current classifier size. */
  get numClasses(): number {
    return this.#numClasses;
  }

  /** A fresh `fc` of `numClasses` outputs (0: identity). */
  reset(numClasses: number): void {
    this.#numClasses = numClasses;
    this.registerModule('fc', numClasses > 0 ? new Linear(this.numFeatures, numClasses) : new Identity());
  }

  #layer(name: string): Layer {
    return this.child(name) as Layer;
  }

  forward(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    let y = this.#layer('global_pool').call(x);
    y = this.#layer('flatten').call(this.#layer('norm').call(y));
    y = this.#layer('drop').call(this.#layer('pre_logits').call(y));
    return preLogits ? y : this.#layer('fc').call(y);
  }
}
