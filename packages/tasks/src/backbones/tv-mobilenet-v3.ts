/**
 * torchvision's MobileNetV3 (`torchvision.models.mobilenet_v3_large/small`) with its exact
 * state-dict layout: `features.0` stem, `features.<i>.block.<j>` inverted residuals (squeeze-
 * excitation as `block.<j>.fc1/fc2`), the last 1×1 conv, and `classifier.0/3`. The
 * `reducedTail` and `dilated` options are the ones torchvision's SSDLite and segmentation
 * builders pass.
 * @module
 */
import {
  F,
  type FeatureInfo,
  HardSwish,
  InvalidArgumentError,
  Linear,
  Module,
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';
import { conv2dNormActivation, makeDivisibleTv, SqueezeExcitation } from './tv-layers.js';
import { TV_MOBILENET_V3_CONFIGS, type TvMobileNetV3Arch } from './tv-mobilenet-v3-configs.js';

/** BatchNorm eps of every torchvision MobileNetV3 (and SSDLite) norm layer. */
export const TV_MOBILENET_V3_BN_EPS = 0.001;

/** A block's settings after width multiplier, reduced tail and dilation. */
export interface TvInvertedResidualConfig {
  readonly inputChannels: number;
  readonly kernel: number;
  readonly expandedChannels: number;
  readonly outChannels: number;
  readonly useSe: boolean;
  readonly useHs: boolean;
  readonly stride: number;
  readonly dilation: number;
}

/** torchvision's `InvertedResidual`: expand (when wider), depthwise, SE, project; `block.<j>`. */
export class TvInvertedResidual extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly block: Sequential;
  readonly useResConnect: boolean;
  readonly outChannels: number;
  /** Whether the block reduces resolution (torchvision's `_is_cn`). */
  readonly isCn: boolean;

  constructor(cnf: TvInvertedResidualConfig, eps = TV_MOBILENET_V3_BN_EPS) {
    super();
    if (cnf.stride !== 1 && cnf.stride !== 2)
      throw new InvalidArgumentError(`inverted residual stride must be 1 or 2, got ${cnf.stride}`);
    this.useResConnect = cnf.stride === 1 && cnf.inputChannels === cnf.outChannels;
    const activation = cnf.useHs ? 'hardswish' : 'relu';
    const layers: Module[] = [];
    if (cnf.expandedChannels !== cnf.inputChannels) {
      layers.push(
        conv2dNormActivation(cnf.inputChannels, cnf.expandedChannels, { kernelSize: 1, eps, activation }),
      );
    }
    layers.push(
      conv2dNormActivation(cnf.expandedChannels, cnf.expandedChannels, {
        kernelSize: cnf.kernel,
        // A dilated block keeps the resolution (torchvision's `stride = 1 if dilation > 1`).
        stride: cnf.dilation > 1 ? 1 : cnf.stride,
        dilation: cnf.dilation,
        groups: cnf.expandedChannels,
        eps,
        activation,
      }),
    );
    if (cnf.useSe) {
      layers.push(
        new SqueezeExcitation(cnf.expandedChannels, makeDivisibleTv(Math.floor(cnf.expandedChannels / 4))),
      );
    }
    layers.push(
      conv2dNormActivation(cnf.expandedChannels, cnf.outChannels, { kernelSize: 1, eps, activation: 'none' }),
    );
    this.block = this.registerModule('block', new Sequential(layers));
    this.outChannels = cnf.outChannels;
    this.isCn = cnf.stride > 1;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = this.block.call(x);
    return this.useResConnect ? F.add(y, x) : y;
  }
}

/** Options of {@link TvMobileNetV3}. */
export interface TvMobileNetV3Options {
  /** Default `'mobilenet_v3_large'`. */
  readonly arch?: TvMobileNetV3Arch;
  /** Channel multiplier (default 1), rounded to multiples of 8 as torchvision. */
  readonly widthMult?: number;
  /** Halve the channels of the last stage and the classifier width (SSDLite without backbone weights). */
  readonly reducedTail?: boolean;
  /** Last stage with dilation 2 and stride 1, output stride 16 (segmentation builders). */
  readonly dilated?: boolean;
  /** Classifier classes (default 1000). */
  readonly numClasses?: number;
  /** Build only `features` and return the maps at `outIndices` (default false). */
  readonly featuresOnly?: boolean;
  /** `features` indices whose outputs a features-only model returns (default: the last). */
  readonly outIndices?: readonly number[];
}

/** The block settings torchvision derives from the options (`_mobilenet_v3_conf`). */
export function tvMobileNetV3Settings(options: TvMobileNetV3Options = {}): {
  blocks: TvInvertedResidualConfig[];
  lastChannel: number;
} {
  const arch = options.arch ?? 'mobilenet_v3_large';
  const base = TV_MOBILENET_V3_CONFIGS[arch];
  if (!base) throw new InvalidArgumentError(`unknown MobileNetV3 arch '${arch}'`);
  const width = options.widthMult ?? 1;
  if (!(width > 0)) throw new InvalidArgumentError(`widthMult must be positive, got ${width}`);
  const div = options.reducedTail ? 2 : 1;
  const dilation = options.dilated ? 2 : 1;
  const adjust = (c: number) => makeDivisibleTv(c * width, 8);
  const blocks = base.blocks.map((b) => {
    // In the tail, torchvision halves the outputs of every block and the inputs and expansion
    // of every block but the first (which still receives the full-width features).
    const inner = b.tail && b.stride === 1 ? div : 1;
    return {
      inputChannels: adjust(Math.floor(b.inputChannels / inner)),
      kernel: b.kernel,
      expandedChannels: adjust(Math.floor(b.expandedChannels / inner)),
      outChannels: adjust(Math.floor(b.outChannels / (b.tail ? div : 1))),
      useSe: b.useSe,
      useHs: b.activation === 'HS',
      stride: b.stride,
      dilation: b.tail ? dilation : 1,
    };
  });
  return { blocks, lastChannel: adjust(Math.floor(base.lastChannel / div)) };
}

/**
 * torchvision's MobileNetV3. As a classifier `forward` returns logits; with `featuresOnly` it
 * has no classifier and returns the outputs of the `features` indices in `outIndices`.
 */
export class TvMobileNetV3 extends Module<[SymbolicTensor], SymbolicTensor | SymbolicTensor[]> {
  readonly features: Sequential;
  readonly classifier?: Sequential;
  /** Every `features` entry's output (channels, stride, `features.<i>`), by index. */
  readonly allFeatureInfo: readonly FeatureInfo[];
  /** The maps a features-only model returns. */
  readonly featureInfo: readonly FeatureInfo[];
  readonly outIndices: readonly number[];
  readonly featuresOnly: boolean;

  constructor(options: TvMobileNetV3Options = {}) {
    super();
    const { blocks, lastChannel } = tvMobileNetV3Settings(options);
    const eps = TV_MOBILENET_V3_BN_EPS;
    const layers: Module[] = [];
    const info: FeatureInfo[] = [];
    let reduction = 2;
    const stem = blocks[0]!.inputChannels;
    layers.push(conv2dNormActivation(3, stem, { kernelSize: 3, stride: 2, eps, activation: 'hardswish' }));
    info.push({ numChs: stem, reduction, module: 'features.0' });
    for (const cnf of blocks) {
      if (cnf.dilation === 1) reduction *= cnf.stride;
      layers.push(new TvInvertedResidual(cnf, eps));
      info.push({ numChs: cnf.outChannels, reduction, module: `features.${layers.length - 1}` });
    }
    const lastIn = blocks[blocks.length - 1]!.outChannels;
    const lastOut = 6 * lastIn;
    layers.push(conv2dNormActivation(lastIn, lastOut, { kernelSize: 1, eps, activation: 'hardswish' }));
    info.push({ numChs: lastOut, reduction, module: `features.${layers.length - 1}` });
    this.features = this.registerModule('features', new Sequential(layers));
    this.allFeatureInfo = info;
    this.featuresOnly = options.featuresOnly ?? false;
    this.outIndices = options.outIndices ?? [layers.length - 1];
    for (const i of this.outIndices) {
      if (!Number.isInteger(i) || i < 0 || i >= layers.length)
        throw new InvalidArgumentError(`outIndices: ${i} is not a features index (0..${layers.length - 1})`);
    }
    this.featureInfo = this.outIndices.map((i) => info[i]!);
    if (!this.featuresOnly) {
      // classifier.2 is dropout (identity at inference); keys are classifier.0 and classifier.3.
      this.classifier = this.registerModule(
        'classifier',
        Sequential.fromEntries([
          ['0', new Linear(lastOut, lastChannel)],
          ['1', new HardSwish()],
          ['3', new Linear(lastChannel, options.numClasses ?? 1000)],
        ]),
      );
    }
  }

  /** The outputs of the `features` entries at `indices` (running only as far as needed). */
  forwardIntermediates(x: SymbolicTensor, indices: readonly number[]): SymbolicTensor[] {
    const last = Math.max(...indices);
    const out = new Map<number, SymbolicTensor>();
    let y = x;
    for (let i = 0; i <= last; i++) {
      y = (this.features.get(i) as Module<[SymbolicTensor], SymbolicTensor>).call(y);
      if (indices.includes(i)) out.set(i, y);
    }
    return indices.map((i) => out.get(i)!);
  }

  forward(x: SymbolicTensor): SymbolicTensor | SymbolicTensor[] {
    if (this.featuresOnly) return this.forwardIntermediates(x, this.outIndices);
    const pooled = F.flatten(F.reduceMean(this.features.call(x), [2, 3], { keepdims: true }), 1);
    return this.classifier!.call(pooled);
  }
}

/**
 * torchvision's `IntermediateLayerGetter` over a MobileNetV3's `features`, as the segmentation
 * builders use it: the `features` entries are its own children (`<i>.block.<j>...`, so a
 * segmentation model's keys are `backbone.<i>...`), entries after the last returned one are
 * dropped, and `forward` returns the maps at `returnIndices`.
 */
export class TvMobileNetV3Backbone extends Module<[SymbolicTensor], SymbolicTensor[]> {
  /** The returned maps; `module` is the child index (`'4'`, `'16'`). */
  readonly featureInfo: readonly FeatureInfo[];
  readonly returnIndices: readonly number[];
  readonly #layers: Module<[SymbolicTensor], SymbolicTensor>[] = [];

  constructor(
    options: Omit<TvMobileNetV3Options, 'featuresOnly' | 'outIndices' | 'numClasses'> & {
      /** `features` indices to return, ascending (LR-ASPP: `[4, 16]`). */
      readonly returnIndices: readonly number[];
    },
  ) {
    super();
    const net = new TvMobileNetV3({ ...options, featuresOnly: true, outIndices: options.returnIndices });
    this.returnIndices = [...options.returnIndices];
    const last = Math.max(...this.returnIndices);
    for (let i = 0; i <= last; i++) {
      this.#layers.push(
        this.registerModule(String(i), net.features.get(i) as Module<[SymbolicTensor], SymbolicTensor>),
      );
    }
    this.featureInfo = this.returnIndices.map((i) => ({ ...net.allFeatureInfo[i]!, module: String(i) }));
  }

  forward(x: SymbolicTensor): SymbolicTensor[] {
    const out: SymbolicTensor[] = [];
    let y = x;
    this.#layers.forEach((m, i) => {
      y = m.call(y);
      if (this.returnIndices.includes(i)) out.push(y);
    });
    return out;
  }
}
