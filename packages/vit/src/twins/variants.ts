/**
 * Registry entries of the Twins-SVT family: metadata only (listable without loading model code);
 * `load()` imports the model. Defaults follow timm's `pretrained_cfg`s.
 * @module
 */
import type { FeatureInfo, ModelEntry, ModelFactory } from '@ocular/core';
import { TWINS_CONFIGS, type TwinsArch, type TwinsConfig } from './configs.js';

/** timm's `feature_info` of a configuration: one NCHW map per stage, named `block.i` as timm. */
export function twinsFeatureInfo(config: TwinsConfig): FeatureInfo[] {
  const patch = config.patchSize ?? 4;
  return config.embedDims.map((c, i) => ({ numChs: c, reduction: patch * 2 ** i, module: `block.${i}` }));
}

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(arch: TwinsArch, paramCount: number): ModelEntry {
  return {
    name: arch,
    family: 'vit',
    variants: ['in1k'],
    paramCount,
    defaultInputSize: [3, 224, 224],
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
    numClasses: 1000,
    license: 'apache-2.0',
    paper: 'https://arxiv.org/abs/2104.13840',
    tags: ['twins', 'imagenet'],
    featureInfo: twinsFeatureInfo(TWINS_CONFIGS[arch]),
    classifier: 'head',
    firstConv: 'patch_embeds.0.proj',
    load,
  };
}

/** Every registered twins model. */
export const TWINS_ENTRIES: readonly ModelEntry[] = [
  entry('twins_svt_small', 24_060_776),
  entry('twins_svt_base', 56_070_952),
  entry('twins_svt_large', 99_271_400),
];
