/**
 * Registry entries of the CrossViT family (metadata only; `load()` imports the model code).
 * Defaults and tags follow timm's `pretrained_cfg`s.
 * @module
 */
import type { ModelEntry, ModelFactory } from '@ocular/core';
import type { CrossVitArch } from './configs.js';

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(arch: CrossVitArch, paramCount: number): ModelEntry {
  return {
    name: arch,
    family: 'vit',
    variants: ['in1k'],
    paramCount,
    defaultInputSize: [3, 240, 240],
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
    numClasses: 1000,
    license: 'apache-2.0',
    paper: 'https://arxiv.org/abs/2103.14899',
    tags: ['crossvit', 'imagenet'],
    // timm defines no feature maps for CrossViT.
    featureInfo: [],
    classifier: ['head.0', 'head.1'],
    // timm lists both branches' patch convs; the registry adapts one, the first branch's.
    firstConv: 'patch_embed.0.proj',
    load,
  };
}

/** Every registered crossvit model (parameter counts at 1000 classes, timm's). */
export const CROSSVIT_ENTRIES: readonly ModelEntry[] = [
  entry('crossvit_tiny_240', 7_014_800),
  entry('crossvit_small_240', 26_856_272),
  entry('crossvit_9_240', 8_553_296),
];
