/**
 * timm's `ResNet`: stem (`conv1`, `bn1`, `act1`, `maxpool`), four stages (`layer1`..`layer4`),
 * head (`global_pool`, `fc`). Covers ResNet, ResNeXt, ResNet-C/D stems, SE- and ECA-ResNets.
 * @module
 */
import {
  BatchNorm2d,
  type ClassifierModel,
  Conv2d,
  type FeatureInfo,
  FeatureListNet,
  featureTakeIndices,
  Identity,
  type Intermediates,
  type IntermediatesOptions,
  InvalidArgumentError,
  Linear,
  type ModelBuildOptions,
  type ModelFactoryObject,
  Module,
  ReLU,
  SelectAdaptivePool2d,
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';
import { MaxPool2d } from '../common/pool.js';
import { BasicBlock, Bottleneck, downsampleAvg, downsampleConv } from './blocks.js';
import { RESNET_CONFIGS, type ResNetBlockType, type ResNetConfig } from './configs.js';
import { checkpointFilter } from './remap.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link ResNet} besides the architecture. */
export interface ResNetOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
  /**
   * Output stride of the feature maps (timm's `output_stride`: 8, 16 or 32, default 32). Below 32
   * the later stages keep their resolution and dilate their 3×3 convs instead of striding, as
   * timm's `make_blocks` and torchvision's `replace_stride_with_dilation` (segmentation nets).
   */
  readonly outputStride?: 8 | 16 | 32;
}

const STAGES = ['layer1', 'layer2', 'layer3', 'layer4'] as const;

function expansion(block: ResNetBlockType): number {
  return block === 'basic' ? BasicBlock.expansion : Bottleneck.expansion;
}

function deepStem(inChans: number, stemWidth: number, outChannels: number, tiered: boolean): Sequential {
  const [c0, c1] = tiered ? [3 * Math.floor(stemWidth / 4), stemWidth] : [stemWidth, stemWidth];
  return new Sequential([
    new Conv2d(inChans, c0, 3, { stride: 2, padding: 1, bias: false }),
    new BatchNorm2d(c0),
    new ReLU(),
    new Conv2d(c0, c1, 3, { padding: 1, bias: false }),
    new BatchNorm2d(c1),
    new ReLU(),
    new Conv2d(c1, outChannels, 3, { padding: 1, bias: false }),
  ]);
}

/** A ResNet-family classifier with timm's module names and feature maps. */
export class ResNet extends Module<[SymbolicTensor], SymbolicTensor> implements ClassifierModel {
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly config: ResNetConfig;
  #numClasses: number;

  constructor(config: ResNetConfig, options: ResNetOptions = {}) {
    super();
    this.config = config;
    const inChans = options.inChans ?? 3;
    this.#numClasses = options.numClasses ?? 1000;
    const channels = config.channels ?? [64, 128, 256, 512];
    const { layers } = config;
    if (layers.length !== 4 || channels.length !== 4) {
      throw new InvalidArgumentError(
        `ResNet: layers and channels need 4 stages, got ${layers.length} and ${channels.length}`,
      );
    }
    const blocks =
      typeof config.block === 'string' ? STAGES.map(() => config.block as ResNetBlockType) : config.block;
    if (blocks.length !== 4)
      throw new InvalidArgumentError(`ResNet: block needs 4 stages, got ${blocks.length}`);
    const stemType = config.stemType ?? '';
    const stemWidth = config.stemWidth ?? 64;
    const deep = stemType.includes('deep');
    let inplanes = deep ? stemWidth * 2 : 64;

    this.registerModule(
      'conv1',
      deep
        ? deepStem(inChans, stemWidth, inplanes, stemType.includes('tiered'))
        : new Conv2d(inChans, inplanes, 7, { stride: 2, padding: 3, bias: false }),
    );
    this.registerModule('bn1', new BatchNorm2d(inplanes));
    this.registerModule('act1', new ReLU());
    this.registerModule('maxpool', new MaxPool2d(3, { stride: 2, padding: 1 }));
    const info: FeatureInfo[] = [{ numChs: inplanes, reduction: 2, module: 'act1' }];
    const outputStride = options.outputStride ?? 32;
    if (![8, 16, 32].includes(outputStride)) {
      throw new InvalidArgumentError(`ResNet: outputStride must be 8, 16 or 32, got ${outputStride}`);
    }

    // timm's make_blocks: once the network stride reaches `outputStride`, a stage dilates by its
    // stride instead of striding; its first block's strided-position conv (and the shortcut)
    // keep the previous stage's dilation (`first_dilation`).
    let netStride = 4;
    let dilation = 1;
    let prevDilation = 1;
    STAGES.forEach((name, s) => {
      const block = blocks[s]!;
      const planes = channels[s]!;
      const outplanes = planes * expansion(block);
      let stride = s === 0 ? 1 : 2;
      if (netStride >= outputStride) {
        dilation *= stride;
        stride = 1;
      } else {
        netStride *= stride;
      }
      let downsample: Layer | undefined;
      if (stride !== 1 || inplanes !== outplanes) {
        const down = {
          kernelSize: config.downKernelSize ?? 1,
          stride,
          dilation,
          firstDilation: prevDilation,
        };
        downsample = config.avgDown
          ? downsampleAvg(inplanes, outplanes, down)
          : downsampleConv(inplanes, outplanes, down);
      }
      const stage = new Sequential();
      for (let b = 0; b < layers[s]!; b++) {
        const opts = {
          stride: b === 0 ? stride : 1,
          downsample: b === 0 ? downsample : undefined,
          cardinality: config.cardinality,
          baseWidth: config.baseWidth,
          attnLayer: config.attnLayer,
          dilation,
          firstDilation: prevDilation,
        };
        stage.append(
          block === 'basic' ? new BasicBlock(inplanes, planes, opts) : new Bottleneck(inplanes, planes, opts),
        );
        prevDilation = dilation;
        inplanes = outplanes;
      }
      this.registerModule(name, stage);
      info.push({ numChs: inplanes, reduction: netStride, module: name });
    });
    this.featureInfo = info;
    this.numFeatures = inplanes;
    this.registerModule('global_pool', new SelectAdaptivePool2d('avg', { flatten: true }));
    this.resetClassifier(this.#numClasses);
  }

  /** Current classifier size. */
  get numClasses(): number {
    return this.#numClasses;
  }

  #layer(name: string): Layer {
    return this.child(name) as Layer;
  }

  resetClassifier(numClasses: number): void {
    if (!Number.isInteger(numClasses) || numClasses < 0)
      throw new InvalidArgumentError(`resetClassifier: numClasses must be an integer ≥ 0, got ${numClasses}`);
    this.#numClasses = numClasses;
    this.registerModule('fc', numClasses > 0 ? new Linear(this.numFeatures, numClasses) : new Identity());
  }

  #stem(x: SymbolicTensor): SymbolicTensor {
    return this.#layer('act1').call(this.#layer('bn1').call(this.#layer('conv1').call(x)));
  }

  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    let y = this.#layer('maxpool').call(this.#stem(x));
    for (const name of STAGES) y = this.#layer(name).call(y);
    return y;
  }

  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    const pooled = this.#layer('global_pool').call(x);
    return preLogits ? pooled : this.#layer('fc').call(pooled);
  }

  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    const intermediates: SymbolicTensor[] = [];
    let y = this.#stem(x);
    if (take.includes(0)) intermediates.push(y);
    const last = options.intermediatesOnly ? maxIndex : STAGES.length;
    if (last > 0) y = this.#layer('maxpool').call(y);
    for (let i = 1; i <= last; i++) {
      y = this.#layer(STAGES[i - 1]!).call(y);
      if (take.includes(i)) intermediates.push(y);
    }
    return options.intermediatesOnly ? { intermediates } : { final: y, intermediates };
  }

  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    STAGES.forEach((name, s) => {
      if (s + 1 > maxIndex) this.registerModule(name, new Identity());
    });
    this.registerModule('global_pool', new Identity());
    this.resetClassifier(0);
    return take;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof ResNetConfig>> = {
  block: 'block',
  layers: 'layers',
  channels: 'channels',
  cardinality: 'cardinality',
  baseWidth: 'baseWidth',
  base_width: 'baseWidth',
  stemWidth: 'stemWidth',
  stem_width: 'stemWidth',
  stemType: 'stemType',
  stem_type: 'stemType',
  avgDown: 'avgDown',
  avg_down: 'avgDown',
  downKernelSize: 'downKernelSize',
  down_kernel_size: 'downKernelSize',
  attnLayer: 'attnLayer',
  attn_layer: 'attnLayer',
};

/**
 * The configuration of a registered architecture with builder kwargs applied (camelCase or
 * timm's snake_case names: `{ layers: [1, 1, 1, 1], stem_width: 16 }`).
 */
export function resnetConfig(arch: string, kwargs: Readonly<Record<string, unknown>> = {}): ResNetConfig {
  const base = (RESNET_CONFIGS as Record<string, ResNetConfig>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown ResNet architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k];
    if (!name) {
      throw new InvalidArgumentError(
        `ResNet '${arch}': unknown argument '${k}' (known: ${[...new Set(Object.values(KWARG_NAMES))].join(', ')})`,
      );
    }
    config[name] = v;
  }
  return config as unknown as ResNetConfig;
}

/**
 * Builds a registered ResNet (or its features-only wrapper) from registry options; the kwarg
 * `output_stride` (or `outputStride`) dilates the later stages, as timm's.
 */
export function create(options: ModelBuildOptions): ResNet | FeatureListNet {
  const { output_stride: snake, outputStride: camel, ...kwargs } = options.kwargs;
  const outputStride = (camel ?? snake) as ResNetOptions['outputStride'];
  const model = new ResNet(resnetConfig(options.arch, kwargs), {
    numClasses: options.numClasses,
    inChans: options.inChans,
    outputStride,
  });
  return options.featuresOnly ? new FeatureListNet(model, options.outIndices) : model;
}

/** The registry factory: builder, torchvision checkpoint mapping, feature info of the built module. */
export const factory: ModelFactoryObject = {
  create,
  checkpointFilter: (state) => checkpointFilter(state),
  featureInfo: (module) => (module as ResNet | FeatureListNet).featureInfo,
};
