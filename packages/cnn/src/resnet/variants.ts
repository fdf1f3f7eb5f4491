/**
 * Registry entries of the ResNet family: metadata only (listable without loading model code);
 * `load()` imports the model. Defaults and tags follow timm's `pretrained_cfg`s.
 * @module
 */
import type { FeatureInfo, ModelEntry, ModelFactory } from '@ocular/core';
import { RESNET_CONFIGS, type ResNetArch, type ResNetConfig } from './configs.js';

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
const PAPER_RESNET = 'https://arxiv.org/abs/1512.03385';
const PAPER_BAG_OF_TRICKS = 'https://arxiv.org/abs/1812.01187';
const PAPER_RESNEXT = 'https://arxiv.org/abs/1611.05431';
const PAPER_SE = 'https://arxiv.org/abs/1709.01507';
const PAPER_ECA = 'https://arxiv.org/abs/1910.03151';

/** timm's `feature_info` of a configuration: the stem activation, then one map per stage. */
export function resnetFeatureInfo(config: ResNetConfig): FeatureInfo[] {
  const channels = config.channels ?? [64, 128, 256, 512];
  const blocks = typeof config.block === 'string' ? channels.map(() => config.block) : config.block;
  const stem = config.stemType?.includes('deep') ? (config.stemWidth ?? 64) * 2 : 64;
  return [
    { numChs: stem, reduction: 2, module: 'act1' },
    ...channels.map((c, i) => ({
      numChs: c * (blocks[i] === 'basic' ? 1 : 4),
      reduction: 4 * 2 ** i,
      module: `layer${i + 1}`,
    })),
  ];
}

interface EntryData {
  readonly arch: ResNetArch;
  /** timm's `param_count` at 1000 classes. */
  readonly paramCount: number;
  /** Weight tags, default first. */
  readonly tags: readonly string[];
  readonly paper: string;
  readonly inputSize?: number;
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
  readonly extraTags?: readonly string[];
}

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(d: EntryData): ModelEntry {
  const config: ResNetConfig = RESNET_CONFIGS[d.arch];
  const size = d.inputSize ?? 224;
  return {
    name: d.arch,
    family: 'cnn',
    variants: d.tags,
    paramCount: d.paramCount,
    defaultInputSize: [3, size, size],
    mean: d.mean ?? IMAGENET_MEAN,
    std: d.std ?? IMAGENET_STD,
    numClasses: 1000,
    license: 'apache-2.0',
    paper: d.paper,
    tags: ['resnet', 'imagenet', ...(d.extraTags ?? [])],
    featureInfo: resnetFeatureInfo(config),
    classifier: 'fc',
    firstConv: config.stemType?.includes('deep') ? 'conv1.0' : 'conv1',
    load,
  };
}

/** The ResNet family's registry entries. */
export const RESNET_ENTRIES: readonly ModelEntry[] = [
  entry({
    arch: 'test_resnet',
    paramCount: 469_688,
    tags: ['r160_in1k'],
    paper: PAPER_RESNET,
    inputSize: 160,
    mean: [0.5, 0.5, 0.5],
    std: [0.5, 0.5, 0.5],
    extraTags: ['test'],
  }),
  entry({ arch: 'resnet18', paramCount: 11_689_512, tags: ['a1_in1k', 'tv_in1k'], paper: PAPER_RESNET }),
  entry({ arch: 'resnet34', paramCount: 21_797_672, tags: ['a1_in1k', 'tv_in1k'], paper: PAPER_RESNET }),
  entry({
    arch: 'resnet50',
    paramCount: 25_557_032,
    tags: ['a1_in1k', 'tv_in1k', 'tv2_in1k'],
    paper: PAPER_RESNET,
  }),
  entry({
    arch: 'resnet101',
    paramCount: 44_549_160,
    tags: ['a1h_in1k', 'tv_in1k', 'tv2_in1k'],
    paper: PAPER_RESNET,
  }),
  entry({
    arch: 'resnet152',
    paramCount: 60_192_808,
    tags: ['a1h_in1k', 'tv_in1k', 'tv2_in1k'],
    paper: PAPER_RESNET,
  }),
  entry({ arch: 'resnet18d', paramCount: 11_708_744, tags: ['ra2_in1k'], paper: PAPER_BAG_OF_TRICKS }),
  entry({ arch: 'resnet34d', paramCount: 21_816_904, tags: ['ra2_in1k'], paper: PAPER_BAG_OF_TRICKS }),
  entry({ arch: 'resnet50d', paramCount: 25_576_264, tags: ['ra2_in1k'], paper: PAPER_BAG_OF_TRICKS }),
  entry({
    arch: 'resnet101d',
    paramCount: 44_568_392,
    tags: ['ra2_in1k'],
    paper: PAPER_BAG_OF_TRICKS,
    inputSize: 256,
  }),
  entry({
    arch: 'resnet152d',
    paramCount: 60_212_040,
    tags: ['ra2_in1k'],
    paper: PAPER_BAG_OF_TRICKS,
    inputSize: 256,
  }),
  entry({
    arch: 'resnext50_32x4d',
    paramCount: 25_028_904,
    tags: ['a1h_in1k', 'tv_in1k'],
    paper: PAPER_RESNEXT,
  }),
  entry({ arch: 'seresnet50', paramCount: 28_088_024, tags: ['ra2_in1k'], paper: PAPER_SE }),
  entry({ arch: 'seresnext50_32x4d', paramCount: 27_559_896, tags: ['racm_in1k'], paper: PAPER_SE }),
  entry({ arch: 'ecaresnet50d', paramCount: 25_576_350, tags: ['miil_in1k'], paper: PAPER_ECA }),
];
