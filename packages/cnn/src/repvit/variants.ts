/**
 * Registry entries of the RepViT family: metadata only (listable without loading model code);
 * `load()` imports the model. Defaults and tags follow timm's `pretrained_cfg`s.
 * @module
 */
import type { ModelEntry, ModelFactory } from '@ocular/core';
import { REPVIT_CONFIGS, type RepVitArch, repvitFeatureInfo } from './configs.js';

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
const PAPER = 'https://arxiv.org/abs/2307.09283';

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(arch: RepVitArch, paramCount: number, tags: readonly string[]): ModelEntry {
  return {
    name: arch,
    family: 'cnn',
    variants: tags,
    paramCount,
    defaultInputSize: [3, 224, 224],
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
    numClasses: 1000,
    license: 'apache-2.0',
    paper: PAPER,
    tags: ['repvit', 'imagenet', 'mobile', 'reparameterizable'],
    featureInfo: repvitFeatureInfo(REPVIT_CONFIGS[arch]),
    classifier: ['head.head.l', 'head.head_dist.l'],
    firstConv: 'stem.conv1.c',
    load,
  };
}

/** Every registered RepViT model. */
export const REPVIT_ENTRIES: readonly ModelEntry[] = [
  entry('repvit_m1', 5_485_248, ['dist_in1k']),
  entry('repvit_m2', 8_797_984, ['dist_in1k']),
  entry('repvit_m3', 10_682_832, ['dist_in1k']),
  entry('repvit_m0_9', 5_489_328, ['dist_300e_in1k', 'dist_450e_in1k']),
  entry('repvit_m1_0', 7_302_796, ['dist_300e_in1k', 'dist_450e_in1k']),
  entry('repvit_m1_1', 8_802_912, ['dist_300e_in1k', 'dist_450e_in1k']),
  entry('repvit_m1_5', 14_644_432, ['dist_300e_in1k', 'dist_450e_in1k']),
  entry('repvit_m2_3', 23_688_792, ['dist_300e_in1k', 'dist_450e_in1k']),
];
