/**
 * Registry entries of the InceptionNeXt family: metadata only (listable without loading model
 * code); `load()` imports the model. Defaults and tags follow timm's `pretrained_cfg`s.
 * @module
 */
import type { FeatureInfo, ModelEntry, ModelFactory } from '@ocular/core';
import { INCEPTION_NEXT_CONFIGS, type InceptionNeXtArch, type InceptionNeXtConfig } from './configs.js';

const PAPER = 'https://arxiv.org/abs/2303.16900';

/** timm's `feature_info` of a configuration: one map per stage, strides 4, 8, 16, 32. */
export function inceptionNextFeatureInfo(config: InceptionNeXtConfig): FeatureInfo[] {
  return config.dims.map((c, i) => ({ numChs: c, reduction: 4 * 2 ** i, module: `stages.${i}` }));
}

interface EntryData {
  readonly arch: InceptionNeXtArch;
  /** timm's `param_count` at 1000 classes. */
  readonly paramCount: number;
  /** Weight tags, default first. */
  readonly tags: readonly string[];
}

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(d: EntryData): ModelEntry {
  return {
    name: d.arch,
    family: 'cnn',
    variants: d.tags,
    paramCount: d.paramCount,
    defaultInputSize: [3, 224, 224],
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
    numClasses: 1000,
    license: 'apache-2.0',
    paper: PAPER,
    tags: ['inception_next', 'imagenet'],
    featureInfo: inceptionNextFeatureInfo(INCEPTION_NEXT_CONFIGS[d.arch]),
    classifier: 'head.fc2',
    firstConv: 'stem.0',
    load,
  };
}

/** The InceptionNeXt family's registry entries. */
export const INCEPTION_NEXT_ENTRIES: readonly ModelEntry[] = [
  entry({ arch: 'inception_next_atto', paramCount: 4_156_520, tags: ['sail_in1k'] }),
  entry({ arch: 'inception_next_tiny', paramCount: 28_055_680, tags: ['sail_in1k'] }),
  entry({ arch: 'inception_next_small', paramCount: 49_374_016, tags: ['sail_in1k'] }),
  entry({ arch: 'inception_next_base', paramCount: 86_672_136, tags: ['sail_in1k'] }),
];
