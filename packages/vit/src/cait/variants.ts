/**
 * Registry entries of the CaiT family (metadata only; `load()` imports the model code).
 * Defaults and tags follow timm's `pretrained_cfg`s.
 * @module
 */
import type { FeatureInfo, ModelEntry, ModelFactory } from '@ocular/core';
import { CAIT_CONFIGS, type CaitArch, type CaitConfig } from './configs.js';

/** timm's `feature_info`: every self-attention block, at the patch stride. */
export function caitFeatureInfo(config: CaitConfig): FeatureInfo[] {
  return Array.from({ length: config.depth }, (_, i) => ({
    numChs: config.embedDim,
    reduction: config.patchSize,
    module: `blocks.${i}`,
  }));
}

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(arch: CaitArch, paramCount: number): ModelEntry {
  const config: CaitConfig = CAIT_CONFIGS[arch];
  const size = config.imgSize;
  return {
    name: arch,
    family: 'vit',
    variants: ['fb_dist_in1k'],
    paramCount,
    defaultInputSize: [3, size, size],
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
    numClasses: 1000,
    license: 'apache-2.0',
    paper: 'https://arxiv.org/abs/2103.17239',
    tags: ['cait', 'imagenet'],
    featureInfo: caitFeatureInfo(config),
    classifier: 'head',
    firstConv: 'patch_embed.proj',
    load,
  };
}

/** Every registered cait model (parameter counts at 1000 classes, timm's). */
export const CAIT_ENTRIES: readonly ModelEntry[] = [
  entry('cait_xxs24_224', 11_956_264),
  entry('cait_xxs36_224', 17_299_720),
  entry('cait_xs24_384', 26_670_088),
  entry('cait_s24_224', 46_916_200),
];
