/**
 * Registry entries of the ConvNeXt family: metadata only (listable without loading model code);
 * `load()` imports the model. Defaults and tags follow timm's `pretrained_cfg`s.
 * @module
 */
import type { FeatureInfo, ModelEntry, ModelFactory } from '@ocular/core';
import { CONVNEXT_CONFIGS, type ConvNeXtArch, type ConvNeXtConfig } from './configs.js';

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
const PAPER = 'https://arxiv.org/abs/2201.03545';

/** timm's `feature_info` of a configuration: one map per stage (the stem is not a feature map). */
export function convnextFeatureInfo(config: ConvNeXtConfig): FeatureInfo[] {
  let stride = config.patchSize ?? 4;
  return config.dims.map((c, i) => {
    if (i > 0 || stride === 2) stride *= 2;
    return { numChs: c, reduction: stride, module: `stages.${i}` };
  });
}

interface EntryData {
  readonly arch: ConvNeXtArch;
  /** timm's `param_count` at 1000 classes. */
  readonly paramCount: number;
  /** Weight tags, default first. */
  readonly tags: readonly string[];
  readonly test?: boolean;
}

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(d: EntryData): ModelEntry {
  const size = d.test ? 160 : 224;
  return {
    name: d.arch,
    family: 'cnn',
    variants: d.tags,
    paramCount: d.paramCount,
    defaultInputSize: [3, size, size],
    mean: d.test ? [0.5, 0.5, 0.5] : IMAGENET_MEAN,
    std: d.test ? [0.5, 0.5, 0.5] : IMAGENET_STD,
    numClasses: 1000,
    license: 'apache-2.0',
    paper: PAPER,
    tags: ['convnext', 'imagenet', ...(d.test ? ['test'] : [])],
    featureInfo: convnextFeatureInfo(CONVNEXT_CONFIGS[d.arch]),
    classifier: 'head.fc',
    firstConv: 'stem.0',
    load,
  };
}

/** The ConvNeXt family's registry entries. */
export const CONVNEXT_ENTRIES: readonly ModelEntry[] = [
  entry({ arch: 'test_convnext', paramCount: 272_128, tags: ['r160_in1k'], test: true }),
  entry({ arch: 'test_convnext2', paramCount: 477_800, tags: ['r160_in1k'], test: true }),
  entry({ arch: 'test_convnext3', paramCount: 468_840, tags: ['r160_in1k'], test: true }),
  entry({ arch: 'convnext_atto', paramCount: 3_695_520, tags: ['d2_in1k'] }),
  entry({ arch: 'convnext_femto', paramCount: 5_217_784, tags: ['d1_in1k'] }),
  entry({ arch: 'convnext_pico', paramCount: 9_045_672, tags: ['d1_in1k'] }),
  entry({
    arch: 'convnext_nano',
    paramCount: 15_593_560,
    tags: ['in12k_ft_in1k', 'd1h_in1k'],
  }),
  entry({
    arch: 'convnext_tiny',
    paramCount: 28_589_128,
    tags: ['in12k_ft_in1k', 'fb_in22k_ft_in1k', 'fb_in1k'],
  }),
  entry({
    arch: 'convnext_small',
    paramCount: 50_223_688,
    tags: ['in12k_ft_in1k', 'fb_in22k_ft_in1k', 'fb_in1k'],
  }),
  entry({
    arch: 'convnext_base',
    paramCount: 88_591_464,
    tags: ['fb_in22k_ft_in1k', 'fb_in1k'],
  }),
];
